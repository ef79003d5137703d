package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SharedList in one process: every List method it supports, copies, snapshot iteration, capacity errors that leave
 * the list unchanged, and a random workload checked against an ArrayList.
 */
class SharedListTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("list", 4 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void listMethods()
    {
        final SharedList<Object> list = SharedList.create(region, "l", 32, 8192);
        assertTrue(list.isEmpty());
        assertTrue(list.add("a"));
        list.add(2L);
        list.add(new byte[] {1, 2});
        list.add(0, "first");
        list.add(4, "last");
        assertEquals(5, list.size());
        assertEquals("first", list.get(0));
        assertEquals("a", list.get(1));
        assertEquals(2L, list.get(2));
        assertArrayEquals(new byte[] {1, 2}, (byte[])list.get(3));
        assertEquals("last", list.get(4));
        assertEquals("a", list.set(1, "b"));
        assertEquals(1, list.indexOf("b"));
        assertTrue(list.contains(new byte[] {1, 2}), "byte arrays compare by content");
        assertFalse(list.contains(2), "Integer 2 is not Long 2");
        assertEquals(-1, list.indexOf("absent"));
        list.add("b");
        assertEquals(5, list.lastIndexOf("b"));
        assertEquals("first", list.remove(0));
        assertTrue(list.remove("b"));
        assertFalse(list.remove("absent"));
        assertEquals(4, list.size());
        assertEquals(List.of("last", "b"), list.snapshot().subList(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> list.add(6, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.set(4, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.remove(4));
        list.clear();
        assertTrue(list.isEmpty());
        list.add("again");
        assertEquals(List.of("again"), list);
        list.verify();
    }

    @Test
    void bulkOperationsSortAndSnapshots()
    {
        final SharedList<Long> list = SharedList.create(region, "l", Codecs.int64(), 16, 8192);
        assertTrue(list.addAll(List.of(5L, 3L, 9L, 1L)));
        assertTrue(list.addAll(1, List.of(7L, 7L)));
        assertEquals(List.of(5L, 7L, 7L, 3L, 9L, 1L), list);
        list.sort(null);
        assertEquals(List.of(1L, 3L, 5L, 7L, 7L, 9L), list);
        list.sort(Comparator.reverseOrder());
        assertEquals(List.of(9L, 7L, 7L, 5L, 3L, 1L), list.snapshot());
        list.replaceAll(v -> v * 10);
        assertEquals(List.of(90L, 70L, 70L, 50L, 30L, 10L), list);
        assertTrue(list.removeIf(v -> v == 70L));
        assertEquals(List.of(90L, 50L, 30L, 10L), list);
        assertArrayEquals(new Object[] {90L, 50L, 30L, 10L}, list.toArray());
        assertEquals(List.of(90L, 50L, 30L, 10L).hashCode(), list.hashCode());
        assertEquals("[90, 50, 30, 10]", list.toString());

        final Iterator<Long> iterator = list.iterator();
        list.add(0L);
        int seen = 0;
        while (iterator.hasNext())
        {
            iterator.next();
            seen++;
        }
        assertEquals(4, seen, "the iterator walks a snapshot");
        final Iterator<Long> changing = list.iterator();
        changing.next();
        assertThrows(UnsupportedOperationException.class, changing::remove);
        assertThrows(UnsupportedOperationException.class, () -> list.listIterator().set(1L));
        final UnsupportedOperationException subList =
            assertThrows(UnsupportedOperationException.class, () -> list.subList(0, 1));
        assertTrue(subList.getMessage().contains("snapshot().subList(0, 1)"), subList.getMessage());
        final List<Long> snapshot = list.snapshot();
        snapshot.add(99L);
        assertFalse(list.contains(99L));
        list.verify();
    }

    @Test
    void elementsAreCopiedInAndOut()
    {
        final SharedList<byte[]> list = SharedList.create(region, "l", Codecs.bytes(), 4, 1024);
        final byte[] stored = {1, 2, 3};
        list.add(stored);
        stored[0] = 9;
        final byte[] read = list.get(0);
        read[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, list.get(0));
    }

    @Test
    void capacityErrorsAreClearAndChangeNothing()
    {
        final SharedList<Object> list = SharedList.create(region, "l", 3, 4 * 64);
        list.addAll(List.of(1, 2, 3));
        final IllegalStateException full = assertThrows(IllegalStateException.class, () -> list.add(4));
        assertTrue(full.getMessage().contains("SharedList 'l'") && full.getMessage().contains("all 3"),
            full.getMessage());
        list.remove(2);
        final IllegalStateException all = assertThrows(IllegalStateException.class, () -> list.addAll(List.of(4, 5)));
        assertTrue(all.getMessage().contains("addAll of 2"), all.getMessage());
        assertEquals(List.of(1, 2), list, "addAll checks before it adds");
        final IllegalStateException data = assertThrows(IllegalStateException.class, () -> list.add(new byte[200]));
        assertTrue(data.getMessage().contains("data area full") && data.getMessage().contains("blocks are free"),
            data.getMessage());
        assertEquals(List.of(1, 2), list);
        assertThrows(NullPointerException.class, () -> list.add(null));
        assertThrows(IllegalArgumentException.class, () -> list.add(new Object()));
        assertFalse(list.contains(new Object()));
        list.verify();
    }

    @Test
    void randomWorkloadMatchesAnArrayList()
    {
        final SharedList<byte[]> list = SharedList.create(region, "l", Codecs.bytes(), 300, 100_000);
        final List<byte[]> model = new ArrayList<>();
        final Random random = new Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            final int op = random.nextInt(10);
            final byte[] value = new byte[random.nextInt(150)];
            random.nextBytes(value);
            try
            {
                if (op < 3)
                {
                    list.add(value);
                    model.add(value);
                }
                else if (op < 5)
                {
                    final int index = random.nextInt(model.size() + 1);
                    list.add(index, value);
                    model.add(index, value);
                }
                else if (op < 7 && !model.isEmpty())
                {
                    final int index = random.nextInt(model.size());
                    assertArrayEquals(model.set(index, value), list.set(index, value));
                }
                else if (!model.isEmpty())
                {
                    final int index = random.nextInt(model.size());
                    assertArrayEquals(model.remove(index), list.remove(index));
                }
            }
            catch (final IllegalStateException full)
            {
                assertTrue(model.size() == 300 || full.getMessage().contains("data area full"), full.getMessage());
            }
            if (i % 1000 == 0)
            {
                list.verify();
            }
        }
        assertEquals(model.size(), list.size());
        final List<byte[]> snapshot = list.snapshot();
        for (int i = 0; i < model.size(); i++)
        {
            assertTrue(Arrays.equals(model.get(i), snapshot.get(i)), "element " + i);
        }
        list.verify();
    }
}
