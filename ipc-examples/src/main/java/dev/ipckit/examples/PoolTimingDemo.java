package dev.ipckit.examples;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sequential versus parallel, as Python's pool timing lesson shows it: the same CPU-bound tasks (counting primes) run
 * one after another in this process, then spread over a pool, and the speedup is printed. The pool's workers are
 * started and warmed up before the clock starts, so the comparison is of the work, not of JVM start-up. On a busy
 * machine the speedup is lower: the workers share the cpus with everything else.
 */
public final class PoolTimingDemo
{
    /** The tasks and their size in the demo: about a second of sequential work on an idle core. */
    static final int DEFAULT_TASKS = 8;
    static final int DEFAULT_LIMIT = 1_000_000;

    private PoolTimingDemo()
    {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored.
     * @throws Exception if a step fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(System.out);
    }

    static void run(final PrintStream out) throws Exception
    {
        run(out, DEFAULT_TASKS, DEFAULT_LIMIT);
    }

    /**
     * Times {@code tasks} prime counts below {@code limit}, sequentially and in a pool of one worker per CPU (at
     * least 2).
     */
    static void run(final PrintStream out, final int tasks, final int limit) throws Exception
    {
        final int workers = Math.max(2, ProcessInfo.cpuCount());
        final List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < tasks; i++)
        {
            limits.add(limit);
        }
        Lesson.say(out, tasks + " tasks, each counting the primes below " + limit + "; " + ProcessInfo.cpuCount() +
            " cpus");

        countPrimes(limit / 10);
        final long sequentialStart = System.nanoTime();
        final List<Integer> sequential = new ArrayList<>();
        for (final int n : limits)
        {
            sequential.add(countPrimes(n));
        }
        final long sequentialNanos = System.nanoTime() - sequentialStart;
        Lesson.say(out, "sequential: " + millis(sequentialNanos) + " ms in this process");

        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(workers).withName("timing")
            .withJvmOptions("-Xmx64m", "-XX:+UseSerialGC"));
        final List<Integer> parallel;
        final long parallelNanos;
        try
        {
            final int warmUp = limit / 10;
            final Set<Long> pids = Lesson.awaitWorkers(pool, x ->
            {
                countPrimes(warmUp);
                return ProcessInfo.currentPid();
            });
            Lesson.say(out, "pool of " + workers + " workers started and warmed up: pids " + pids);

            final long parallelStart = System.nanoTime();
            parallel = pool.map(n ->
            {
                final long start = System.nanoTime();
                final int count = countPrimes(n);
                Lesson.say("counted " + count + " primes below " + n + " in " + millis(System.nanoTime() - start) +
                    " ms");
                return count;
            }, limits, 1);
            parallelNanos = System.nanoTime() - parallelStart;
        }
        finally
        {
            Lesson.close(pool);
        }
        Lesson.say(out, "parallel: " + millis(parallelNanos) + " ms with " + workers + " workers");
        Lesson.say(out, String.format("speedup: %.2fx (at best %d, the number of workers, on %d idle cpus)",
            (double)sequentialNanos / parallelNanos, workers, workers));
        if (!sequential.equals(parallel))
        {
            throw new IllegalStateException("the pool's results " + parallel + " differ from the sequential " + sequential);
        }
        Lesson.say(out, "same results both ways: " + sequential.get(0) + " primes per task");
    }

    /** CPU-bound work: the number of primes below {@code n}, by trial division. */
    static int countPrimes(final int n)
    {
        int count = 0;
        for (int candidate = 2; candidate < n; candidate++)
        {
            boolean prime = true;
            for (int divisor = 2; (long)divisor * divisor <= candidate; divisor++)
            {
                if (candidate % divisor == 0)
                {
                    prime = false;
                    break;
                }
            }
            if (prime)
            {
                count++;
            }
        }
        return count;
    }

    private static String millis(final long nanos)
    {
        return String.format("%.1f", nanos / 1e6);
    }
}
