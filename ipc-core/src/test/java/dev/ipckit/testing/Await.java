package dev.ipckit.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one wait-until of the tests: looks at a condition every millisecond until it holds, and fails the test, naming
 * what it waited for, when it does not within the time (60 s unless given: long enough for a loaded 2-core machine,
 * so that only a condition that never comes fails).
 */
public final class Await
{
    /** How long {@link #until(BooleanSupplier, String)} waits. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Await()
    {
    }

    /**
     * Waits until {@code condition} holds, at most {@link #DEFAULT_TIMEOUT}.
     *
     * @param condition what to wait for.
     * @param what      the condition in words, for the failure.
     * @throws InterruptedException when interrupted.
     */
    public static void until(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        until(condition, what, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until {@code condition} holds, at most {@code timeout}.
     *
     * @param condition what to wait for.
     * @param what      the condition in words, for the failure.
     * @param timeout   how long.
     * @throws InterruptedException when interrupted.
     */
    public static void until(final BooleanSupplier condition, final String what, final Duration timeout)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(1);
        }
    }
}
