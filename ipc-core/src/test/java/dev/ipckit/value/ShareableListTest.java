package dev.ipckit.value;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** ShareableList, Python's {@code shared_memory.ShareableList}: kinds, fixed room, other processes, damage. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareableListTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;

    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("lists", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion() throws InterruptedException
    {
        ChildJvms.killLeftovers();
        region.close();
    }

    @Test
    void everyKindGoesInAndComesOutAndAnotherProcessChangesIt() throws Exception
    {
        final byte[] bytes = {1, 2, 3};
        final ShareableList list = ShareableList.create(region, "l",
            Arrays.asList(42L, 7, 2.5, true, "héllo", bytes, null, 1.5f, (short)3));
        assertEquals(9, list.size());
        final List<Object> items = list.toList();
        assertEquals(Arrays.asList(42L, 7L, 2.5, true, "héllo"), items.subList(0, 5), "integers come back as Long");
        assertArrayEquals(bytes, (byte[])items.get(5));
        assertNull(items.get(6));
        assertEquals(1.5, items.get(7));
        assertEquals(3L, items.get(8));
        bytes[0] = 9;
        assertEquals(1, ((byte[])list.get(5))[0], "the list keeps a copy");

        final SharedRegion shared = region;
        final IpcProcess<String> child = IpcProcess.of(() ->
        {
            final ShareableList same = ShareableList.open(shared, "l");
            final String seen = same.get(0) + "," + same.get(4);
            same.set(0, 43L);
            same.set(4, "hi");        // a shorter string in the same room
            same.set(6, "no null");   // null had 8 bytes of room: a 7-byte string fits
            same.set(3, 0.25);        // a kind may change
            return seen;
        }).jvmOptions(CHILD_JVM).start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals("42,héllo", child.result());
        assertEquals(Arrays.asList(43L, 7L, 2.5, 0.25, "hi"), list.toList().subList(0, 5));
        assertEquals("no null", list.get(6));
        assertEquals("ShareableList([43, 7, 2.5, 0.25, 'hi', [1, 2, 3], 'no null', 1.5, 3], name='l')", list.toString());

        final ShareableList travelled = (ShareableList)roundTrip(list);
        assertEquals(43L, travelled.get(0));
    }

    @Test
    void roomIsFixedAtCreationAndBadValuesAreClearErrors()
    {
        final ShareableList list = ShareableList.create(region, "l", List.of("abc", 1L));
        list.set(0, "abcdefgh");
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> list.set(0, "abcdefghi"));
        assertTrue(tooLong.getMessage().contains("has room for 8 bytes; the new string takes 9"), tooLong.getMessage());
        assertEquals("abcdefgh", list.get(0), "a refused set changes nothing");
        assertEquals(1L, list.set(1, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> list.set(1, new byte[9]));
        final IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> list.set(1, new Object()));
        assertTrue(kind.getMessage().contains("java.lang.Object"), kind.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> ShareableList.create(region, "bad", List.of(1L, List.of())), "a nested list is not an item");
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> list.set(-1, 1L));
        assertEquals(0, ShareableList.create(region, "empty", List.of()).size());
    }

    @Test
    void countAndIndexCompareValuesAsPythonDoes()
    {
        final ShareableList list = ShareableList.create(region, "l",
            Arrays.asList(1L, "a", new byte[]{5}, 1L, null, 2.0));
        assertEquals(2, list.count(1L));
        assertEquals(2, list.count(1), "an int equals the long it was stored as");
        assertEquals(1, list.count(new byte[]{5}), "byte arrays by content");
        assertEquals(1, list.count(null));
        assertEquals(2, list.indexOf(new byte[]{5}));
        assertEquals(5, list.indexOf(2.0));
        assertEquals(-1, list.indexOf("b"));
    }

    @Test
    void anItemWhoseWriterDiedMidSetIsReportedLostUntilSetAgain()
    {
        final ShareableList list = ShareableList.create(region, "l", List.of("value", 1L));
        final int record = recordOffset("l", 0);
        region.buffer().putInt(record + ShareableList.KIND_OFFSET, ShareableList.WRITING);
        final RegionException lost = assertThrows(RegionException.class, () -> list.get(0));
        assertTrue(lost.getMessage().contains("item 0 of ShareableList 'l' was being set by a process that died"),
            lost.getMessage());
        assertEquals(1L, list.get(1), "the other items are unaffected");
        assertNull(list.set(0, "again"), "the lost value reads as null to the next set");
        assertEquals("again", list.get(0));
    }

    @Test
    void damagedFieldsAreCorruptNamingTheField()
    {
        ShareableList.create(region, "l", List.of("value", 1L));
        final int record = recordOffset("l", 0);
        region.buffer().putInt(record + ShareableList.KIND_OFFSET, 99);
        assertCorrupt(() -> ShareableList.open(region, "l").get(0), "item 0 KIND is 99");
        region.buffer().putInt(record + ShareableList.KIND_OFFSET, ShareableList.STRING);
        region.buffer().putInt(record + ShareableList.LENGTH_OFFSET, 1_000);
        assertCorrupt(() -> ShareableList.open(region, "l").get(0), "item 0 LENGTH is 1000");
        region.buffer().putInt(record + ShareableList.LENGTH_OFFSET, 5);
        region.buffer().putLong(record + ShareableList.DATA_OFFSET, 1L << 40);
        assertCorrupt(() -> ShareableList.open(region, "l").get(0), "item 0 DATA is " + (1L << 40));
        region.buffer().putInt(record + ShareableList.ROOM_OFFSET, 3);
        assertCorrupt(() -> ShareableList.open(region, "l").get(0), "item 0 ROOM is 3");
        final RegionEntry entry = region.find("l", ObjectType.SHAREABLE_LIST);
        region.buffer().putInt(entry.offset() + ShareableList.COUNT_OFFSET, -1);
        assertCorrupt(() -> ShareableList.open(region, "l"), "COUNT is -1");
    }

    @Test
    void aReaderInThisProcessNeverSeesAStringAnotherProcessIsHalfWayThroughWriting() throws Exception
    {
        final String longOne = "x".repeat(4096);
        final ShareableList list = ShareableList.create(region, "l", List.of(longOne, false));
        final SharedRegion shared = region;
        final IpcProcess<Object> writer = IpcProcess.of(() ->
        {
            final ShareableList same = ShareableList.open(shared, "l");
            same.set(1, true);
            while (true)
            {
                same.set(0, "y".repeat(4096));
                same.set(0, longOne);
            }
        }).jvmOptions(CHILD_JVM).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Boolean)list.get(1))
        {
            assertTrue(System.nanoTime() < deadline, "the writer never started");
            Thread.sleep(5);
        }
        for (int i = 0; i < 20_000; i++)
        {
            final String value = (String)list.get(0);
            assertTrue(value.equals(longOne) || value.chars().allMatch(c -> c == 'y') && value.length() == 4096,
                "a torn value: " + value.substring(0, 16) + "...");
        }
        writer.kill();
    }

    private int recordOffset(final String name, final int index)
    {
        return region.find(name, ObjectType.SHAREABLE_LIST).offset() + ShareableList.RECORDS_OFFSET +
            index * ShareableList.RECORD_LENGTH;
    }

    private static void assertCorrupt(final org.junit.jupiter.api.function.Executable use, final String field)
    {
        final RegionException ex = assertThrows(RegionException.class, use);
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains(field), ex.getMessage());
    }

    private static Object roundTrip(final Object object) throws Exception
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        return dev.ipckit.platform.Deserialization.fromBytes(bytes.toByteArray());
    }
}
