"""Python reference for dev.ipckit.benchmarks.ManagerBenchmark, run by it with python3.

Usage: python3 mp_manager.py [processes] [ops_per_process] [rounds] [keys]

One multiprocessing.Manager() (its server process) serves one Manager().dict() to `processes` worker processes
(multiprocessing's default start method, fork on Linux before 3.14). Per round, a fresh dict holding the keys
0..keys-1, and three phases, each started by a gate once every worker has arrived:
  write   each worker does d[i % keys] = i, ops times
  read    each worker does v = d[i % keys], ops times, each call timed with perf_counter_ns
Prints key=value lines:
  python, start_method          interpreter version; multiprocessing's start method
  write_ops_per_s               best of the rounds: total writes per second, from the gate opening to the last
                                worker's end
  read_ops_per_s                the same for reads (the timing of each call included)
  read_p50_us, read_p99_us      nearest-rank percentiles of every timed read of every round
"""
import multiprocessing
import platform
import sys
import time


def worker(d, arrived, gate, finished_at, index, ops, keys, read, conn):
    with arrived.get_lock():
        arrived.value += 1
    gate.wait()
    if read:
        clock = time.perf_counter_ns
        samples = [0] * ops
        for i in range(ops):
            start = clock()
            if d[i % keys] is None:
                sys.exit("a read found nothing")
            samples[i] = clock() - start
    else:
        samples = []
        for i in range(ops):
            d[i % keys] = i
    finished_at[index] = time.monotonic_ns()
    conn.send(samples)
    conn.close()


def phase(d, processes, ops, keys, read):
    arrived = multiprocessing.Value('i', 0)
    gate = multiprocessing.Event()
    finished_at = multiprocessing.Array('q', processes, lock=False)
    pipes = [multiprocessing.Pipe(duplex=False) for _ in range(processes)]
    workers = [multiprocessing.Process(target=worker,
                                       args=(d, arrived, gate, finished_at, i, ops, keys, read, pipes[i][1]))
               for i in range(processes)]
    for w in workers:
        w.start()
    while arrived.value < processes:
        time.sleep(0.001)
    start = time.monotonic_ns()
    gate.set()
    samples = []
    for receiver, _ in pipes:
        samples.extend(receiver.recv())
    for w in workers:
        w.join()
        if w.exitcode != 0:
            sys.exit(f"worker {w.name} exited with {w.exitcode}")
    return processes * ops * 1e9 / (max(finished_at) - start), samples


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    ops = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    keys = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    print(f"python={platform.python_version()}")
    print(f"start_method={multiprocessing.get_start_method()}")
    best_write = 0.0
    best_read = 0.0
    samples = []
    with multiprocessing.Manager() as manager:
        for _ in range(rounds):
            d = manager.dict()
            d.update({k: k for k in range(keys)})
            write_rate, _ = phase(d, processes, ops, keys, False)
            for k in range(keys):
                if d[k] % keys != k:
                    sys.exit(f"key {k} holds {d[k]}")
            read_rate, read_samples = phase(d, processes, ops, keys, True)
            best_write = max(best_write, write_rate)
            best_read = max(best_read, read_rate)
            samples.extend(read_samples)
    samples.sort()

    def percentile(p):
        rank = max(1, -(-len(samples) * p // 100))  # nearest rank, ceil(n * p / 100)
        return samples[int(rank) - 1] / 1e3

    print(f"write_ops_per_s={best_write:.1f}")
    print(f"read_ops_per_s={best_read:.1f}")
    print(f"read_p50_us={percentile(50):.2f}")
    print(f"read_p99_us={percentile(99):.2f}")


if __name__ == "__main__":
    main()
