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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ipckit.manager.TableLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The repair protocol, exhaustively and in one process: for every kind of change and every point a holder can stop
 * at (after writing into free space but before the commit; after the commit and each of the record's stores), the
 * lock is released with the change as it stands, as a dead holder's is taken over. The next operation must then
 * find the table exactly as before the change (stopped before the commit) or as after it (stopped after), with every
 * invariant intact. A holder that ignored the record would find the table inconsistent: checked too, so that these
 * tests can fail. {@link ManagerCrossProcessTest} kills real processes.
 */
class ManagerRepairTest
{
    /** Stop after writing into free space, before the commit. */
    private static final int BEFORE_COMMIT = -1;

    @TempDir
    Path dir;
    SharedRegion region;
    int dicts;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("repair", 16 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    /** A change to a dict, staged under its lock. */
    interface DictChange
    {
        void stage(DictTable table, Encoded key, Encoded value);
    }

    /** A change to a list, staged under its lock. */
    interface ListChange
    {
        void stage(ListTable table, Encoded value);
    }

    @Test
    void anInsertStoppedAnywhereIsUndoneOrCompleted()
    {
        checkDictChange("k-new", bytes(150), (table, key, value) ->
        {
            assertEquals(0, table.find(key));
            table.stageInsert(key, value, "put");
        }, expected -> expected.put("k-new", bytes(150)));
    }

    @Test
    void aReplacementStoppedAnywhereIsUndoneOrCompleted()
    {
        for (final String key : List.of("k0", "k3", "k9")) // first, middle and last in insertion order
        {
            checkDictChange(key, bytes(130), (table, k, value) ->
                table.stageReplace(found(table, k), k, value, "put"), expected -> expected.put(key, bytes(130)));
        }
    }

    @Test
    void aRemovalStoppedAnywhereIsUndoneOrCompleted()
    {
        for (final String key : List.of("k0", "k4", "k9"))
        {
            checkDictChange(key, bytes(1), (table, k, value) -> table.stageRemove(found(table, k)),
                expected -> expected.remove(key));
        }
    }

    @Test
    void aClearStoppedHalfwayIsCompleted()
    {
        final SharedDict<String, byte[]> dict = filledDict();
        final DictTable table = dict.table();
        dict.getLock().lock();
        try
        {
            // The clear's record, then part of its work: half the buckets zeroed, the size cleared.
            final int offset = objectOffset(dict);
            region.buffer().putInt(offset + OP_OFFSET, OP_CLEAR);
            region.buffer().putInt(offset + PENDING_OFFSET, 1);
            final int buckets = region.buffer().getInt(offset + SLOTS_OFFSET);
            region.buffer().setMemory(offset + HEADER_LENGTH, buckets * 2, (byte)0);
            region.buffer().putInt(offset + SIZE_OFFSET, 0);
        }
        finally
        {
            dict.getLock().unlock();
        }
        assertTrue(dict.snapshot().isEmpty());
        assertEquals(1, table.redo().repairs());
        assertTrue(dict.verify().startsWith("0 entries, 0 of"));
        dict.put("again", bytes(3));
        assertArrayEquals(bytes(3), dict.get("again"));
    }

    @Test
    void listChangesStoppedAnywhereAreUndoneOrCompleted()
    {
        checkListChange("append", (table, value) -> table.stageInsert(table.size(), value, "add"),
            expected -> expected.add(bytes(140)));
        checkListChange("insert", (table, value) -> table.stageInsert(2, value, "add"),
            expected -> expected.add(2, bytes(140)));
        checkListChange("set", (table, value) -> table.stageSet(3, value, "set"),
            expected -> expected.set(3, bytes(140)));
        checkListChange("remove-last", (table, value) -> table.stageRemove(table.size() - 1),
            expected -> expected.remove(expected.size() - 1));
        checkListChange("remove-first", (table, value) -> table.stageRemove(0), expected -> expected.remove(0));
        checkListChange("reorder", (table, value) -> table.stageReorder(new int[] {5, 4, 3, 2, 1, 0}),
            expected ->
            {
                final List<byte[]> reversed = new ArrayList<>(expected);
                java.util.Collections.reverse(reversed);
                expected.clear();
                expected.addAll(reversed);
            });
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void checkDictChange(
        final String key, final byte[] value, final DictChange change,
        final java.util.function.Consumer<Map<String, byte[]>> expectedChange)
    {
        final int stores = storesOf(filledDict(), key, value, change);
        assertTrue(stores >= 5, "a dict change sets several words: " + stores);
        for (int stop = BEFORE_COMMIT; stop <= stores; stop++)
        {
            final SharedDict<String, byte[]> dict = filledDict();
            final Map<String, byte[]> expected = contents(dict);
            stopDuring(dict, key, value, change, stop);
            if (stop != BEFORE_COMMIT)
            {
                expectedChange.accept(expected);
            }
            final String where = "stopped at " + stop + " of " + stores + " stores";
            assertEquals(describe(expected), describe(contents(dict)), where);
            assertEquals(stop == BEFORE_COMMIT ? 0 : 1, dict.table().redo().repairs(), where);
            assertDoesNotThrow(dict::verify, where);
            for (final Map.Entry<String, byte[]> entry : expected.entrySet())
            {
                assertArrayEquals(entry.getValue(), dict.get(entry.getKey()), where);
            }
            dict.put("after", bytes(70));
            dict.remove("k5");
            dict.verify();

            if (stop > 0 && stop < stores)
            {
                // Without the repair, a holder would find the structure broken: verify must say so.
                final SharedDict<String, byte[]> ignored = filledDict();
                stopDuring(ignored, key, value, change, stop);
                region.buffer().putInt(objectOffset(ignored) + PENDING_OFFSET, 0);
                assertThrows(IllegalStateException.class, ignored::verify, where + ", record ignored");
            }
        }
    }

    private int storesOf(
        final SharedDict<String, byte[]> dict, final String key, final byte[] value, final DictChange change)
    {
        dict.getLock().lock();
        try
        {
            change.stage(dict.table(), encode(key), encodeValue(value));
            return dict.table().redo().count();
        }
        finally
        {
            dict.getLock().unlock();
        }
    }

    /** Stages the change under the bare lock, stops at {@code stop}, and releases the lock as a takeover would. */
    private static void stopDuring(
        final SharedDict<String, byte[]> dict, final String key, final byte[] value, final DictChange change,
        final int stop)
    {
        dict.getLock().lock();
        try
        {
            change.stage(dict.table(), encode(key), encodeValue(value));
            if (stop != BEFORE_COMMIT)
            {
                dict.table().redo().publish();
                dict.table().redo().applyStores(stop);
            }
        }
        finally
        {
            dict.getLock().unlock();
        }
    }

    private SharedDict<String, byte[]> filledDict()
    {
        final SharedDict<String, byte[]> dict =
            SharedDict.create(region, "dict-" + dicts++, Codecs.string(), Codecs.bytes(), 16, 64 * 64);
        for (int i = 0; i < 10; i++)
        {
            dict.put("k" + i, bytes(i * 25)); // 1 to 5 blocks each
        }
        return dict;
    }

    private void checkListChange(
        final String name, final ListChange change, final java.util.function.Consumer<List<byte[]>> expectedChange)
    {
        final int stores = listStoresOf(filledList(name + "-count"), change);
        for (int stop = BEFORE_COMMIT; stop <= stores; stop++)
        {
            final SharedList<byte[]> list = filledList(name + "-" + (stop + 1));
            final List<byte[]> expected = new ArrayList<>(list.snapshot());
            list.getLock().lock();
            try
            {
                change.stage(list.table(), encodeValue(bytes(140)));
                if (stop != BEFORE_COMMIT)
                {
                    list.table().redo().publish();
                    list.table().redo().applyStores(stop);
                }
            }
            finally
            {
                list.getLock().unlock();
            }
            if (stop != BEFORE_COMMIT)
            {
                expectedChange.accept(expected);
            }
            final String where = name + " stopped at " + stop + " of " + stores + " stores";
            assertEquals(describe(expected), describe(list.snapshot()), where);
            assertEquals(stop == BEFORE_COMMIT ? 0 : 1, list.table().redo().repairs(), where);
            assertDoesNotThrow(list::verify, where);
            list.add(bytes(61));
            list.remove(0);
            list.verify();
        }
    }

    private static int listStoresOf(final SharedList<byte[]> list, final ListChange change)
    {
        list.getLock().lock();
        try
        {
            change.stage(list.table(), encodeValue(bytes(140)));
            return list.table().redo().count();
        }
        finally
        {
            list.getLock().unlock();
        }
    }

    private SharedList<byte[]> filledList(final String name)
    {
        final SharedList<byte[]> list = SharedList.create(region, "list-" + name, Codecs.bytes(), 16, 64 * 64);
        for (int i = 0; i < 6; i++)
        {
            list.add(bytes(i * 30));
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private int objectOffset(final SharedDict<?, ?> dict)
    {
        return region.find(dict.name(), dev.ipckit.memory.internal.ObjectType.DICT).offset();
    }

    private static int found(final DictTable table, final Encoded key)
    {
        final int entry = table.find(key);
        assertNotEquals(0, entry);
        return entry;
    }

    private static Encoded encode(final String key)
    {
        return new Encoded().encode(Codecs.string(), key, "test", "key");
    }

    private static Encoded encodeValue(final byte[] value)
    {
        return new Encoded().encode(Codecs.bytes(), value, "test", "value");
    }

    private static Map<String, byte[]> contents(final SharedDict<String, byte[]> dict)
    {
        return new LinkedHashMap<>(dict.snapshot());
    }

    private static String describe(final Map<String, byte[]> map)
    {
        final StringBuilder text = new StringBuilder();
        map.forEach((k, v) -> text.append(k).append('=').append(Arrays.hashCode(v)).append('/').append(v.length)
            .append(' '));
        return text.toString();
    }

    private static String describe(final List<byte[]> list)
    {
        final StringBuilder text = new StringBuilder();
        list.forEach(v -> text.append(Arrays.hashCode(v)).append('/').append(v.length).append(' '));
        return text.toString();
    }

    private static byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(length * 31 + i);
        }
        return bytes;
    }
}
