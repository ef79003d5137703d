package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The shape shared by the workloads whose participants run for the whole duration: open the shared state, start the
 * participants, supervise them under faults until the duration is over, tell them to stop, then check and clean up.
 */
abstract class SupervisedWorkload implements Workload
{
    private static final long SUPERVISE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<Participants> groups = new CopyOnWriteArrayList<>();

    /** Creates the shared state in the context's directory and returns the participant groups. */
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
            final long start = System.nanoTime();
            for (final Participants group : groups)
            {
                group.startAll();
            }
            final StallWatch watch = new StallWatch(this::operations);
            try (FaultInjector injector = context.injector(getClass().getSimpleName(), this::livePids).start())
            {
                while (System.nanoTime() - start < context.durationNanos())
                {
                    for (final Participants group : groups)
                    {
                        group.supervise();
                    }
                    watch.sample();
                    LockSupport.parkNanos(SUPERVISE_NANOS);
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

    @Override
    public void abort()
    {
        for (final Participants group : groups)
        {
            group.killAll();
        }
    }

    private List<Long> livePids()
    {
        final List<Long> pids = new ArrayList<>();
        for (final Participants group : groups)
        {
            pids.addAll(group.livePids());
        }
        return pids;
    }
}
