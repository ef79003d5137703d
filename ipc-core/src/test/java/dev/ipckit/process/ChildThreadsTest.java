package dev.ipckit.process;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.sync.SharedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A child ends as {@code java Main} does: after its task and every non-daemon thread the task started, with the
 * task's exit code; the result still arrives, and a dead parent still ends the child.
 */
@Timeout(120)
class ChildThreadsTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("child-threads", 1 << 16, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        TestTasks.killLeftovers();
        region.close();
    }

    @Test
    void joinReturnsOnlyAfterTheTasksNonDaemonThreadEnds() throws Exception
    {
        final SharedEvent returned = SharedEvent.create(region, "returned");
        final SharedEvent go = SharedEvent.create(region, "go");
        final SharedEvent done = SharedEvent.create(region, "done");
        final IpcProcess<Integer> child = IpcProcess.of(() ->
        {
            startNonDaemon(go, done);
            returned.set();
            return 42;
        }).name("threads").jvmOptions(CHILD_OPTIONS).start();

        assertTrue(returned.await(60, TimeUnit.SECONDS), "the task returned");
        assertFalse(child.join(2, TimeUnit.SECONDS), "the child waits for its non-daemon thread, which waits for go");
        go.set();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertTrue(done.isSet(), "the thread ran to its end before the child exited");
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertEquals(42, child.result(), "the task's result still reaches the parent");
    }

    @Test
    void aFailingTaskExitsWithOneAfterItsNonDaemonThreadEnds() throws Exception
    {
        final SharedEvent go = SharedEvent.create(region, "go");
        final SharedEvent done = SharedEvent.create(region, "done");
        final IpcProcess<Void> child = IpcProcess.of((SerializableRunnable)() ->
        {
            startNonDaemon(go, done);
            throw new IllegalStateException("the task fails, its thread lives on");
        }).name("failing").jvmOptions(CHILD_OPTIONS).start();

        assertFalse(child.join(2, TimeUnit.SECONDS), "the child waits for its non-daemon thread");
        go.set();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertTrue(done.isSet(), "the thread ran to its end before the child exited");
        assertEquals(OptionalInt.of(1), child.exitCode());
    }

    @Test
    void aChildWaitingForItsThreadsStillEndsWhenItsParentDies() throws Exception
    {
        final SharedEvent never = SharedEvent.create(region, "never");
        final SharedEvent done = SharedEvent.create(region, "done");
        try (OutputWatch watch = OutputWatch.stdout("GRANDCHILD-PID="))
        {
            final IpcProcess<Void> parent = IpcProcess.of(() ->
            {
                final IpcProcess<Void> grandchild = IpcProcess.of(() -> startNonDaemon(never, done))
                    .name("grandchild").jvmOptions(CHILD_OPTIONS).start();
                System.out.println("GRANDCHILD-PID=" + grandchild.pid());
                TestTasks.sleep(60_000);
            }).name("parent").jvmOptions(CHILD_OPTIONS).start();

            final long grandchildPid = Long.parseLong(watch.awaitMarkedLine(Duration.ofSeconds(60)).trim());
            final long grandchild = ProcessIdentity.of(grandchildPid);
            assertNotEquals(ProcessIdentity.NONE, grandchild, "the grandchild runs");

            parent.kill();
            assertTrue(parent.join(Duration.ofSeconds(10)));
            assertTrue(TestTasks.awaitEnd(grandchild, Duration.ofSeconds(10)),
                "the grandchild " + grandchildPid + " still runs 10 s after its parent was killed");
            assertFalse(done.isSet());
        }
    }

    /** Starts a non-daemon thread that waits (up to 5 minutes) for {@code go}, then sets {@code done}. */
    private static void startNonDaemon(final SharedEvent go, final SharedEvent done)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                if (go.await(5, TimeUnit.MINUTES))
                {
                    done.set();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "task-thread");
        thread.setDaemon(false);
        thread.start();
    }
}
