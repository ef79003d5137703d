package dev.ipckit.memory;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedManager;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.HaltingCreator;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A creator of a region, a manager or a pool killed at any instant of the creation never bricks the name: the
 * creating JVM halts at each named step of creation in turn ({@link CreationSteps}), and after each death
 * {@code openOrCreate} (or {@code create}) works at once, and {@link RegionFiles#removeStale} removes what is left.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RegionCreatorDeathTest
{
    private static final int SIZE = 64 * 1024;
    private static final String[] REGION_STEPS = {
        CreationSteps.REGION_FILE_CREATED, CreationSteps.REGION_SIZED, CreationSteps.REGION_HEADER_WRITTEN,
        CreationSteps.REGION_LINKED, CreationSteps.REGION_CREATED};

    @TempDir
    Path dir;

    private RegionOptions options()
    {
        // A short open timeout: nothing here may wait for a dead creator.
        return RegionOptions.defaults().withDirectory(dir).withTimeout(Duration.ofSeconds(2));
    }

    @Test
    void aRegionCreatorKilledAtEveryStepLeavesTheNameUsableAndCleanRemovesTheRest() throws Exception
    {
        for (final boolean persistent : new boolean[] {false, true})
        {
            for (final String step : REGION_STEPS)
            {
                final String name = "r-" + persistent + "-" + step;
                final String directory = dir.toString();
                final long pid = HaltingCreator.haltAt(step, () -> SharedRegion.create(name, SIZE,
                    RegionOptions.defaults().withDirectory(Path.of(directory)).withPersistent(persistent)));
                final String context = name + " (creator pid " + pid + " halted at " + step + ")";
                // The name never holds a half-made region: it is there complete, or not at all.
                final boolean published = Files.exists(dir.resolve(name + ".region"));
                assertEquals(step.equals(CreationSteps.REGION_LINKED) || step.equals(CreationSteps.REGION_CREATED),
                    published, context);

                try (SharedRegion region = SharedRegion.openOrCreate(name, SIZE, options().withPersistent(persistent)))
                {
                    assertEquals(!published, region.isCreator(), context);
                    assertEquals(1, SharedLong.openOrCreate(region, "x", 0).incrementAndGet(), context);
                }

                RegionFiles.removeStale(dir);
                final List<String> left = HaltingCreator.namesIn(dir);
                assertTrue(left.stream().noneMatch(n -> n.endsWith(RegionFiles.UNFINISHED_SUFFIX)),
                    context + ": unfinished files of the dead creator are removed: " + left);
                assertEquals(persistent, left.contains(name + ".region"), context + ": " + left);
            }
        }
    }

    @Test
    void aManagerCreatorKilledAtEveryStepLeavesTheNameUsable() throws Exception
    {
        for (final String step : REGION_STEPS)
        {
            final String name = "m-" + step;
            final String directory = dir.toString();
            final long pid = HaltingCreator.haltAt(step,
                () -> SharedManager.create(name, 4 << 20, RegionOptions.defaults().withDirectory(Path.of(directory))));
            final String context = name + " (creator pid " + pid + ")";

            // create fails only where the dead creator finished the region (i13: its message says it is stale);
            // after clean it works.
            try
            {
                SharedManager.create(name, 4 << 20, options()).close();
            }
            catch (final RegionException ex)
            {
                assertEquals(RegionException.Reason.ALREADY_EXISTS, ex.reason(), context);
                assertTrue(step.equals(CreationSteps.REGION_LINKED) || step.equals(CreationSteps.REGION_CREATED),
                    context + ": " + ex);
                try (SharedManager opened = SharedManager.openOrCreate(name, 4 << 20, options()))
                {
                    final SharedDict<Object, Object> dict = opened.dict("d");
                    dict.put("k", 1L);
                    assertEquals(1L, dict.get("k"), context);
                }
                assertTrue(RegionFiles.removeStale(dir).contains(dir.resolve(name + ".region")), context);
                SharedManager.create(name, 4 << 20, options()).close();
            }
            RegionFiles.removeStale(dir);
            assertEquals(List.of(), HaltingCreator.namesIn(dir), context + ": nothing is left");
        }
    }

    @Test
    void aPoolCreatorKilledAtEveryStepLeavesNothingCleanCannotRemove() throws Exception
    {
        for (final String step : REGION_STEPS)
        {
            final String directory = dir.toString();
            HaltingCreator.haltAt(step, () -> ProcessPool.create(
                PoolOptions.defaults().withWorkers(1).withDirectory(Path.of(directory))));
            RegionFiles.removeStale(dir);
            assertEquals(List.of(), HaltingCreator.namesIn(dir), "after a pool creator halted at " + step);
        }
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withDirectory(dir)))
        {
            assertEquals(42, pool.apply(() -> 42));
        }
    }

    @Test
    void creatorsKilledAtTimedInstantsNeverLeaveAnUnusableName() throws Exception
    {
        // A child creating and closing regions in a loop, SIGKILLed after delays spread over its work: each kill
        // lands somewhere in a creation, a close or between them.
        for (final int delayMillis : new int[] {150, 400, 700})
        {
            final String directory = dir.toString();
            final Path marker = dir.resolve("started-" + delayMillis);
            final String markerName = marker.toString();
            final IpcProcess<Void> child = HaltingCreator.start("region-loop", () ->
            {
                final RegionOptions loop = RegionOptions.defaults().withDirectory(Path.of(directory));
                try
                {
                    Files.createFile(Path.of(markerName));
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
                while (true)
                {
                    SharedRegion.create("loop", SIZE, loop).close();
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(marker) && System.nanoTime() < deadline && child.isAlive())
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertTrue(Files.exists(marker), "the child started creating: " + child.stderrTail());
            TimeUnit.MILLISECONDS.sleep(delayMillis); // the kill instant, not a synchronisation
            child.kill();
            assertTrue(child.join(20, TimeUnit.SECONDS));
            Files.delete(marker);

            try (SharedRegion region = SharedRegion.openOrCreate("loop", SIZE, options()))
            {
                SharedLong.openOrCreate(region, "x", 0).incrementAndGet();
            }
            RegionFiles.removeStale(dir);
            assertEquals(List.of(), HaltingCreator.namesIn(dir), "after a kill " + delayMillis + " ms in");
        }
    }

    @Test
    void aFileHalfWrittenInPlaceNamesItsDeadCreatorAndIsReplacedOrRemovedAtOnce() throws Exception
    {
        // What building in place (file systems without hard links, or older versions) leaves: a file under the
        // region's own name, its header unfinished, naming its creator, which is dead.
        final long dead = deadIdentity();
        final Path half = dir.resolve("half.region");
        Files.write(half, new byte[SIZE]);
        SharedRegionTest.writeLong(half, RegionLayout.CREATOR_OFFSET, dead);

        final long start = System.nanoTime();
        final RegionException ex = assertThrows(RegionException.class,
            () -> SharedRegion.open("half", options().withTimeout(Duration.ofSeconds(30))));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "no wait for a dead creator");
        assertEquals(RegionException.Reason.NOT_READY, ex.reason());
        assertTrue(ex.getMessage().contains("its creator, pid " + ProcessIdentity.pid(dead) +
            ", died before finishing it"), ex.getMessage());

        final RegionFiles.RegionFile listed = RegionFiles.list(dir).get(0);
        assertTrue(listed.stale(), "clean removes it without the minute's wait: " + listed);
        assertEquals(dead, listed.creator());

        try (SharedRegion replaced = SharedRegion.openOrCreate("half", SIZE, options()))
        {
            assertTrue(replaced.isCreator(), "openOrCreate replaced it");
            assertEquals(ProcessIdentity.current(), replaced.creatorIdentity());
        }

        // The same with a header that has its magic and more, only not READY; and an unfinished file.
        Files.write(half, new byte[SIZE]);
        SharedRegionTest.writeLong(half, RegionLayout.CREATOR_OFFSET, dead);
        SharedRegionTest.writeLong(half, RegionLayout.MAGIC_OFFSET, RegionLayout.MAGIC);
        final Path unfinished = dir.resolve("other.region." + dead + ".1f" + RegionFiles.UNFINISHED_SUFFIX);
        Files.write(unfinished, new byte[0]);
        assertEquals(List.of(half, unfinished), RegionFiles.removeStale(dir));
        assertEquals(List.of(), HaltingCreator.namesIn(dir));
    }

    @Test
    void aLiveCreatorsUnfinishedFileStays() throws Exception
    {
        final Path unfinished = RegionFiles.unfinishedPath(dir.resolve("mine.region"));
        Files.write(unfinished, new byte[0]);
        assertEquals(ProcessIdentity.current(), RegionFiles.unfinishedCreator(unfinished));
        assertEquals(List.of(), RegionFiles.removeStale(dir));
        assertTrue(Files.exists(unfinished));
    }

    private static long deadIdentity() throws Exception
    {
        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        final long identity = ProcessIdentity.of(sleeper.pid());
        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertFalse(ProcessIdentity.isAlive(identity));
        return identity;
    }
}
