package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The shape shared by the workloads whose participants run for the whole duration: open the shared state, start the
 * participants and wait until every one is ready (bounded by the ready limit), then run the clock: supervise them
 * under faults (which hit only ready participants) for the duration, tell them to stop, then check and clean up.
 */
abstract class SupervisedWorkload implements Workload
{
    private final List<Participants> groups = new CopyOnWriteArrayList<>();

    /** Creates the shared state in the context's directory and returns the participant groups (one per role). */
    abstract List<Participants> open(WorkloadContext context);

    /** Operations completed so far, read from shared memory. */
    abstract long operations();

    /** Tells every participant to stop (they look between operations). */
    abstract void signalStop();

    /** After every participant stopped: checks the invariants. */
    abstract void check(WorkloadReport report) throws Exception;

    /** Closes and removes the shared state; called even when the run failed. */
    abstract void close();

    @Override
    public final void run(final WorkloadContext context, final WorkloadReport report) throws Exception
    {
        try
        {
            groups.addAll(open(context));
            int processes = 0;
            for (final Participants group : groups)
            {
                processes += group.size();
            }
            report.processes(processes);
            final long launched = System.nanoTime();
            for (final Participants group : groups)
            {
                group.startAll();
            }
            awaitReady(context, report, launched);
            final long start = System.nanoTime();
            final StallWatch watch = new StallWatch(this::operations, this::everyRoleReady, start);
            try (FaultInjector injector = context.injector(getClass().getSimpleName(), this::readyPids).start())
            {
                while (!context.over(start, System.nanoTime(), watch))
                {
                    superviseOnce();
                    watch.sample();
                    LockSupport.parkNanos(WorkloadContext.SUPERVISE_NANOS);
                    if (Thread.interrupted())
                    {
                        throw new InterruptedException("stopped while running");
                    }
                }
                injector.close();
                report.faults(injector);
            }
            signalStop();
            final long deadline = context.stopDeadline();
            for (final Participants group : groups)
            {
                group.stop(deadline);
                group.problems().forEach(report::problem);
                report.restarts(group.restarts());
                report.note(group.readinessNote());
            }
            report.durationNanos(System.nanoTime() - start);
            watch.check(report);
            check(report);
            report.operations(operations());
        }
        finally
        {
            close();
        }
    }

    /**
     * Waits until every participant is ready, supervising meanwhile (a child that dies while starting is started
     * again); past the ready limit, a problem that names the ones not ready, and the run goes on without them.
     */
    private void awaitReady(final WorkloadContext context, final WorkloadReport report, final long launched)
        throws InterruptedException
    {
        while (!allReady())
        {
            if (System.nanoTime() - launched > context.readyLimitNanos())
            {
                final List<String> missing = new ArrayList<>();
                for (final Participants group : groups)
                {
                    if (!group.allReady())
                    {
                        missing.add(group.notReady());
                    }
                }
                report.problem("not ready within the ready limit of " + context.options().readyLimit().toSeconds() +
                    " s: " + String.join(", ", missing));
                return;
            }
            superviseOnce();
            LockSupport.parkNanos(WorkloadContext.SUPERVISE_NANOS);
            if (Thread.interrupted())
            {
                throw new InterruptedException("stopped while starting");
            }
        }
        report.note(String.format(Locale.ROOT, "every participant ready %.1f s after the first start; the clock " +
            "started then", (System.nanoTime() - launched) / 1e9));
    }

    private void superviseOnce()
    {
        for (final Participants group : groups)
        {
            group.supervise();
        }
    }

    private boolean allReady()
    {
        for (final Participants group : groups)
        {
            if (!group.allReady())
            {
                return false;
            }
        }
        return true;
    }

    /** Progress is due while every role (group) has a ready participant. */
    private boolean everyRoleReady()
    {
        for (final Participants group : groups)
        {
            if (!group.anyReady())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void abort()
    {
        for (final Participants group : groups)
        {
            group.killAll();
        }
    }

    private List<Long> readyPids()
    {
        final List<Long> pids = new ArrayList<>();
        for (final Participants group : groups)
        {
            pids.addAll(group.readyPids());
        }
        return pids;
    }
}
