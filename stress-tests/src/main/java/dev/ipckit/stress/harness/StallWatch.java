package dev.ipckit.stress.harness;

import java.util.function.LongSupplier;

/**
 * Watches a workload's operation count: when it does not move for {@link WorkloadContext#STALL_NANOS} while the
 * workload runs, every participant is waiting on something that does not come: a deadlock, or close enough to one.
 * The watch starts at the first operation, since starting many JVMs on a busy machine can take seconds; a workload
 * in which nothing at all happens fails its own check.
 */
final class StallWatch
{
    private final LongSupplier operations;
    private final long initial;
    private long last;
    private long lastChange;
    private long longestNanos;

    StallWatch(final LongSupplier operations)
    {
        this.operations = operations;
        this.initial = operations.getAsLong();
        this.last = initial;
    }

    void sample()
    {
        final long now = System.nanoTime();
        final long current = operations.getAsLong();
        if (current != last)
        {
            last = current;
            lastChange = now;
        }
        else if (current != initial)
        {
            longestNanos = Math.max(longestNanos, now - lastChange);
        }
    }

    /** Adds the checks: something happened, and the longest time without an operation stays under the limit. */
    void check(final WorkloadReport report)
    {
        report.check(Check.between("operations done while running (> 0)", last == initial ? 0 : 1, 1, 1));
        report.check(Check.atMost("longest time without an operation after the first, ms (no deadlock)",
            longestNanos / 1_000_000, WorkloadContext.STALL_NANOS / 1_000_000));
    }
}
