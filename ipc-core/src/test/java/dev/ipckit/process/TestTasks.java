package dev.ipckit.process;

import dev.ipckit.platform.internal.ProcessIdentity;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Helpers for the child-process tests: small child JVMs, and waiting for a process that is not our child to end.
 */
final class TestTasks
{
    /** Options that keep test children small and quick to start. */
    static final String[] CHILD_OPTIONS = {"-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    private TestTasks()
    {
    }

    /** Simulates work in a child; an interrupt ends it early. */
    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for a process that is not a child of this JVM to end. Zombies count as ended (an orphan's zombie may not
     * be reaped when pid 1 does not reap). Polls every 20 ms until the deadline: there is no portable way to be
     * notified of a non-child's end.
     *
     * @param identity the process's {@link ProcessIdentity}, taken while it ran.
     * @param timeout  how long to wait.
     * @return true when it ended in time.
     */
    static boolean awaitEnd(final long identity, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessIdentity.isAlive(identity))
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }

    /** Kills whatever children a test left behind, so that the test JVM does not wait for them at exit. */
    static void killLeftovers() throws InterruptedException
    {
        for (final IpcProcess<?> child : ProcessInfo.activeChildren())
        {
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
    }
}
