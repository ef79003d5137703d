package dev.ipckit.process;

import dev.ipckit.platform.internal.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.OptionalInt;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child's life is bounded by its parent's: it exits when the parent dies, however the parent dies, and a daemon
 * child is terminated when its parent exits.
 */
@Timeout(90)
class ProcessLifetimeTest
{
    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        TestTasks.killLeftovers();
    }

    /** How the children start their own children (the grandchildren). */
    StartMethod grandchildStartMethod()
    {
        return StartMethod.SPAWN;
    }

    /**
     * In a child about to start a grandchild by forkserver: makes a spare ready there first, so the grandchild is
     * handed to one.
     */
    static void prepare(final StartMethod method)
    {
        if (method == StartMethod.FORKSERVER)
        {
            try
            {
                ForkserverTest.awaitSpare(CHILD_OPTIONS);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    @Test
    void grandchildExitsWhenItsParentIsKilled() throws Exception
    {
        final StartMethod method = grandchildStartMethod();
        try (OutputWatch watch = OutputWatch.stdout("GRANDCHILD-PID="))
        {
            final IpcProcess<Void> parent = IpcProcess.of(() ->
            {
                prepare(method);
                final IpcProcess<Void> grandchild = IpcProcess.of(() -> TestTasks.sleep(60_000))
                    .name("grandchild").jvmOptions(CHILD_OPTIONS).startMethod(method).start();
                System.out.println("GRANDCHILD-PID=" + grandchild.pid());
                TestTasks.sleep(60_000);
            }).name("parent").jvmOptions(CHILD_OPTIONS).start();

            final long grandchildPid = Long.parseLong(watch.awaitMarkedLine(Duration.ofSeconds(60)).trim());
            final long grandchild = ProcessIdentity.of(grandchildPid);
            assertNotEquals(ProcessIdentity.NONE, grandchild, "the grandchild runs");

            parent.kill();
            assertTrue(parent.join(Duration.ofSeconds(10)));
            assertEquals(OptionalInt.of(-9), parent.exitCode());
            assertTrue(TestTasks.awaitEnd(grandchild, Duration.ofSeconds(10)),
                "the grandchild " + grandchildPid + " still runs 10 s after its parent was killed");
        }
    }

    @Test
    void daemonGrandchildIsTerminatedWhenItsParentExits() throws Exception
    {
        final StartMethod method = grandchildStartMethod();
        try (OutputWatch watch = OutputWatch.stdout("DAEMON-PID="))
        {
            final IpcProcess<Void> parent = IpcProcess.of(() ->
            {
                prepare(method);
                final IpcProcess<Void> daemon = IpcProcess.of(() -> TestTasks.sleep(60_000))
                    .name("daemon").daemon(true).jvmOptions(CHILD_OPTIONS).startMethod(method).start();
                System.out.println("DAEMON-PID=" + daemon.pid());
            }).name("parent").jvmOptions(CHILD_OPTIONS).start();

            final long daemonPid = Long.parseLong(watch.awaitMarkedLine(Duration.ofSeconds(60)).trim());
            final long daemon = ProcessIdentity.of(daemonPid);

            assertTrue(parent.join(Duration.ofSeconds(30)));
            assertEquals(OptionalInt.of(0), parent.exitCode());
            assertTrue(TestTasks.awaitEnd(daemon, Duration.ofSeconds(10)),
                "the daemon grandchild " + daemonPid + " still runs 10 s after its parent exited");
        }
    }

    @Test
    void nonDaemonGrandchildIsAwaitedWhenItsParentExits() throws Exception
    {
        final StartMethod method = grandchildStartMethod();
        final IpcProcess<Long> parent = IpcProcess.of(() ->
        {
            prepare(method);
            final IpcProcess<Void> grandchild = IpcProcess.of(() -> TestTasks.sleep(1_000))
                .name("slow-grandchild").jvmOptions(CHILD_OPTIONS).startMethod(method).start();
            if (method == StartMethod.FORKSERVER && !grandchild.startedOnSpare())
            {
                throw new IllegalStateException("the grandchild did not start on a spare");
            }
            return grandchild.pid();
        }).name("parent").jvmOptions(CHILD_OPTIONS).start();

        assertTrue(parent.join(Duration.ofSeconds(60)));
        assertEquals(OptionalInt.of(0), parent.exitCode());
        final long grandchildPid = parent.result();
        assertEquals(ProcessIdentity.NONE, ProcessIdentity.of(grandchildPid), "the parent waited for its grandchild");
    }
}
