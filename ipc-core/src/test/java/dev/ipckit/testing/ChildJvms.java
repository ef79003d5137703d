package dev.ipckit.testing;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;

import java.util.concurrent.TimeUnit;

/** What tests that start child JVMs share: small, quick-starting JVM options, and killing what a test left. */
public final class ChildJvms
{
    /** Options for a test's child or worker JVM: a small heap, the serial collector, C1 only. */
    public static final String[] SMALL = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    private ChildJvms()
    {
    }

    /**
     * Kills the children a test left running and waits (briefly) for each, so that the test JVM does not wait for
     * them at its exit.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public static void killLeftovers() throws InterruptedException
    {
        for (final IpcProcess<?> child : ProcessInfo.activeChildren())
        {
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
    }
}
