package dev.ipckit.stress.harness;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code pool}: a {@link ProcessPool} of {@code processes} workers runs small CPU tasks (each about a millisecond,
 * with a 10 s limit) while the injector kills and stops its workers; the harness keeps a few tasks per worker in
 * flight.
 * <p>
 * Invariants: every task ends, within its limit plus the grace, with the right result or with
 * {@link WorkerDiedException} (its worker was killed while running it) or {@link TimeoutException} (it ran past its
 * limit, say while its worker was stopped); never with a wrong result or another failure. Tasks that died are at
 * most the kills. The pool shuts down within the grace.
 * <p>
 * The pool's region lives in the run's directory ({@code PoolOptions.withDirectory}), so the run's file check
 * covers it.
 */
final class PoolWorkload implements Workload
{
    private static final long TASK_LIMIT_SECONDS = 10;
    private static final int IN_FLIGHT_PER_WORKER = 4;
    private static final int WORK_STEPS = 200_000;

    private volatile ProcessPool pool;

    /** The task, in a worker: a deterministic bit of arithmetic, checked in the harness. */
    static long work(final long input)
    {
        long hash = input;
        for (int i = 0; i < WORK_STEPS; i++)
        {
            hash = hash * 6364136223846793005L + 1442695040888963407L;
        }
        return hash;
    }

    private record Submitted(long input, long submittedNanos, CompletableFuture<Long> future)
    {
    }

    @Override
    public void run(final WorkloadContext context, final WorkloadReport report) throws Exception
    {
        final int workers = context.options().processes();
        report.processes(workers);
        pool = ProcessPool.create(PoolOptions.defaults().withWorkers(workers).withName("stress-pool")
            .withDirectory(context.directory()).withJvmOptions(WorkloadContext.SMALL_JVM));
        final Outcomes outcomes = new Outcomes();
        final Deque<Submitted> inFlight = new ArrayDeque<>();
        final long start = System.nanoTime();
        final long hungAfter = TimeUnit.SECONDS.toNanos(TASK_LIMIT_SECONDS) + context.options().grace().toNanos() / 2;
        final StallWatch watch = new StallWatch(() -> outcomes.ended);
        try (FaultInjector injector = context.injector("pool", pool::workerPids).start())
        {
            long input = 0;
            while (System.nanoTime() - start < context.durationNanos())
            {
                while (inFlight.size() < workers * IN_FLIGHT_PER_WORKER)
                {
                    final long x = ++input;
                    inFlight.add(new Submitted(x, System.nanoTime(),
                        pool.applyAsync(() -> work(x), TASK_LIMIT_SECONDS, TimeUnit.SECONDS)));
                }
                collect(inFlight, outcomes, hungAfter, false, report);
                watch.sample();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            injector.close();
            report.faults(injector);
            final long deadline = System.nanoTime() + hungAfter;
            while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0)
            {
                collect(inFlight, outcomes, hungAfter, false, report);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            collect(inFlight, outcomes, hungAfter, true, report);
            report.durationNanos(System.nanoTime() - start);
            watch.check(report);
            pool.shutdown();
            if (!pool.awaitTermination(context.options().grace().toSeconds() / 2, TimeUnit.SECONDS))
            {
                report.problem("the pool did not shut down within " + context.options().grace().toSeconds() / 2 + " s");
            }
        }
        finally
        {
            pool.terminate();
        }
        report.operations(outcomes.ended);
        report.check(Check.exactly("tasks with a wrong result", outcomes.wrong, 0));
        report.check(Check.exactly("tasks failed other than by worker death or time limit", outcomes.other, 0));
        report.check(Check.exactly("tasks not ended within their limit + grace (hung)", outcomes.hung, 0));
        report.check(Check.atMost("tasks failed with WorkerDiedException <= workers killed", outcomes.died,
            report.kills()));
        report.note(outcomes.ended + " tasks ended: " + outcomes.right + " right, " + outcomes.died +
            " WorkerDiedException, " + outcomes.timedOut + " TimeoutException");
    }

    /** What became of the tasks. */
    private static final class Outcomes
    {
        volatile long ended;
        long right;
        long wrong;
        long died;
        long timedOut;
        long other;
        long hung;
    }

    private static void collect(final Deque<Submitted> inFlight, final Outcomes outcomes, final long hungAfter,
        final boolean last, final WorkloadReport report) throws InterruptedException
    {
        final List<Submitted> pending = new ArrayList<>(inFlight);
        inFlight.clear();
        final long now = System.nanoTime();
        for (final Submitted task : pending)
        {
            if (!task.future().isDone())
            {
                if (last || now - task.submittedNanos() > hungAfter)
                {
                    outcomes.hung++;
                    report.problem("task " + task.input() + " has not ended " +
                        TimeUnit.NANOSECONDS.toSeconds(now - task.submittedNanos()) + " s after it was submitted");
                    task.future().cancel(true);
                }
                else
                {
                    inFlight.add(task);
                }
                continue;
            }
            outcomes.ended++;
            try
            {
                if (task.future().get() == work(task.input()))
                {
                    outcomes.right++;
                }
                else
                {
                    outcomes.wrong++;
                }
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof WorkerDiedException)
                {
                    outcomes.died++;
                }
                else if (ex.getCause() instanceof TimeoutException)
                {
                    outcomes.timedOut++;
                }
                else
                {
                    outcomes.other++;
                    if (outcomes.other <= 3)
                    {
                        report.note("task " + task.input() + " failed: " + ex.getCause());
                    }
                }
            }
        }
    }

    @Override
    public void abort()
    {
        final ProcessPool current = pool;
        if (current != null)
        {
            for (final long pid : current.workerPids())
            {
                Signals.resume(pid);
            }
            current.terminate();
        }
    }
}
