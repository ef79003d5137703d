"""Python reference for dev.ipckit.benchmarks.CrossProcessLock, run by it with python3.

Usage: python3 mp_lock.py [processes] [ops_per_process] [rounds] [uncontended_iterations]

Prints key=value lines:
  python, start_method     interpreter version; multiprocessing's default start method (fork on Linux before 3.14)
  contended_ops_per_s      best of the rounds: `processes` processes each increment a Value('q') `ops` times
                           under its own lock (get_lock(), an RLock); total increments per second, measured from
                           the start gate opening to the last process finishing its loop
  lock_ns, rlock_ns        uncontended acquire() + release() of a multiprocessing.Lock / RLock, best of 5, with the
                           cost of the empty loop (loop_ns) subtracted
"""
import multiprocessing
import platform
import sys
import time


def increments(value, arrived, gate, finished_at, index, ops):
    with arrived.get_lock():
        arrived.value += 1
    gate.wait()
    lock = value.get_lock()  # looked up once, as the Java side holds its lock in a local
    for _ in range(ops):
        with lock:
            value.value += 1
    finished_at[index] = time.monotonic_ns()


def contended(processes, ops):
    value = multiprocessing.Value('q', 0)
    arrived = multiprocessing.Value('i', 0)
    gate = multiprocessing.Event()
    finished_at = multiprocessing.Array('q', processes, lock=False)
    workers = [multiprocessing.Process(target=increments, args=(value, arrived, gate, finished_at, i, ops))
               for i in range(processes)]
    for worker in workers:
        worker.start()
    while arrived.value < processes:
        time.sleep(0.001)
    start = time.monotonic_ns()
    gate.set()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            sys.exit(f"worker {worker.name} exited with {worker.exitcode}")
    if value.value != processes * ops:
        sys.exit(f"lost updates: {value.value} != {processes * ops}")
    return value.value * 1e9 / (max(finished_at) - start)


def loop_ns(lock, iterations):
    if lock is None:
        start = time.perf_counter_ns()
        for _ in range(iterations):
            pass
        return time.perf_counter_ns() - start
    acquire = lock.acquire
    release = lock.release
    start = time.perf_counter_ns()
    for _ in range(iterations):
        acquire()
        release()
    return time.perf_counter_ns() - start


def best_per_op_ns(lock, iterations, repeats=5):
    return min(loop_ns(lock, iterations) for _ in range(repeats)) / iterations


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    ops = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    iterations = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
    print(f"python={platform.python_version()}")
    print(f"start_method={multiprocessing.get_start_method()}")
    print(f"contended_ops_per_s={max(contended(processes, ops) for _ in range(rounds)):.1f}")
    empty = best_per_op_ns(None, iterations)
    print(f"loop_ns={empty:.1f}")
    print(f"lock_ns={best_per_op_ns(multiprocessing.Lock(), iterations) - empty:.1f}")
    print(f"rlock_ns={best_per_op_ns(multiprocessing.RLock(), iterations) - empty:.1f}")


if __name__ == "__main__":
    main()
