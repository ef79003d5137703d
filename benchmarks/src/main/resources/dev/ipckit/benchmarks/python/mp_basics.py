"""Python reference for dev.ipckit.benchmarks.OperationCosts and ChildStartBenchmark, run by them with python3.

Usage:
  python3 mp_basics.py ops ITERATIONS      (OperationCosts: uncontended single-process costs)
  python3 mp_basics.py start CHILDREN      (ChildStartBenchmark: child process start)

Prints key=value lines:
  python, start_method          interpreter version; multiprocessing's default start method
  ops:    value_get_ns           v.value on a multiprocessing.Value('q') (the synchronized wrapper takes its lock)
          value_set_ns           v.value = i
          value_increment_ns     with v.get_lock(): v.value += 1 (the lock looked up once)
          lock_ns, rlock_ns      acquire() + release() of a multiprocessing.Lock / RLock
          semaphore_ns           acquire() + release() of a multiprocessing.Semaphore(1)
                                 each the best of 5 loops of ITERATIONS, with the cost of the empty loop subtracted
  start:  spawn_start_ms         the spawn context: from just before Process.start() to the first line of the target
                                 (both read time.time_ns(), the same wall clock), median of CHILDREN started one
                                 after another after one unmeasured
          fork_start_ms          the same with the fork context (where there is one)
          forkserver_start_ms    the same with the forkserver context (its server started by the unmeasured first)
"""
import multiprocessing
import platform
import sys
import time

REPEATS = 5


def best_ns(body, iterations):
    best = None
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        body(iterations)
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best / iterations


def empty_loop(iterations):
    for _ in range(iterations):
        pass


def operation_costs(iterations):
    value = multiprocessing.Value('q', 0)
    lock = multiprocessing.Lock()
    rlock = multiprocessing.RLock()
    semaphore = multiprocessing.Semaphore(1)

    def get(n):
        for _ in range(n):
            value.value

    def put(n):
        for i in range(n):
            value.value = i

    def increment(n):
        value_lock = value.get_lock()
        for _ in range(n):
            with value_lock:
                value.value += 1

    def acquire_release(primitive):
        acquire = primitive.acquire
        release = primitive.release

        def body(n):
            for _ in range(n):
                acquire()
                release()
        return body

    loop = best_ns(empty_loop, iterations)
    print(f"loop_ns={loop:.1f}")
    print(f"value_get_ns={best_ns(get, iterations) - loop:.1f}")
    print(f"value_set_ns={best_ns(put, iterations) - loop:.1f}")
    before = value.value
    increments = best_ns(increment, iterations) - loop
    if value.value != before + REPEATS * iterations:
        sys.exit(f"lost increments: {value.value - before} != {REPEATS * iterations}")
    print(f"value_increment_ns={increments:.1f}")
    print(f"lock_ns={best_ns(acquire_release(lock), iterations) - loop:.1f}")
    print(f"rlock_ns={best_ns(acquire_release(rlock), iterations) - loop:.1f}")
    print(f"semaphore_ns={best_ns(acquire_release(semaphore), iterations) - loop:.1f}")


def first_line(started_at):
    started_at.value = time.time_ns()


def start_ms(context, children):
    samples = []
    for i in range(children + 1):
        started_at = context.Value('q', 0, lock=False)
        child = context.Process(target=first_line, args=(started_at,))
        before = time.time_ns()
        child.start()
        child.join(60)
        if child.exitcode != 0 or started_at.value == 0:
            sys.exit(f"child {i} exited with {child.exitcode} before its first line")
        if i > 0:
            samples.append((started_at.value - before) / 1e6)
    samples.sort()
    return samples[(len(samples) - 1) // 2]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("ops", "start"):
        sys.exit(__doc__)
    count = int(sys.argv[2])
    print(f"python={platform.python_version()}")
    print(f"start_method={multiprocessing.get_start_method()}")
    if sys.argv[1] == "ops":
        operation_costs(count)
    else:
        print(f"spawn_start_ms={start_ms(multiprocessing.get_context('spawn'), count):.2f}")
        if "fork" in multiprocessing.get_all_start_methods():
            print(f"fork_start_ms={start_ms(multiprocessing.get_context('fork'), count):.2f}")
        if "forkserver" in multiprocessing.get_all_start_methods():
            print(f"forkserver_start_ms={start_ms(multiprocessing.get_context('forkserver'), count):.2f}")


if __name__ == "__main__":
    main()
