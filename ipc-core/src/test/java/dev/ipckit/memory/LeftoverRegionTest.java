package dev.ipckit.memory;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13's contract bug: a temporary region left by a creator that died makes {@code create} fail; the error says
 * the creator is dead and what removes the file.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeftoverRegionTest
{
    private static final int SIZE = 64 * 1024;
    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    @TempDir
    Path dir;

    @Test
    void creatingOverATemporaryRegionOfAKilledCreatorNamesTheDeadPidAndTheCleanup() throws Exception
    {
        final String regionDir = dir.toString();
        final IpcProcess<Boolean> creator = IpcProcess.of(() ->
        {
            SharedRegion.create("left", SIZE, RegionOptions.defaults().withDirectory(Path.of(regionDir)));
            return new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS); // until it is killed
        }).name("creator").jvmOptions(CHILD_JVM);
        creator.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (RegionFiles.list(dir).stream().noneMatch(RegionFiles.RegionFile::valid))
        {
            assertTrue(System.nanoTime() < deadline, "the child never created its region");
            Thread.sleep(20);
        }
        final RegionOptions options = RegionOptions.defaults().withDirectory(dir);
        RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.create("left", SIZE, options));
        assertEquals(RegionException.Reason.ALREADY_EXISTS, ex.reason());
        assertTrue(ex.getMessage().contains("already exists (creator pid " + creator.pid() + " is alive)"),
            ex.getMessage());

        creator.kill();
        assertTrue(creator.join(30, TimeUnit.SECONDS));
        ex = assertThrows(RegionException.class, () -> SharedRegion.create("left", SIZE, options));
        assertEquals(RegionException.Reason.ALREADY_EXISTS, ex.reason());
        assertTrue(ex.getMessage().contains("already exists (a stale temporary region: its creator pid " +
            creator.pid() + " is dead; ./ipckit clean " + dir + " (or RegionFiles.removeStale(dir)) removes it)"),
            ex.getMessage());

        assertEquals(List.of(dir.resolve("left.region")), RegionFiles.removeStale(dir));
        try (SharedRegion region = SharedRegion.create("left", SIZE, options))
        {
            assertTrue(region.isCreator());
        }
        assertFalse(Files.exists(dir.resolve("left.region")));
    }
}
