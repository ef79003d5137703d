package dev.ipckit.memory;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.platform.internal.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedRegionTest
{
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private RegionOptions options()
    {
        return RegionOptions.defaults().withDirectory(dir).withTimeout(Duration.ofMillis(300));
    }

    @Test
    void createThenOpenSeesTheSameObjects()
    {
        try (SharedRegion created = SharedRegion.create("r1", SIZE, options());
             SharedRegion opened = SharedRegion.open("r1", options()))
        {
            assertTrue(created.isCreator());
            assertFalse(opened.isCreator());
            assertEquals(created.regionId(), opened.regionId());
            assertEquals(ProcessIdentity.current(), opened.creatorIdentity());
            assertEquals(SIZE, opened.length());
            assertEquals("r1", opened.name());

            final RegionEntry entry = created.allocate("counter", ObjectType.LONG, 1, 0, (b, o, l) -> b.putLong(o, 42));
            final RegionEntry found = opened.find("counter", ObjectType.LONG);
            assertEquals(entry, found);
            assertEquals(42, opened.buffer().getLongVolatile(found.offset()));
            assertEquals(List.of(entry), opened.entries());
        }
    }

    @Test
    void slotsStartOnTheirOwnPairOfCacheLines()
    {
        try (SharedRegion region = SharedRegion.create("align", SIZE, options()))
        {
            final RegionEntry a = region.allocate("a", ObjectType.BYTE, 1, 0, null);
            final RegionEntry b = region.allocate("b", ObjectType.LONG, 1, 64, null);
            final RegionEntry c = region.allocate("c", ObjectType.INT_ARRAY, 33, 0, null);
            for (final RegionEntry e : List.of(a, b, c))
            {
                assertEquals(0, e.offset() % RegionLayout.SLOT_ALIGNMENT, e.toString());
            }
            assertTrue(b.hasLock());
            assertEquals(0, b.lockOffset() % RegionLayout.SLOT_ALIGNMENT);
            assertTrue(b.lockOffset() >= a.offset() + RegionLayout.SLOT_ALIGNMENT);
            assertTrue(b.offset() >= b.lockOffset() + RegionLayout.SLOT_ALIGNMENT);
            assertTrue(c.offset() >= b.offset() + RegionLayout.SLOT_ALIGNMENT);
        }
    }

    @Test
    void openOrCreateCreatesOnceAndThenOpens()
    {
        try (SharedRegion first = SharedRegion.openOrCreate("ooc", SIZE, options());
             SharedRegion second = SharedRegion.openOrCreate("ooc", SIZE, options()))
        {
            assertTrue(first.isCreator());
            assertFalse(second.isCreator());
            assertEquals(first.regionId(), second.regionId());
        }
    }

    @Test
    void openingAMissingRegionNamesIt()
    {
        final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.open("nope", options()));
        assertEquals(RegionException.Reason.NOT_FOUND, ex.reason());
        assertTrue(ex.getMessage().contains(dir.resolve("nope.region").toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());
    }

    @Test
    void createOnlyOnAnExistingRegionFails()
    {
        try (SharedRegion ignored = SharedRegion.create("dup", SIZE, options()))
        {
            final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.create("dup", SIZE, options()));
            assertEquals(RegionException.Reason.ALREADY_EXISTS, ex.reason());
            assertTrue(ex.getMessage().contains("dup.region") && ex.getMessage().contains("already exists"));
        }
    }

    @Test
    void aForeignFileIsRejectedAtOnceForItsMagic() throws Exception
    {
        final Path file = dir.resolve("foreign.region");
        Files.writeString(file, "#!/bin/sh\necho this is not a region\n".repeat(20));
        // A timeout far beyond any scheduling delay of a busy machine: rejected well within it means not waited for.
        final RegionOptions patient = options().withTimeout(Duration.ofSeconds(60));
        final long start = System.nanoTime();
        final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.open("foreign", patient));
        assertEquals(RegionException.Reason.BAD_MAGIC, ex.reason());
        assertTrue(ex.getMessage().contains("not an ipckit region"), ex.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "should not wait for the timeout");

        Files.write(dir.resolve("tiny.region"), new byte[] {'h', 'i'});
        assertEquals(RegionException.Reason.BAD_MAGIC,
            assertThrows(RegionException.class, () -> SharedRegion.open("tiny", options())).reason());
    }

    @Test
    void anUnknownLayoutVersionIsRejected() throws Exception
    {
        final Path file = keptRegion("future");
        writeInt(file, RegionLayout.LAYOUT_VERSION_OFFSET, 99);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.open("future", options()));
        assertEquals(RegionException.Reason.UNSUPPORTED_VERSION, ex.reason());
        assertTrue(ex.getMessage().contains("layout version 99"), ex.getMessage());
    }

    @Test
    void aTruncatedFileIsRejected() throws Exception
    {
        final Path file = keptRegion("cut");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(SIZE / 2);
        }
        RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.open("cut", options()));
        assertEquals(RegionException.Reason.TRUNCATED, ex.reason());
        assertTrue(ex.getMessage().contains((SIZE / 2) + " bytes") && ex.getMessage().contains(Integer.toString(SIZE)));

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(100);
        }
        ex = assertThrows(RegionException.class, () -> SharedRegion.open("cut", options()));
        assertEquals(RegionException.Reason.TRUNCATED, ex.reason());
        assertTrue(ex.getMessage().contains("100 bytes"), ex.getMessage());
    }

    @Test
    void anUnfinishedHeaderTimesOutNamingItsCreator() throws Exception
    {
        final Path file = keptRegion("unready");
        writeInt(file, RegionLayout.READY_OFFSET, 0);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.open("unready", options()));
        assertEquals(RegionException.Reason.NOT_READY, ex.reason());
        assertTrue(ex.getMessage().contains("pid " + ProcessHandle.current().pid()), ex.getMessage());
    }

    @Test
    void badNamesAreRejectedWithTheReason()
    {
        assertNameRejected("a/b", "path separator");
        assertNameRejected("..", "'..'");
        assertNameRejected("x..y", "'..'");
        assertNameRejected("nul\0byte", "NUL");
        assertNameRejected("", "empty");
        assertNameRejected("x".repeat(200), "limit is 128");
        try (SharedRegion region = SharedRegion.create("names", SIZE, options()))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> region.allocate("y".repeat(65), ObjectType.INT, 1, 0, null));
            assertTrue(ex.getMessage().contains("limit is 64"), ex.getMessage());
        }
    }

    private void assertNameRejected(final String name, final String expected)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SharedRegion.create(name, SIZE, options()));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void aNameThatExistsWithAnotherTypeIsAnError()
    {
        try (SharedRegion region = SharedRegion.create("types", SIZE, options()))
        {
            region.allocate("counter", ObjectType.INT, 1, 0, null);
            RegionException ex = assertThrows(RegionException.class, () -> region.find("counter", ObjectType.DOUBLE));
            assertEquals(RegionException.Reason.TYPE_MISMATCH, ex.reason());
            assertTrue(ex.getMessage().contains("'counter' is a INT, not a DOUBLE"), ex.getMessage());

            ex = assertThrows(RegionException.class,
                () -> region.findOrAllocate("counter", ObjectType.LONG, 1, 0, null));
            assertEquals(RegionException.Reason.TYPE_MISMATCH, ex.reason());

            region.allocate("array", ObjectType.LONG_ARRAY, 10, 0, null);
            ex = assertThrows(RegionException.class, () -> region.findOrAllocate("array", ObjectType.LONG_ARRAY, 11, 0, null));
            assertTrue(ex.getMessage().contains("has 10 elements, not 11"), ex.getMessage());

            ex = assertThrows(RegionException.class, () -> region.allocate("counter", ObjectType.INT, 1, 0, null));
            assertEquals(RegionException.Reason.OBJECT_EXISTS, ex.reason());

            ex = assertThrows(RegionException.class, () -> region.find("missing", ObjectType.INT));
            assertEquals(RegionException.Reason.NO_SUCH_OBJECT, ex.reason());
        }
    }

    @Test
    void aFullRegionNamesTheRequestAndTheFreeSpace()
    {
        final RegionOptions small = options().withDirectoryCapacity(4);
        final long length = RegionLayout.dataOffset(4) + 1024;
        try (SharedRegion region = SharedRegion.create("small", length, small))
        {
            region.allocate("fits", ObjectType.LONG_ARRAY, 64, 0, null);
            final long free = region.freeBytes();
            assertEquals(512, free);
            final RegionException ex = assertThrows(RegionException.class,
                () -> region.allocate("big", ObjectType.LONG_ARRAY, 100, 0, null));
            assertEquals(RegionException.Reason.REGION_FULL, ex.reason());
            assertTrue(ex.getMessage().contains("'big' (LONG_ARRAY x 100) needs 896 bytes, 512 of"), ex.getMessage());
            assertEquals(free, region.freeBytes(), "a failed allocation takes nothing");
        }
    }

    @Test
    void aFullDirectorySaysHowToGrowIt()
    {
        try (SharedRegion region = SharedRegion.create("dirfull", SIZE, options().withDirectoryCapacity(2)))
        {
            region.allocate("a", ObjectType.INT, 1, 0, null);
            region.allocate("b", ObjectType.INT, 1, 0, null);
            final RegionException ex = assertThrows(RegionException.class, () -> region.allocate("c", ObjectType.INT, 1, 0, null));
            assertEquals(RegionException.Reason.DIRECTORY_FULL, ex.reason());
            assertTrue(ex.getMessage().contains("2 objects") && ex.getMessage().contains("withDirectoryCapacity"));
        }
    }

    @Test
    void badLengthsAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> SharedRegion.create("tooSmall", 100, options()));
        assertThrows(IllegalArgumentException.class, () -> SharedRegion.create("tooBig", 1L << 32, options()));
        try (SharedRegion region = SharedRegion.create("counts", SIZE, options()))
        {
            assertThrows(IllegalArgumentException.class, () -> region.allocate("zero", ObjectType.INT_ARRAY, 0, 0, null));
        }
    }

    @Test
    void filesAre0600AndDirectories0700() throws Exception
    {
        final Path nested = dir.resolve("nested");
        try (SharedRegion region = SharedRegion.create("perm", SIZE, options().withDirectory(nested)))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(region.path())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        }
    }

    @Test
    void theCreatorUnlinksAttachersDoNotAndPersistentRegionsStay()
    {
        final SharedRegion created = SharedRegion.create("life", SIZE, options());
        final SharedRegion attached = SharedRegion.open("life", options());
        attached.close();
        assertTrue(Files.exists(created.path()));
        created.close();
        assertFalse(Files.exists(created.path()));
        created.close(); // idempotent

        final SharedRegion kept = SharedRegion.create("kept", SIZE, options().withPersistent(true));
        kept.close();
        assertTrue(Files.exists(kept.path()));
        try (SharedRegion reopened = SharedRegion.open("kept", options()))
        {
            assertTrue(reopened.isPersistent());
        }
    }

    @Test
    void aClosedRegionSaysSo()
    {
        final SharedRegion region = SharedRegion.create("closed", SIZE, options());
        final RegionEntry entry = region.allocate("x", ObjectType.LONG, 1, 0, null);
        region.close();
        assertEquals(RegionException.Reason.CLOSED,
            assertThrows(RegionException.class, () -> region.find("x", ObjectType.LONG)).reason());
        // The pages linger (an operation overtaken by the close still lands in them), then the buffer is emptied.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (region.buffer().capacity() != 0 && System.nanoTime() < deadline)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertEquals(0, region.buffer().capacity());
        assertEquals(0, region.buffer().addressOffset());
        assertThrows(IndexOutOfBoundsException.class, () -> region.buffer().getLongVolatile(entry.offset()));
    }

    @Test
    @ExtendWith(AutomaticCleanupOff.class) // tests what clean removes: the test JVM must not remove it first
    void staleRegionsOfDeadCreatorsAreRemovedOthersStay() throws Exception
    {
        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        final long deadIdentity = ProcessIdentity.of(sleeper.pid());
        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertFalse(ProcessIdentity.isAlive(deadIdentity));

        final Path stale = keptRegion("stale");
        writeInt(stale, RegionLayout.FLAGS_OFFSET, 0);
        writeLong(stale, RegionLayout.CREATOR_OFFSET, deadIdentity);
        final Path persistentOfDead = keptRegion("persistentOfDead");
        writeLong(persistentOfDead, RegionLayout.CREATOR_OFFSET, deadIdentity);
        Files.writeString(dir.resolve("notours.txt"), "x");

        try (SharedRegion live = SharedRegion.create("live", SIZE, options()))
        {
            final List<RegionFiles.RegionFile> files = RegionFiles.list(dir);
            assertEquals(3, files.size(), files.toString());
            final List<Path> removed = RegionFiles.removeStale(dir);
            assertEquals(List.of(stale), removed);
            assertTrue(Files.exists(live.path()));
            assertTrue(Files.exists(persistentOfDead));
            assertTrue(Files.exists(dir.resolve("notours.txt")));
        }
    }

    @Test
    void aDeadDirectoryLockHolderIsTakenOver() throws Exception
    {
        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        final long deadIdentity = ProcessIdentity.of(sleeper.pid());
        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (SharedRegion region = SharedRegion.create("takeover", SIZE, options()))
        {
            region.buffer().putLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET, deadIdentity);
            region.allocate("after", ObjectType.INT, 1, 0, null);
            assertEquals(0, region.buffer().getLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET));
        }
    }

    @Test
    void freeSpaceAnAllocatorDirtiedBeforeDyingIsZeroedByTheNextAllocator() throws Exception
    {
        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        final long deadIdentity = ProcessIdentity.of(sleeper.pid());
        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (SharedRegion region = SharedRegion.create("dirty", SIZE, options()))
        {
            final RegionEntry first = region.allocate("first", ObjectType.LONG, 1, 0, null);
            // An allocator dies holding the directory lock after writing past the cursor, before publishing.
            final int freeStart = first.offset() + 64;
            final int dirtyEnd = (int)Math.min(region.length(), freeStart + 4096);
            region.buffer().setMemory(freeStart, dirtyEnd - freeStart, (byte)0x5A);
            region.buffer().putLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET, deadIdentity);
            final RegionEntry after = region.allocate("after", ObjectType.LONG_ARRAY, 256, 0, null);
            for (int i = 0; i < 256; i++)
            {
                assertEquals(0, region.buffer().getLong(after.offset() + i * Long.BYTES), "element " + i);
            }
            for (int offset = after.offset(); offset < dirtyEnd; offset++)
            {
                assertEquals(0, region.buffer().getByte(offset), "free byte at " + offset);
            }
        }
    }

    @Test
    void aLiveDirectoryLockHolderIsNeverBroken()
    {
        try (SharedRegion region = SharedRegion.create("busy", SIZE, options()))
        {
            final long parent = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid());
            region.buffer().putLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET, parent);
            final RegionException ex = assertThrows(RegionException.class,
                () -> region.allocate("blocked", ObjectType.INT, 1, 0, null));
            assertEquals(RegionException.Reason.DIRECTORY_BUSY, ex.reason());
            assertEquals(parent, region.buffer().getLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET));
            region.buffer().putLongVolatile(RegionLayout.DIRECTORY_LOCK_OFFSET, 0);
        }
    }

    @Test
    void racingFindOrCreateMakesOneObject() throws Exception
    {
        final int threads = 4;
        try (SharedRegion region = SharedRegion.create("race", SIZE, options()))
        {
            final ExecutorService pool = Executors.newFixedThreadPool(threads);
            try
            {
                final CyclicBarrier start = new CyclicBarrier(threads);
                final List<Future<RegionEntry>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    results.add(pool.submit(() ->
                    {
                        start.await(10, TimeUnit.SECONDS);
                        return region.findOrAllocate("shared", ObjectType.LONG, 1, 0, null);
                    }));
                }
                final RegionEntry first = results.get(0).get(10, TimeUnit.SECONDS);
                for (final Future<RegionEntry> result : results)
                {
                    assertEquals(first, result.get(10, TimeUnit.SECONDS));
                }
                assertEquals(1, region.entries().size());
            }
            finally
            {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRegionTravelsAsAHandleAndAReplacedOneIsDetected() throws Exception
    {
        final SharedRegion region = SharedRegion.create("handle", SIZE, options());
        final byte[] bytes = serialize(region);
        assertTrue(bytes.length < 300, "a handle is small: " + bytes.length);
        assertSame(region, deserialize(bytes), "the same process shares its instance");

        region.close();
        try (SharedRegion recreated = SharedRegion.create("handle", SIZE, options()))
        {
            final RegionException ex = assertThrows(RegionException.class, () -> deserialize(bytes));
            assertEquals(RegionException.Reason.REPLACED, ex.reason());
            assertNotEquals(region.regionId(), recreated.regionId());
        }
    }

    private Path keptRegion(final String name)
    {
        final SharedRegion region = SharedRegion.create(name, SIZE, options().withPersistent(true));
        region.close();
        return region.path();
    }

    static void writeInt(final Path file, final int offset, final int value) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.write(java.nio.ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
        }
    }

    static void writeLong(final Path file, final int offset, final long value) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.write(java.nio.ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array());
        }
    }

    static byte[] serialize(final Object object) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(final byte[] bytes) throws Exception
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readObject();
        }
    }

    @SuppressWarnings("unused")
    private static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
