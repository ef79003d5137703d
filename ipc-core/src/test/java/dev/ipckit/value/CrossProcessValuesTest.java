package dev.ipckit.value;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Values and arrays shared by real child JVMs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossProcessValuesTest
{
    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:+UseSerialGC"};

    @TempDir
    Path dir;

    @Test
    void fourChildrenIncrementingOneLongLoseNothing() throws Exception
    {
        final int children = 4;
        final int increments = 1_000_000;
        try (SharedRegion region = SharedRegion.create("increments", 1 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedLong counter = SharedLong.create(region, "counter", 0);
            final List<IpcProcess<Void>> processes = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                processes.add(IpcProcess.of(() ->
                {
                    for (int i = 0; i < increments; i++)
                    {
                        counter.incrementAndGet();
                    }
                }).name("incrementer-" + c).jvmOptions(CHILD_JVM));
            }
            processes.forEach(IpcProcess::start);
            for (final IpcProcess<Void> process : processes)
            {
                assertTrue(process.join(150, TimeUnit.SECONDS), process + " did not finish");
                assertEquals(0, process.exitCode().getAsInt(), () -> process + ": " + process.failure());
            }
            assertEquals((long)children * increments, counter.get());
        }
    }

    @Test
    void aChildSeesTheParentsArrayAndTheParentSeesTheChildsWrites() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("arrays", 1 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedDoubleArray data = SharedDoubleArray.create(region, "data", new double[] {1, 2, 3});
            final SharedByteArray text = SharedByteArray.create(region, "text", 32);
            text.setString("from parent");
            final IpcProcess<Double> child = IpcProcess.of(() ->
            {
                double sum = 0;
                for (int i = 0; i < data.length(); i++)
                {
                    sum += data.get(i);
                    data.set(i, data.get(i) * 10);
                }
                final String seen = text.getString();
                text.setString(seen + ", child");
                return sum;
            }).name("array-child").jvmOptions(CHILD_JVM);
            child.start();
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitCode().getAsInt(), () -> String.valueOf(child.failure()));
            assertEquals(6.0, child.result(), "the child saw what the parent wrote");
            assertArrayEquals(new double[] {10, 20, 30}, data.toArray(), "the parent sees the child's writes");
            assertEquals("from parent, child", text.getString());
        }
    }

    @Test
    void compoundUpdatesUnderTheValuesOwnLockLoseNothingAcrossProcesses() throws Exception
    {
        final int children = 2;
        final int rounds = 20_000;
        try (SharedRegion region = SharedRegion.create("locked", 1 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedLong total = SharedLong.create(region, "total", 0);
            final SharedIntArray pair = SharedIntArray.create(region, "pair", 2);
            final List<IpcProcess<Void>> processes = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                processes.add(IpcProcess.of(() ->
                {
                    for (int i = 0; i < rounds; i++)
                    {
                        // Python's "with v.get_lock(): v.value += 1": a plain read-modify-write made safe by the lock.
                        total.getLock().lock();
                        try
                        {
                            total.setPlain(total.getPlain() + 1);
                        }
                        finally
                        {
                            total.getLock().unlock();
                        }
                        pair.getLock().lock();
                        try
                        {
                            pair.set(0, pair.get(0) + 1);
                            pair.set(1, pair.get(1) - 1);
                        }
                        finally
                        {
                            pair.getLock().unlock();
                        }
                    }
                }).name("locker-" + c).jvmOptions(CHILD_JVM));
            }
            processes.forEach(IpcProcess::start);
            for (final IpcProcess<Void> process : processes)
            {
                assertTrue(process.join(120, TimeUnit.SECONDS), process + " did not finish");
                assertEquals(0, process.exitCode().getAsInt(), () -> process + ": " + process.failure());
            }
            assertEquals((long)children * rounds, total.get());
            assertEquals(children * rounds, pair.get(0));
            assertEquals(-children * rounds, pair.get(1));
        }
    }

    @Test
    @ExtendWith(AutomaticCleanupOff.class) // tests what clean removes: the test JVM must not remove it first
    void aRegionWhoseCreatorWasKilledIsFoundStaleAndCleaned() throws Exception
    {
        final String regionDir = dir.toString();
        final IpcProcess<Void> creator = IpcProcess.of(() ->
        {
            final SharedRegion region =
                SharedRegion.create("orphan", 1 << 20, RegionOptions.defaults().withDirectory(Path.of(regionDir)));
            SharedLong.create(region, "x", 1);
            System.out.println("created " + region.path());
            try
            {
                Thread.sleep(60_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }).name("creator").jvmOptions(CHILD_JVM);
        creator.start();
        final Path file = dir.resolve("orphan.region");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (RegionFiles.list(dir).stream().noneMatch(RegionFiles.RegionFile::valid))
        {
            assertTrue(System.nanoTime() < deadline, "the child never created its region");
            Thread.sleep(20);
        }
        assertTrue(RegionFiles.removeStale(dir).isEmpty(), "a live creator's region is not stale");

        creator.kill();
        assertTrue(creator.join(30, TimeUnit.SECONDS));
        assertEquals(-9, creator.exitCode().getAsInt());
        assertTrue(Files.exists(file), "SIGKILL left the file behind");
        assertEquals(List.of(file), RegionFiles.removeStale(dir));
        assertFalse(Files.exists(file));
    }
}
