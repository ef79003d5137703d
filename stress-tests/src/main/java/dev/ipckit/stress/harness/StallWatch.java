package dev.ipckit.stress.harness;

import java.util.function.LongSupplier;

/**
 * Watches a workload's operation count: when it does not move for {@link WorkloadContext#STALL_NANOS} while the
 * workload runs, every participant is waiting on something that does not come: a deadlock, or close enough to one.
 */
final class StallWatch
{
    private final LongSupplier operations;
    private long last;
    private long lastChange;
    private long longestNanos;

    StallWatch(final LongSupplier operations)
    {
        this.operations = operations;
        this.last = operations.getAsLong();
        this.lastChange = System.nanoTime();
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
        longestNanos = Math.max(longestNanos, now - lastChange);
    }

    /** Adds the check: the longest time without an operation stays under the stall limit. */
    void check(final WorkloadReport report)
    {
        report.check(Check.atMost("longest time without an operation, ms (no deadlock)",
            longestNanos / 1_000_000, WorkloadContext.STALL_NANOS / 1_000_000));
    }
}
