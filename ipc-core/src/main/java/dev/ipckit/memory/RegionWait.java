package dev.ipckit.memory;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The wait used while opening a region and for the directory lock: both are rare and short, so spin a little,
 * yield, then park with backoff up to 1 ms. Never an unbounded busy-spin.
 */
final class RegionWait
{
    private RegionWait()
    {
    }

    static IdleStrategy newIdleStrategy()
    {
        return new BackoffIdleStrategy(20, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
