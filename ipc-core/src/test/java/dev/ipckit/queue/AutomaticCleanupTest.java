package dev.ipckit.queue;

import dev.ipckit.testing.Await;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.HaltingCreator;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Automatic cleanup (Python's resource tracker): what a dead process made and did not remove disappears without
 * {@code ./ipckit clean}, removed by its ipckit parent when the parent sees it exit, or by the next ipckit process
 * that creates something in the directory. Creators are SIGKILLed, SIGTERMed and halted at every step of creation.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AutomaticCleanupTest
{
    private static final long REGION_BYTES = 64 * 1024;
    private static final String READY = "ready";

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        System.clearProperty(ResourceTracker.CLEANUP_PROPERTY);
        ChildJvms.killLeftovers();
    }

    @Test
    void whatAKilledChildMadeIsGoneAsSoonAsItsParentSeesItExit() throws Exception
    {
        for (final boolean sigkill : new boolean[]{true, false})
        {
            final Path directory = Files.createDirectory(dir.resolve(sigkill ? "killed" : "terminated"));
            final IpcProcess<Void> child = startCreatorThatWaits(directory);
            Await.until(() -> Files.exists(directory.resolve(READY)), "the child made its region, queue and pipe");
            assertEquals(List.of("made.queue", "made.region", "made.pipe", READY).stream().sorted().toList(),
                HaltingCreator.namesIn(directory), "made and left in place while the child lives");

            final long killedAt = System.nanoTime();
            if (sigkill)
            {
                child.kill();
            }
            else
            {
                child.terminate();
            }
            // No join: the parent notices the exit by itself (Process.onExit) and sweeps then.
            Await.until(() -> HaltingCreator.namesIn(directory).equals(List.of(READY)), "the dead child's files went");
            final double goneMillis = (System.nanoTime() - killedAt) / 1e6;
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals(sigkill ? -9 : -15, child.exitCode().getAsInt());
            assertEquals(List.of(READY), HaltingCreator.namesIn(directory));
            System.out.printf("automatic cleanup: %s -> the child's region, queue and pipe gone after %.1f ms%n",
                sigkill ? "SIGKILL" : "SIGTERM", goneMillis);
        }
    }

    @Test
    void aChildHaltedAtAnyStepOfCreatingLeavesNothingOnceJoined() throws Exception
    {
        final String directory = dir.toString();
        // Queue first, so that the region steps are met inside the queue's control region; then the region steps
        // once more in a region of its own, and the pipe's last step.
        for (final String step : CreationSteps.STEPS)
        {
            final long pid = HaltingCreator.haltAt(step, () ->
            {
                final Path where = Path.of(directory);
                SharedQueue.create("q", QueueOptions.defaults().withDirectory(where)).offer("lost with its creator");
                Pipe.create(PipeOptions.defaults().withDirectory(where).withName("p"));
                SharedRegion.create("r", REGION_BYTES, RegionOptions.defaults().withDirectory(where));
                throw new AssertionError("every step halts before this");
            });
            assertEquals(List.of(), HaltingCreator.namesIn(dir), "creator pid " + pid + " halted at " + step);
        }
        for (final String step : new String[]{CreationSteps.REGION_FILE_CREATED, CreationSteps.REGION_SIZED,
            CreationSteps.REGION_HEADER_WRITTEN, CreationSteps.REGION_LINKED, CreationSteps.REGION_CREATED})
        {
            final long pid = HaltingCreator.haltAt(step, () ->
            {
                SharedRegion.create("r", REGION_BYTES, RegionOptions.defaults().withDirectory(Path.of(directory)));
                throw new AssertionError("every step halts before this");
            });
            assertEquals(List.of(), HaltingCreator.namesIn(dir), "region creator pid " + pid + " halted at " + step);
        }
    }

    @Test
    void aChildThatReturnsWithoutClosingLeavesOnlyWhatIsPersistent() throws Exception
    {
        final String directory = dir.toString();
        final IpcProcess<Void> child = IpcProcess.of(() ->
        {
            final Path where = Path.of(directory);
            SharedRegion.create("temporary", REGION_BYTES, RegionOptions.defaults().withDirectory(where));
            SharedRegion.create("kept", REGION_BYTES,
                RegionOptions.defaults().withDirectory(where).withPersistent(true));
        }).jvmOptions(ChildJvms.SMALL).start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitCode().getAsInt(), child.stderrTail());
        assertEquals(List.of("kept.region"), HaltingCreator.namesIn(dir));
        try (SharedRegion kept = SharedRegion.open("kept", RegionOptions.defaults().withDirectory(dir)))
        {
            assertTrue(kept.isPersistent());
        }
    }

    @Test
    void withCleanupOffTheLeftoversStayUntilTheNextProcessCreatesInTheDirectory() throws Exception
    {
        final String directory = dir.toString();
        System.setProperty(ResourceTracker.CLEANUP_PROPERTY, "false");
        final IpcProcess<Void> first = startCreatorThatWaits(Path.of(directory));
        Await.until(() -> Files.exists(dir.resolve(READY)), "the first child made its region, queue and pipe");
        first.kill();
        assertTrue(first.join(60, TimeUnit.SECONDS));
        final List<String> left = HaltingCreator.namesIn(dir);
        assertEquals(List.of("made.pipe", "made.queue", "made.region", READY), left,
            "with cleanup off in the parent, the killed child's files stay");
        System.clearProperty(ResourceTracker.CLEANUP_PROPERTY);

        // The next process to create something there (its parent is this JVM, but it is not the dead one's parent
        // for this purpose: it lives until the leftovers are gone) sweeps the directory in the background.
        final IpcProcess<Void> next = IpcProcess.<Void>of(() ->
        {
            SharedRegion.create("next", REGION_BYTES, RegionOptions.defaults().withDirectory(Path.of(directory)));
            Thread.sleep(Long.MAX_VALUE);
            return null;
        }).jvmOptions(ChildJvms.SMALL).start();
        Await.until(() -> HaltingCreator.namesIn(dir).equals(List.of("next.region", READY)),
            "the next process removed the dead one's files and kept its own");
        assertTrue(next.isAlive(), "removed by the next process, not at its exit");
        next.kill();
        assertTrue(next.join(60, TimeUnit.SECONDS));
        assertEquals(List.of(READY), HaltingCreator.namesIn(dir), "and its own go at its exit");
    }

    @Test
    void aBadCleanupSettingIsAClearErrorAtCreation()
    {
        System.setProperty(ResourceTracker.CLEANUP_PROPERTY, "sometimes");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SharedRegion.create("r", REGION_BYTES, RegionOptions.defaults().withDirectory(dir)));
        assertEquals("system property ipckit.cleanup is 'sometimes': use true (the default) or false", ex.getMessage());
        assertEquals(List.of(), HaltingCreator.namesIn(dir));
    }

    /** A child that creates a region, a queue holding a message and a pipe in {@code directory}, then waits. */
    private static IpcProcess<Void> startCreatorThatWaits(final Path directory)
    {
        final String where = directory.toString();
        return IpcProcess.<Void>of(() ->
        {
            final Path at = Path.of(where);
            SharedRegion.create("made", REGION_BYTES, RegionOptions.defaults().withDirectory(at));
            SharedQueue.create("made", QueueOptions.defaults().withDirectory(at)).put("left behind");
            Pipe.create(PipeOptions.defaults().withDirectory(at).withName("made"));
            Files.createFile(at.resolve(READY));
            Thread.sleep(Long.MAX_VALUE);
            return null;
        }).jvmOptions(ChildJvms.SMALL).start();
    }

}
