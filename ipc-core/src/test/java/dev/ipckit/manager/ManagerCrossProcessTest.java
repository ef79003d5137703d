package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Dicts, lists and namespaces shared by real child JVMs: exact totals from concurrent updates, a child SIGKILLed in
 * the middle of heavy updates, and children that stop dead (Runtime.halt) at chosen points of a change while
 * holding the lock. Time bounds are generous: the machines are shared and noisy.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagerCrossProcessTest
{
    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
    private static final int HALTED = 3;

    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("cross", 32 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        for (final IpcProcess<?> child : ProcessInfo.activeChildren())
        {
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
        region.close();
    }

    private static <V> IpcProcess<V> start(final String name, final SerializableCallable<V> task)
    {
        return IpcProcess.of(task).name(name).jvmOptions(CHILD_JVM).start();
    }

    private static <V> V finish(final IpcProcess<V> child) throws InterruptedException
    {
        assertTrue(child.join(150, TimeUnit.SECONDS), child + " did not finish");
        assertEquals(0, child.exitCode().getAsInt(), () -> child + " failed: " + child.failure());
        return child.result();
    }

    @Test
    void twoChildrenMergeCountersAppendAndSetExactly() throws Exception
    {
        final int perChild = 20_000;
        final int keys = 50;
        final SharedDict<String, Long> counters =
            SharedDict.create(region, "counters", Codecs.string(), Codecs.int64(), keys, 128 * keys);
        final SharedList<Long> appended = SharedList.create(region, "appended", Codecs.int64(), 4_000, 64 * 4_000);
        final SharedNamespace status = SharedNamespace.create(region, "status", 8, 1024);
        final SharedManager manager = SharedManager.of(region);
        final List<IpcProcess<Void>> children = new ArrayList<>();
        for (int c = 0; c < 2; c++)
        {
            final long child = c;
            children.add(start("merger-" + c, () ->
            {
                for (int i = 0; i < perChild; i++)
                {
                    counters.merge("c" + (i % keys), 1L, Long::sum);
                    if (i % 10 == 0)
                    {
                        appended.add(child << 32 | i / 10);
                    }
                }
                status.set("done-" + child, true);
                manager.dict("via-manager").merge("n", 1, (a, b) -> (Integer)a + (Integer)b);
                return null;
            }));
        }
        for (final IpcProcess<Void> child : children)
        {
            finish(child);
        }
        assertEquals(keys, counters.size());
        for (final Map.Entry<String, Long> entry : counters.entrySet())
        {
            assertEquals(2L * perChild / keys, entry.getValue(), "no lost update on " + entry.getKey());
        }
        final long[] next = new long[2];
        for (final long value : appended)
        {
            final int child = (int)(value >>> 32);
            assertEquals(next[child]++, value & 0xFFFF_FFFFL, "each child's appends in its order");
        }
        assertArrayEquals(new long[] {perChild / 10, perChild / 10}, next);
        assertEquals(true, status.get("done-0"));
        assertEquals(true, status.get("done-1"));
        assertEquals(2, manager.dict("via-manager").get("n"));
        counters.verify();
        appended.verify();
        status.verify();
    }

    @Test
    void aChildKilledDuringHeavyUpdatesLeavesTheDictConsistentAndUsable() throws Exception
    {
        final SharedDict<Long, byte[]> dict =
            SharedDict.create(region, "heavy", Codecs.int64(), Codecs.bytes(), 64, 4 << 20);
        final SharedLong ops = SharedLong.create(region, "ops", 0);
        // Kill until at least two kills landed while the child held the lock (each round about a second), at most 12.
        int round = 0;
        while (round < 12 && (round < 3 || dict.getLock().deadOwnerTakeovers() < 2))
        {
            ops.set(0);
            final IpcProcess<Void> child = start("updater-" + round, () ->
            {
                // Large values: most of each call is spent writing blocks under the lock, so a kill most likely
                // lands inside a change.
                for (long i = 0; ; i++)
                {
                    final long key = i % 40;
                    if (i % 3 == 2)
                    {
                        dict.remove(key);
                    }
                    else
                    {
                        dict.set(key, value(i, 8_000 + (int)(i % 7) * 1_500));
                    }
                    ops.incrementAndGet();
                }
            });
            final long target = 2_000 + round * 777;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ops.get() < target)
            {
                assertTrue(child.isAlive(), () -> "the updater died: " + child.failure());
                assertTrue(System.nanoTime() < deadline, "the updater made " + ops.get() + " calls in 120 s");
                Thread.sleep(1);
            }
            child.kill();
            assertTrue(child.join(20, TimeUnit.SECONDS));
            assertEquals(-9, child.exitCode().getAsInt());
            round++;

            // The first call takes the dead child's lock over and completes a change it committed.
            final String summary = dict.verify();
            final Map<Long, byte[]> contents = dict.snapshot();
            contents.forEach(ManagerCrossProcessTest::checkValue);
            assertEquals(contents.size(), dict.size());
            System.out.println("after kill " + round + " at " + ops.get() + " calls: " + summary + ", " +
                dict.getLock().deadOwnerTakeovers() + " lock takeovers so far");
            dict.put(1_000L + round, value(round, 10_000));
            checkValue(1_000L + round, dict.get(1_000L + round));
            dict.verify();
        }
        assertTrue(dict.getLock().deadOwnerTakeovers() >= 1,
            "in " + round + " rounds no kill landed while the child held the lock");
    }

    @Test
    void aHolderHaltedWithAHalfAppliedInsertIsCompletedByTheNextProcess() throws Exception
    {
        final SharedDict<String, byte[]> dict =
            SharedDict.create(region, "halted", Codecs.string(), Codecs.bytes(), 16, 64 * 64);
        dict.put("kept", value(1, 100));
        final IpcProcess<Void> child = start("halter", () ->
        {
            dict.getLock().lock();
            final DictTable table = dict.table();
            final Encoded key = new Encoded().encode(Codecs.string(), "new", "child", "key");
            table.find(key);
            table.stageInsert(key, new Encoded().encode(Codecs.bytes(), value(2, 500), "child", "value"), "put");
            table.redo().publish();
            table.redo().applyStores(3); // chain cut off, bucket linked, free head moved; size and order not yet
            Runtime.getRuntime().halt(HALTED);
            return null;
        });
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(HALTED, child.exitCode().getAsInt(), () -> "" + child.failure());
        assertTrue(dict.getLock().isLocked(), "the halted child still holds the lock");

        checkValue(2, dict.get("new")); // takes the lock over, repairs, then reads
        assertEquals(1, dict.table().redo().repairs());
        assertEquals(1, dict.getLock().deadOwnerTakeovers());
        assertEquals(List.of("kept", "new"), List.copyOf(dict.keySet()));
        assertTrue(dict.verify().startsWith("2 entries"));
        dict.remove("kept");
        dict.verify();
    }

    @Test
    void aHolderHaltedBeforeItsCommitLeavesNothingBehind() throws Exception
    {
        final SharedList<byte[]> list = SharedList.create(region, "halted-list", Codecs.bytes(), 16, 64 * 64);
        list.add(value(1, 100));
        list.add(value(2, 100));
        final IpcProcess<Void> child = start("halter", () ->
        {
            list.getLock().lock();
            list.table().stageInsert(1, new Encoded().encode(Codecs.bytes(), value(3, 700), "child", "element"),
                "add");
            Runtime.getRuntime().halt(HALTED); // new bytes and the shifted index written, nothing committed
            return null;
        });
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(HALTED, child.exitCode().getAsInt(), () -> "" + child.failure());

        assertEquals(2, list.snapshot().size());
        checkValue(1, list.get(0));
        checkValue(2, list.get(1));
        assertEquals(0, list.table().redo().repairs());
        list.verify();
        list.add(1, value(4, 700));
        checkValue(4, list.get(1));
        list.verify();
    }

    /** A value that says what it should hold: its length and a sequence number repeated through it. */
    static byte[] value(final long sequence, final int length)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.putInt(length);
        while (buffer.remaining() >= Long.BYTES)
        {
            buffer.putLong(sequence);
        }
        return buffer.array();
    }

    private static void checkValue(final long key, final byte[] value)
    {
        assertNotNull(value, "key " + key);
        final ByteBuffer buffer = ByteBuffer.wrap(value);
        assertEquals(value.length, buffer.getInt(), "key " + key + ": length");
        final long sequence = value.length >= 12 ? buffer.getLong(4) : 0;
        while (buffer.remaining() >= Long.BYTES)
        {
            assertEquals(sequence, buffer.getLong(), "key " + key + ": a torn value");
        }
    }
}
