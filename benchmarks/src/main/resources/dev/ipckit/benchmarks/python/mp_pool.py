"""Python reference for dev.ipckit.benchmarks.PoolBenchmark, run by it with python3.

Usage: python3 mp_pool.py POOLS MAP_ITEMS CHUNK1_ITEMS ROUND_TRIPS CPU_TASKS TASK_MS

Three pools of 2 workers, each measured the same way: multiprocessing.Pool with the fork start method (pool_fork),
with spawn (pool_spawn), and concurrent.futures.ProcessPoolExecutor with fork (executor_fork). Every result is
checked, so a pool that loses, repeats or reorders results fails the run. Prints key=value lines:
  python, start_method       interpreter version; multiprocessing's default start method
  {variant}_ready_ms         lower median of POOLS fresh pools: from creating the pool to the result of
                             apply_async(inc, (0,)).get() (executor: submit(inc, 0).result()); one unmeasured pool first
  {variant}_map_us           pool.map(inc, range(MAP_ITEMS)) with the default chunk size, microseconds per item, lower
                             median of 5 rounds after one unmeasured; the executor's own default is 1, so it gets
                             Pool's rule explicitly: ceil(items / (4 * workers))
  {variant}_map_chunk1_us    the same over range(CHUNK1_ITEMS) with chunksize=1
  {variant}_rt_p50_us, _p99  apply_async(inc, (i,)).get() (executor: submit(inc, i).result()), one call at a time,
                             timed with perf_counter_ns: ROUND_TRIPS recorded after ROUND_TRIPS / 4 unrecorded;
                             nearest-rank percentiles
  cpu_iterations             iterations of burn (a 64-bit LCG) that take about TASK_MS ms here
  cpu_sequential_ms          CPU_TASKS burns one after another in this process, best of 3
  {variant}_cpu_pool_ms      the same tasks through pool.map(burn, tasks, chunksize=1), best of 3 after one unmeasured
  {variant}_cpu_speedup      cpu_sequential_ms / {variant}_cpu_pool_ms
"""
import concurrent.futures
import multiprocessing
import platform
import sys
import time

WORKERS = 2
TIMED_ROUNDS = 5
CPU_ROUNDS = 3
LCG_MULTIPLIER = 6364136223846793005
LCG_INCREMENT = 1442695040888963407
MASK = (1 << 64) - 1


def inc(x):
    return x + 1


def burn(task):
    seed, iterations = task
    x = seed
    for _ in range(iterations):
        x = (x * LCG_MULTIPLIER + LCG_INCREMENT) & MASK
    return x


def default_chunksize(items):
    chunksize, extra = divmod(items, WORKERS * 4)
    return chunksize + 1 if extra else chunksize


class Pool:
    """multiprocessing.Pool with a start method."""

    def __init__(self, method):
        self.context = multiprocessing.get_context(method)
        self.pool = None

    def open(self):
        self.pool = self.context.Pool(WORKERS)

    def apply(self, fn, arg):
        return self.pool.apply_async(fn, (arg,)).get()

    def map(self, fn, items, chunksize=None):
        return self.pool.map(fn, items, chunksize)

    def close(self):
        self.pool.close()
        self.pool.join()


class Executor:
    """concurrent.futures.ProcessPoolExecutor with fork."""

    def __init__(self):
        self.context = multiprocessing.get_context("fork")
        self.pool = None

    def open(self):
        self.pool = concurrent.futures.ProcessPoolExecutor(WORKERS, mp_context=self.context)

    def apply(self, fn, arg):
        return self.pool.submit(fn, arg).result()

    def map(self, fn, items, chunksize=None):
        return list(self.pool.map(fn, items, chunksize=chunksize or default_chunksize(len(items))))

    def close(self):
        self.pool.shutdown(wait=True)


def lower_median(samples):
    return sorted(samples)[(len(samples) - 1) // 2]


def ready_ms(variant, pools):
    samples = []
    for i in range(pools + 1):  # the first one imports what a pool needs; not measured
        start = time.perf_counter_ns()
        variant.open()
        result = variant.apply(inc, 0)
        elapsed = time.perf_counter_ns() - start
        variant.close()
        if result != 1:
            sys.exit(f"ready: inc(0) returned {result}")
        if i > 0:
            samples.append(elapsed / 1e6)
    return lower_median(samples)


def map_us(variant, items, chunksize):
    expected = list(range(1, items + 1))
    samples = []
    for i in range(TIMED_ROUNDS + 1):
        start = time.perf_counter_ns()
        results = variant.map(inc, range(items), chunksize)
        elapsed = time.perf_counter_ns() - start
        if results != expected:
            sys.exit(f"map over {items} items, chunksize {chunksize}: wrong results, sum {sum(results)}")
        if i > 0:
            samples.append(elapsed / 1e3 / items)
    return lower_median(samples)


def round_trips_us(variant, calls, warmup):
    apply, clock = variant.apply, time.perf_counter_ns
    samples = []
    for i in range(warmup + calls):
        start = clock()
        result = apply(inc, i)
        elapsed = clock() - start
        if result != i + 1:
            sys.exit(f"round trip {i} returned {result}")
        if i >= warmup:
            samples.append(elapsed)
    samples.sort()

    def percentile(p):
        rank = max(1, -(-len(samples) * p // 100))  # nearest rank, ceil(n * p / 100)
        return samples[int(rank) - 1] / 1e3

    return percentile(50), percentile(99)


def calibrate(task_ms):
    probe = 100_000
    best = min(timed_ns(lambda: burn((1, probe))) for _ in range(3))
    return max(1, int(probe * task_ms * 1e6 / best))


def timed_ns(action):
    start = time.perf_counter_ns()
    action()
    return time.perf_counter_ns() - start


def sequential_ms(tasks):
    best, results = None, None
    for _ in range(CPU_ROUNDS):
        start = time.perf_counter_ns()
        results = [burn(task) for task in tasks]
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best / 1e6, sum(results)


def pooled_ms(variant, tasks, expected):
    best = None
    for i in range(CPU_ROUNDS + 1):
        start = time.perf_counter_ns()
        results = variant.map(burn, tasks, 1)
        elapsed = time.perf_counter_ns() - start
        if sum(results) != expected:
            sys.exit("CPU-bound map: results differ from the sequential ones")
        if i > 0:
            best = elapsed if best is None else min(best, elapsed)
    return best / 1e6


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    pools, map_items, chunk1_items, calls, cpu_tasks, task_ms = (int(arg) for arg in sys.argv[1:])
    print(f"python={platform.python_version()}")
    print(f"start_method={multiprocessing.get_start_method()}")
    iterations = calibrate(task_ms)
    tasks = [(seed, iterations) for seed in range(cpu_tasks)]
    sequential, expected = sequential_ms(tasks)
    print(f"cpu_iterations={iterations}")
    print(f"cpu_sequential_ms={sequential:.1f}")
    variants = {"pool_fork": Pool("fork"), "pool_spawn": Pool("spawn"), "executor_fork": Executor()}
    for name, variant in variants.items():
        print(f"{name}_ready_ms={ready_ms(variant, pools):.2f}", flush=True)
        variant.open()
        try:
            print(f"{name}_map_us={map_us(variant, map_items, None):.3f}")
            print(f"{name}_map_chunk1_us={map_us(variant, chunk1_items, 1):.3f}")
            p50, p99 = round_trips_us(variant, calls, max(1, calls // 4))
            print(f"{name}_rt_p50_us={p50:.2f}")
            print(f"{name}_rt_p99_us={p99:.2f}")
            pooled = pooled_ms(variant, tasks, expected)
            print(f"{name}_cpu_pool_ms={pooled:.1f}")
            print(f"{name}_cpu_speedup={sequential / pooled:.3f}", flush=True)
        finally:
            variant.close()


if __name__ == "__main__":
    main()
