package dev.ipckit.stress.harness;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * A worker is ready once it returned a result (each task returns its worker's pid beside its result): the clock starts
 * when every worker is ready (bounded by the ready limit), faults hit only ready workers, and progress is judged over
 * the time in which at least one worker is ready. The pool starts a replacement for each dead worker itself.
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
    /** Pids of workers that returned a result: added by the workload's thread, read by the injector's too. */
    private final Set<Long> readyWorkers = ConcurrentHashMap.newKeySet();
    /** When the clock started; 0 while the workers start (tasks are not judged hung then). */
    private long clockStart;

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

    /** A task, in a worker: its pid (so that the harness knows the worker is ready) and its result. */
    static long[] task(final long input)
    {
        return new long[] {ProcessHandle.current().pid(), work(input)};
    }

    private record Submitted(long input, long submittedNanos, CompletableFuture<long[]> future)
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
        final long launched = System.nanoTime();
        final long hungAfter = TimeUnit.SECONDS.toNanos(TASK_LIMIT_SECONDS) + context.options().grace().toNanos() / 2;
        final long[] input = {0};
        while (readyPids().size() < workers)
        {
            if (System.nanoTime() - launched > context.readyLimitNanos())
            {
                report.problem("only " + readyPids().size() + " of " + workers + " pool workers returned a result " +
                    "within the ready limit of " + context.options().readyLimit().toSeconds() + " s");
                break;
            }
            submitAndCollect(inFlight, outcomes, workers, input, hungAfter, report);
        }
        report.note(String.format(Locale.ROOT, "%d of %d workers ready %.1f s after the pool was created; the clock " +
            "started then", readyPids().size(), workers, (System.nanoTime() - launched) / 1e9));
        final long start = System.nanoTime();
        clockStart = start;
        final StallWatch watch = new StallWatch(() -> outcomes.ended, () -> !readyPids().isEmpty(), start);
        try (FaultInjector injector = context.injector("pool", this::readyPids).start())
        {
            while (!context.over(start, System.nanoTime(), watch))
            {
                submitAndCollect(inFlight, outcomes, workers, input, hungAfter, report);
                watch.sample();
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
            report.note(readyWorkers.size() + " workers (pids) returned a result; faults hit only those");
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

    private void submitAndCollect(final Deque<Submitted> inFlight, final Outcomes outcomes, final int workers,
        final long[] input, final long hungAfter, final WorkloadReport report) throws InterruptedException
    {
        while (inFlight.size() < workers * IN_FLIGHT_PER_WORKER)
        {
            final long x = ++input[0];
            inFlight.add(new Submitted(x, System.nanoTime(),
                pool.applyAsync(() -> task(x), TASK_LIMIT_SECONDS, TimeUnit.SECONDS)));
        }
        collect(inFlight, outcomes, hungAfter, false, report);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** @return the live workers that returned a result: the ones faults may hit. */
    private List<Long> readyPids()
    {
        final ProcessPool current = pool;
        final List<Long> pids = new ArrayList<>();
        if (current != null)
        {
            for (final long pid : current.workerPids())
            {
                if (readyWorkers.contains(pid))
                {
                    pids.add(pid);
                }
            }
        }
        return pids;
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

    private void collect(final Deque<Submitted> inFlight, final Outcomes outcomes, final long hungAfter,
        final boolean last, final WorkloadReport report) throws InterruptedException
    {
        final List<Submitted> pending = new ArrayList<>(inFlight);
        inFlight.clear();
        final long now = System.nanoTime();
        for (final Submitted task : pending)
        {
            if (!task.future().isDone())
            {
                // A task submitted while the workers were starting is judged from the clock's start.
                final long since = Math.max(task.submittedNanos(), clockStart);
                if (last || clockStart != 0 && now - since > hungAfter)
                {
                    outcomes.hung++;
                    report.problem("task " + task.input() + " has not ended " +
                        TimeUnit.NANOSECONDS.toSeconds(now - since) + " s after it was submitted (or the clock " +
                        "started)");
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
                final long[] result = task.future().get();
                readyWorkers.add(result[0]);
                if (result[1] == work(task.input()))
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
