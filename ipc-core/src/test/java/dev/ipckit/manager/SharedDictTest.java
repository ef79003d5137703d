package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SharedDict in one process: every method, copy semantics, insertion order, capacity errors that leave the dict
 * unchanged, and the table's invariants after a random workload checked against a HashMap.
 */
class SharedDictTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("dict", 4 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void getPutRemoveContainsSizeClear()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 64, 8192);
        assertTrue(dict.isEmpty());
        assertNull(dict.get("a"));
        assertNull(dict.put("a", 1L));
        assertEquals(1L, dict.put("a", 2L));
        assertEquals(2L, dict.get("a"));
        dict.set("b", "text");
        dict.put(3, new byte[] {1, 2, 3});
        assertEquals(3, dict.size());
        assertFalse(dict.isEmpty());
        assertTrue(dict.containsKey("b"));
        assertFalse(dict.containsKey("c"));
        assertTrue(dict.containsValue("text"));
        assertTrue(dict.containsValue(new byte[] {1, 2, 3}), "byte arrays compare by content");
        assertFalse(dict.containsValue("other"));
        assertFalse(dict.containsKey(3L), "Integer 3 and Long 3 encode differently: different keys");
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[])dict.get(3));
        assertEquals("text", dict.remove("b"));
        assertNull(dict.remove("b"));
        assertEquals(2, dict.size());
        dict.clear();
        assertEquals(0, dict.size());
        assertNull(dict.get("a"));
        dict.put("after-clear", 1);
        assertEquals(1, dict.get("after-clear"));
        assertTrue(dict.verify().startsWith("1 entries"));
    }

    @Test
    void conditionalOperations()
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        assertNull(dict.putIfAbsent("k", 1L));
        assertEquals(1L, dict.putIfAbsent("k", 2L));
        assertEquals(1L, dict.get("k"));
        assertFalse(dict.remove("k", 2L));
        assertTrue(dict.containsKey("k"));
        assertNull(dict.replace("absent", 5L));
        assertFalse(dict.containsKey("absent"));
        assertEquals(1L, dict.replace("k", 3L));
        assertFalse(dict.replace("k", 1L, 4L));
        assertTrue(dict.replace("k", 3L, 4L));
        assertEquals(4L, dict.get("k"));
        assertFalse(dict.remove("k", null));
        assertTrue(dict.remove("k", 4L));
        assertTrue(dict.isEmpty());
        assertEquals(9L, dict.getOrDefault("k", 9L));
        dict.verify();
    }

    @Test
    void computeAndMergeRunUnderTheLockAndRemoveOnNull()
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        assertEquals(1L, dict.merge("n", 1L, Long::sum));
        assertEquals(3L, dict.merge("n", 2L, Long::sum));
        assertNull(dict.merge("n", 1L, (a, b) -> null));
        assertFalse(dict.containsKey("n"));

        assertEquals(10L, dict.computeIfAbsent("c", k -> 10L));
        assertEquals(10L, dict.computeIfAbsent("c", k -> fail("not called when present")));
        assertNull(dict.computeIfAbsent("none", k -> null));
        assertFalse(dict.containsKey("none"));
        assertEquals(11L, dict.computeIfPresent("c", (k, v) -> v + 1));
        assertNull(dict.computeIfPresent("absent", (k, v) -> fail("not called when absent")));
        assertEquals(12L, dict.compute("c", (k, v) -> {
            assertTrue(dict.getLock().isHeldByCurrentThread(), "the function runs under the dict's lock");
            assertEquals(11L, dict.get("c"), "and may read the dict (the lock is reentrant)");
            return v + 1;
        }));
        assertEquals(5L, dict.compute("new", (k, v) -> v == null ? 5L : v));
        assertNull(dict.compute("c", (k, v) -> null));
        assertFalse(dict.containsKey("c"));
        assertFalse(dict.getLock().isLocked());

        dict.put("x", 1L);
        dict.put("y", 2L);
        dict.replaceAll((k, v) -> v * 100);
        assertEquals(Map.of("new", 500L, "x", 100L, "y", 200L), dict.snapshot());
        dict.verify();
    }

    @Test
    void aFunctionThatThrowsLeavesTheDictAndLockAsTheyWere()
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        dict.put("k", 1L);
        assertThrows(ArithmeticException.class, () -> dict.compute("k", (k, v) -> v / 0));
        assertEquals(1L, dict.get("k"));
        assertFalse(dict.getLock().isLocked());
    }

    @Test
    void valuesAreCopiedInAndOut()
    {
        final SharedDict<String, byte[]> dict =
            SharedDict.create(region, "d", Codecs.string(), Codecs.bytes(), 16, 4096);
        final byte[] stored = {1, 2, 3};
        dict.put("k", stored);
        stored[0] = 99;
        final byte[] read = dict.get("k");
        assertArrayEquals(new byte[] {1, 2, 3}, read, "changing the array put does not change the dict");
        read[1] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, dict.get("k"), "changing an array read does not change the dict");
        assertNotSame(dict.get("k"), dict.get("k"));
    }

    @Test
    void iterationIsInInsertionOrderAndSnapshotsAreCopies()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 64, 8192);
        final List<String> keys = List.of("z", "a", "m", "b", "y");
        for (int i = 0; i < keys.size(); i++)
        {
            dict.put(keys.get(i), i);
        }
        dict.put("m", 20); // replacing keeps the place
        dict.remove("a");
        dict.put("a", 30); // re-inserting goes last
        assertEquals(List.of("z", "m", "b", "y", "a"), new ArrayList<>(dict.keySet()));
        assertEquals(List.of(0, 20, 3, 4, 30), new ArrayList<>(dict.values()));
        final Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("z", 0);
        expected.put("m", 20);
        expected.put("b", 3);
        expected.put("y", 4);
        expected.put("a", 30);
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(dict.entrySet()));
        assertEquals(expected, dict);
        assertEquals(expected.hashCode(), dict.hashCode());
        assertEquals(expected.toString(), dict.toString());

        final Set<Object> keySet = dict.keySet();
        assertThrows(UnsupportedOperationException.class, () -> keySet.remove("z"));
        assertThrows(UnsupportedOperationException.class, () -> dict.entrySet().iterator().next().setValue(1));
        final Map<Object, Object> snapshot = dict.snapshot();
        snapshot.put("mine", 1);
        dict.put("later", 1);
        assertFalse(dict.containsKey("mine"));
        assertFalse(keySet.contains("later"), "a snapshot does not follow the dict");

        final List<Object> seen = new ArrayList<>();
        dict.forEach((k, v) -> seen.add(k));
        assertEquals(List.of("z", "m", "b", "y", "a", "later"), seen);
        dict.verify();
    }

    @Test
    void nullsAreRejectedAndUnencodableLookupsFindNothing()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 16, 4096);
        assertThrows(NullPointerException.class, () -> dict.put(null, 1));
        assertThrows(NullPointerException.class, () -> dict.put(1, null));
        assertThrows(NullPointerException.class, () -> dict.get(null));
        assertThrows(NullPointerException.class, () -> dict.containsKey(null));
        assertThrows(NullPointerException.class, () -> dict.containsValue(null));
        assertThrows(NullPointerException.class, () -> dict.remove(null));
        assertThrows(NullPointerException.class, () -> dict.merge("k", null, (a, b) -> a));
        final Object notEncodable = new Object();
        assertNull(dict.get(notEncodable));
        assertFalse(dict.containsKey(notEncodable));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> dict.put(notEncodable, 1));
        assertTrue(ex.getMessage().contains("SharedDict 'd'") && ex.getMessage().contains("java.lang.Object"),
            ex.getMessage());
        assertTrue(dict.isEmpty());
        dict.verify();
    }

    @Test
    void aFullTableThrowsAClearErrorAndChangesNothing()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 3, 64 * 64);
        dict.put(1, "a");
        dict.put(2, "b");
        dict.put(3, "c");
        final Map<Object, Object> before = dict.snapshot();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> dict.put(4, "d"));
        assertTrue(ex.getMessage().contains("SharedDict 'd'") && ex.getMessage().contains("is full") &&
            ex.getMessage().contains("put") && ex.getMessage().contains("all 3"), ex.getMessage());
        assertEquals(before, dict.snapshot());
        assertEquals("c2", dict.merge(3, "2", (a, b) -> a + "" + b), "replacing still works when full");
        dict.verify();
    }

    @Test
    void aFullDataAreaThrowsAClearErrorAndChangesNothing()
    {
        // 4 blocks of 60 data bytes: an entry of 24 header + 2 key + 198 value bytes takes all of them.
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 16, 4 * 64);
        dict.put("a", new byte[196]);
        assertEquals(0, dict.freeDataBytes());
        final Map<Object, Object> before = dict.snapshot();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> dict.put("b", 1));
        assertTrue(ex.getMessage().contains("data area full") && ex.getMessage().contains("0 of 4 blocks are free"),
            ex.getMessage());
        assertThrows(IllegalStateException.class, () -> dict.put("a", new byte[1]),
            "a replacement needs room for the new entry next to the old one");
        assertEquals(before.keySet(), dict.snapshot().keySet());
        assertArrayEquals(new byte[196], (byte[])dict.get("a"));
        dict.verify();
        dict.remove("a");
        assertEquals(4 * 60, dict.freeDataBytes());
        dict.put("b", new byte[100]);
        dict.verify();
    }

    @Test
    void largeValuesSpanManyBlocks()
    {
        final SharedDict<String, byte[]> dict =
            SharedDict.create(region, "d", Codecs.string(), Codecs.bytes(), 8, 1 << 20);
        final byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        dict.put("big", big);
        assertArrayEquals(big, dict.get("big"));
        final String longKey = "k".repeat(1000);
        dict.put(longKey, new byte[] {5});
        assertArrayEquals(new byte[] {5}, dict.get(longKey));
        assertNull(dict.get("k".repeat(999) + "j"), "keys that differ only in a later block");
        dict.verify();
    }

    @Test
    void randomWorkloadMatchesAHashMapAndKeepsTheInvariants()
    {
        final SharedDict<Long, byte[]> dict =
            SharedDict.create(region, "d", Codecs.int64(), Codecs.bytes(), 500, 200_000);
        final Map<Long, byte[]> model = new HashMap<>();
        final Random random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            final long key = random.nextInt(600);
            final int op = random.nextInt(10);
            if (op < 6)
            {
                final byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                try
                {
                    dict.put(key, value);
                    model.put(key, value);
                }
                catch (final IllegalStateException full)
                {
                    assertTrue(model.size() == 500 || full.getMessage().contains("data area full"), full.getMessage());
                }
            }
            else if (op < 9)
            {
                final byte[] removed = dict.remove(key);
                final byte[] expected = model.remove(key);
                assertArrayEquals(expected, removed);
            }
            else
            {
                assertArrayEquals(model.get(key), dict.get(key));
            }
            if (i % 2_000 == 0)
            {
                dict.verify();
            }
        }
        assertEquals(model.size(), dict.size());
        for (final Map.Entry<Long, byte[]> entry : model.entrySet())
        {
            assertArrayEquals(entry.getValue(), dict.get(entry.getKey()));
        }
        dict.verify();
    }

    @Test
    void openFindsTheSameDictAndChecksTheType()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 16, 4096);
        dict.put("k", 1);
        assertEquals(1, SharedDict.open(region, "d").get("k"));
        assertEquals(1, SharedDict.openOrCreate(region, "d", 1, 64).get("k"), "sizes apply only when creating");
        assertEquals(16, SharedDict.openOrCreate(region, "d", 1, 64).capacity());
        assertThrows(RegionException.class, () -> SharedDict.create(region, "d", 16, 4096));
        SharedList.create(region, "l", 4, 256);
        assertThrows(RegionException.class, () -> SharedDict.open(region, "l"));
        assertThrows(IllegalArgumentException.class, () -> SharedDict.create(region, "bad", 0, 4096));
        assertThrows(IllegalArgumentException.class, () -> SharedDict.create(region, "bad", 4, 0));
        final RegionException full = assertThrows(RegionException.class,
            () -> SharedDict.create(region, "huge", 16, 100 << 20));
        assertEquals(RegionException.Reason.REGION_FULL, full.reason());
    }

    @Test
    void anOpenerRefusesAnotherLayoutVersion()
    {
        SharedDict.create(region, "d", 16, 4096);
        final int offset = region.find("d", dev.ipckit.memory.internal.ObjectType.DICT).offset();
        region.buffer().putInt(offset + TableLayout.VERSION_OFFSET, 99);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedDict.open(region, "d"));
        assertEquals(RegionException.Reason.UNSUPPORTED_VERSION, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("layout version 99, not 1"), ex.getMessage());
    }

    @Test
    @Timeout(60)
    void threadsOfOneProcessShareAViewExactly() throws Exception
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            threads.add(new Thread(() ->
            {
                for (int i = 0; i < 20_000; i++)
                {
                    dict.merge("k" + (i % 3), 1L, Long::sum);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(80_000L, dict.get("k0") + dict.get("k1") + dict.get("k2"));
        dict.verify();
    }

    @Test
    void aSerializedDictReattachesToTheSameEntries() throws Exception
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        dict.put("k", 7L);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(dict);
        }
        assertTrue(bytes.size() < 2048, "a handle, not the contents: " + bytes.size() + " bytes");
        @SuppressWarnings("unchecked")
        final SharedDict<String, Long> copy =
            (SharedDict<String, Long>)new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        copy.merge("k", 1L, Long::sum);
        assertEquals(8L, dict.get("k"));
    }

    @Test
    void theLockMakesSeveralOperationsOneStepAndAClosedViewRefusesCalls()
    {
        final SharedDict<String, Long> dict = SharedDict.create(region, "d", Codecs.string(), Codecs.int64(), 16, 4096);
        final AtomicLong seen = new AtomicLong();
        dict.getLock().lock();
        try
        {
            dict.put("a", 1L);
            dict.put("b", 2L);
            seen.set(dict.get("a") + dict.get("b"));
        }
        finally
        {
            dict.getLock().unlock();
        }
        assertEquals(3, seen.get());
        final SharedDict<String, Long> view = SharedDict.open(region, "d", Codecs.string(), Codecs.int64());
        view.close();
        assertThrows(IllegalStateException.class, () -> view.get("a"));
        assertEquals(1L, dict.get("a"), "closing a view leaves the dict");
    }
}
