package dev.ipckit.stress.harness;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Watches a workload's operation count while it runs, and judges progress only over the time in which progress is
 * due: while the workload has a ready participant of every role (its JVM started, its shared objects opened, its loop
 * entered). Starting and restarting JVMs on a busy machine can take many seconds; that time is not held against it.
 * <ul>
 * <li>progress: once it was ready for {@link WorkloadContext#PROGRESS_NANOS} in all, at least one operation;</li>
 * <li>no stall: no {@link WorkloadContext#STALL_NANOS} of ready time without an operation: every participant is
 *     waiting on something that does not come, a deadlock or close to one.</li>
 * </ul>
 * The watch starts when the workload's clock starts; operations before that (while participants were starting) do
 * not count as progress.
 */
final class StallWatch
{
    private final LongSupplier operations;
    private final BooleanSupplier ready;
    private final long initial;
    private long last;
    private long lastSampleNanos;
    private long readyNanos;
    private long stalledNanos;
    private long longestNanos;

    /**
     * @param operations the workload's operation count so far.
     * @param ready      whether it has a ready participant of every role now.
     */
    StallWatch(final LongSupplier operations, final BooleanSupplier ready)
    {
        this(operations, ready, System.nanoTime());
    }

    StallWatch(final LongSupplier operations, final BooleanSupplier ready, final long startNanos)
    {
        this.operations = operations;
        this.ready = ready;
        this.initial = operations.getAsLong();
        this.last = initial;
        this.lastSampleNanos = startNanos;
    }

    void sample()
    {
        sample(System.nanoTime());
    }

    /** Looks once; the time since the previous look counts as ready time when the workload is ready now. */
    void sample(final long nowNanos)
    {
        final long elapsed = nowNanos - lastSampleNanos;
        lastSampleNanos = nowNanos;
        final boolean readyNow = ready.getAsBoolean();
        final long current = operations.getAsLong();
        if (readyNow)
        {
            readyNanos += elapsed;
        }
        if (current != last)
        {
            last = current;
            stalledNanos = 0;
        }
        else if (readyNow)
        {
            stalledNanos += elapsed;
            longestNanos = Math.max(longestNanos, stalledNanos);
        }
    }

    /** @return whether it was ready long enough for its progress to be judged. */
    boolean judged()
    {
        return readyNanos >= WorkloadContext.PROGRESS_NANOS;
    }

    /** @return the time in which the workload had a ready participant of every role. */
    long readyNanos()
    {
        return readyNanos;
    }

    /** Adds the checks: progress once ready long enough, and no long stall while ready. */
    void check(final WorkloadReport report)
    {
        final long done = last - initial;
        if (judged())
        {
            report.check(Check.atLeast("operations while running (progress; judged after " +
                TimeUnit.NANOSECONDS.toMillis(WorkloadContext.PROGRESS_NANOS) + " ms ready in all)", done, 1));
        }
        else
        {
            report.note("ready only " + TimeUnit.NANOSECONDS.toMillis(readyNanos) + " ms in all: progress not " +
                "judged (" + done + " operations)");
        }
        report.check(Check.atMost("longest ready time without an operation, ms (no deadlock)",
            TimeUnit.NANOSECONDS.toMillis(longestNanos), TimeUnit.NANOSECONDS.toMillis(WorkloadContext.STALL_NANOS)));
    }
}
