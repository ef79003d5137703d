package dev.ipckit.queue;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Queues between real child JVMs: competing consumers, killed producers and consumers, bounded puts, joins and
 * persistence across processes. Time bounds are generous: the machines are shared and noisy.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedQueueCrossProcessTest
{
    static final String[] CHILD_JVM = {"-Xmx128m", "-XX:+UseSerialGC"};
    static final LongCodec CODEC = new LongCodec();
    static final long STOP = -1L;

    @TempDir
    Path dir;
    SharedRegion signals;
    /** Never set: a child that waits on it is held until the test kills it. */
    SharedEvent never;

    @BeforeEach
    void createSignals()
    {
        signals = SharedRegion.create("signals", 1 << 16, RegionOptions.defaults().withDirectory(dir));
        never = SharedEvent.create(signals, "never");
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        for (final IpcProcess<?> child : ProcessInfo.activeChildren())
        {
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
        signals.close();
    }

    QueueOptions options()
    {
        return QueueOptions.defaults().withDirectory(dir);
    }

    static <V> IpcProcess<V> start(final String name, final SerializableCallable<V> task)
    {
        return IpcProcess.of(task).name(name).jvmOptions(CHILD_JVM).start();
    }

    static <V> V finish(final IpcProcess<V> child, final long seconds) throws InterruptedException
    {
        assertTrue(child.join(seconds, TimeUnit.SECONDS), child + " did not finish in " + seconds + " s");
        assertEquals(0, child.exitCode().getAsInt(), () -> child + " failed: " + child.failure());
        return child.result();
    }

    @Test
    void twoProducersTwoConsumersEveryMessageExactlyOnceInEachProducersOrder() throws Exception
    {
        final int producers = 2;
        final int consumers = 2;
        final long perProducer = 100_000;
        try (SharedQueue<Long> queue = SharedQueue.create("mpmc", CODEC, options()))
        {
            // Producers start once every consumer is up, or on a loaded machine one consumer may take everything.
            final SharedCountDownLatch ready = SharedCountDownLatch.create(signals, "consumers-up", consumers);
            final List<IpcProcess<long[]>> consumerProcesses = new ArrayList<>();
            for (int c = 0; c < consumers; c++)
            {
                consumerProcesses.add(start("consumer-" + c, () ->
                {
                    ready.countDown();
                    long[] got = new long[1024];
                    int count = 0;
                    while (true)
                    {
                        final Long value = queue.poll(60, TimeUnit.SECONDS);
                        if (value == null)
                        {
                            throw new IllegalStateException("no message for 60 s after " + count);
                        }
                        if (value == STOP)
                        {
                            return java.util.Arrays.copyOf(got, count);
                        }
                        if (count == got.length)
                        {
                            got = java.util.Arrays.copyOf(got, count * 2);
                        }
                        got[count++] = value;
                    }
                }));
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the consumers never started");
            final List<IpcProcess<Void>> producerProcesses = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final long producer = p;
                producerProcesses.add(start("producer-" + p, () ->
                {
                    for (long i = 0; i < perProducer; i++)
                    {
                        queue.put(producer << 32 | i);
                    }
                    return null;
                }));
            }
            for (final IpcProcess<Void> producer : producerProcesses)
            {
                finish(producer, 150);
            }
            for (int c = 0; c < consumers; c++)
            {
                queue.put(STOP);
            }
            final Set<Long> all = new HashSet<>();
            for (final IpcProcess<long[]> consumer : consumerProcesses)
            {
                final long[] got = finish(consumer, 150);
                assertTrue(got.length > 0, consumer + " took nothing");
                final long[] lastOfProducer = {-1, -1};
                for (final long value : got)
                {
                    final int producer = (int)(value >>> 32);
                    final long sequence = value & 0xFFFF_FFFFL;
                    assertTrue(sequence > lastOfProducer[producer],
                        consumer + " got producer " + producer + "'s " + sequence + " after " + lastOfProducer[producer]);
                    lastOfProducer[producer] = sequence;
                    assertTrue(all.add(value), "delivered twice: " + Long.toHexString(value));
                }
            }
            assertEquals(producers * perProducer, all.size(), "every message delivered");
            assertEquals(producers * perProducer + consumers, queue.takenCount());
            assertEquals(0, queue.redeliveredCount());
        }
    }

    @Test
    void aProducerKilledInsideAnAppendDoesNotWedgeTheQueue() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("wedge", CODEC, options()))
        {
            queue.put(1L);
            final SharedEvent writing = SharedEvent.create(signals, "writing");
            final String queueDirectory = queue.directory().toString();
            final QueueOptions options = options();
            final SharedEvent hold = never; // a local: the task must not capture the test instance
            final IpcProcess<Void> producer = start("dies-writing", () ->
            {
                // Exactly what a producer does, stopped inside Chronicle's writing document, holding both locks.
                final QueueParts parts = QueueParts.open(Path.of(queueDirectory), options);
                parts.putLock().lock();
                final ExcerptAppender appender = parts.journal().createAppender();
                final DocumentContext dc = appender.writingDocument();
                dc.wire().bytes().writeLong(999L);
                writing.set();
                hold.await(5, TimeUnit.MINUTES); // held until the test kills this process
                return null;
            });
            assertTrue(writing.await(60, TimeUnit.SECONDS), "the producer never started writing");
            producer.kill();
            assertTrue(producer.join(30, TimeUnit.SECONDS));
            final long start = System.nanoTime();
            assertTrue(queue.offer(2L, 30, TimeUnit.SECONDS), "the queue is wedged");
            final long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("put after a producer died mid-append took " + recoveryMillis + " ms");
            assertEquals(1L, queue.poll(10, TimeUnit.SECONDS));
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS), "the half-written message is gone, the next one follows");
            assertNull(queue.poll());
            assertEquals(2, queue.putCount());
        }
    }

    @Test
    void chroniclesWriteLockHeldByAProcessItStillCountsAsAliveMakesOfferWaitNotThrow() throws Exception
    {
        // A killed producer its parent has not reaped yet is dead for the put lock but alive for Chronicle, which
        // then refuses its write lock for a while: here a live process holds that lock without the put lock.
        try (SharedQueue<Long> queue = SharedQueue.create("zombie", CODEC, options()))
        {
            final SharedEvent writing = SharedEvent.create(signals, "writing-only");
            final String queueDirectory = queue.directory().toString();
            final QueueOptions options = options();
            final SharedEvent hold = never; // a local: the task must not capture the test instance
            final IpcProcess<Void> holder = start("holds-write-lock", () ->
            {
                final QueueParts parts = QueueParts.open(Path.of(queueDirectory), options);
                final DocumentContext dc = parts.journal().createAppender().writingDocument();
                dc.wire().bytes().writeLong(999L);
                writing.set();
                hold.await(5, TimeUnit.MINUTES); // held until the test kills this process
                return null;
            });
            assertTrue(writing.await(60, TimeUnit.SECONDS), "the holder never started writing");
            assertFalse(queue.offer(1L, 1, TimeUnit.SECONDS), "offer times out instead of throwing");
            assertEquals(0, queue.putCount());
            holder.kill();
            assertTrue(holder.join(30, TimeUnit.SECONDS));
            assertTrue(queue.offer(2L, 30, TimeUnit.SECONDS), "the queue is wedged");
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
            assertNull(queue.poll());
        }
    }

    @Test
    void aProducerKilledMidStreamLosesNothingItPutAndDuplicatesNothing() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("midstream", CODEC, options()))
        {
            final SharedEvent busy = SharedEvent.create(signals, "busy");
            final IpcProcess<Void> producer = start("killed-producer", () ->
            {
                for (long i = 0; ; i++)
                {
                    queue.put(i);
                    if (i == 20_000)
                    {
                        busy.set();
                    }
                }
            });
            assertTrue(busy.await(60, TimeUnit.SECONDS), "the producer never put 20,000 messages");
            producer.kill();
            assertTrue(producer.join(30, TimeUnit.SECONDS));
            assertTrue(queue.offer(STOP, 30, TimeUnit.SECONDS), "the queue is wedged");
            long expected = 0;
            while (true)
            {
                final Long value = queue.poll(10, TimeUnit.SECONDS);
                assertNotNull(value, "a message is missing after " + expected);
                if (value == STOP)
                {
                    break;
                }
                assertEquals(expected++, value, "the dead producer's messages, in order, each once");
            }
            assertTrue(expected >= 20_000, "put before the kill: " + expected);
            assertEquals(expected + 1, queue.putCount(), "the counters agree with the journal");
            assertEquals(0, queue.size());
        }
    }

    @Test
    void aMessageHeldByAKilledConsumerIsDeliveredAgain() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("redeliver", CODEC, options()))
        {
            final SharedEvent took = SharedEvent.create(signals, "took");
            queue.put(1L);
            queue.put(2L);
            final SharedEvent hold = never; // a local: the task must not capture the test instance
            final IpcProcess<Void> consumer = start("killed-consumer", () ->
            {
                final Long value = queue.take();
                if (value != 1L)
                {
                    throw new IllegalStateException("took " + value);
                }
                took.set();
                hold.await(5, TimeUnit.MINUTES); // held until the test kills this process
                return null;
            });
            assertTrue(took.await(60, TimeUnit.SECONDS), "the consumer never took its message");
            assertEquals(1, queue.size(), "the consumer holds message 1");
            consumer.kill();
            assertTrue(consumer.join(30, TimeUnit.SECONDS));
            assertEquals(1L, queue.poll(10, TimeUnit.SECONDS), "message 1 delivered again");
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
            assertNull(queue.poll(200, TimeUnit.MILLISECONDS), "nothing is delivered a third time");
            assertEquals(1, queue.redeliveredCount());
        }
    }

    @Test
    void aConsumerThatExitsNormallyAcknowledgesWhatItTook() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("exit", CODEC, options()))
        {
            queue.put(1L);
            queue.put(2L);
            assertEquals(1L, finish(start("exits", queue::take), 60));
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
            assertNull(queue.poll(200, TimeUnit.MILLISECONDS), "message 1 is not delivered again");
            assertEquals(0, queue.redeliveredCount());
        }
    }

    @Test
    void aBoundedPutInAChildWaitsUntilTheParentTakes() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("bounded", CODEC, options().withCapacity(1)))
        {
            final SharedEvent firstPut = SharedEvent.create(signals, "first-put");
            final IpcProcess<Long> producer = start("blocked-producer", () ->
            {
                queue.put(1L);
                firstPut.set();
                final long start = System.nanoTime();
                queue.put(2L);
                return System.nanoTime() - start;
            });
            assertTrue(firstPut.await(60, TimeUnit.SECONDS));
            assertFalse(producer.join(300, TimeUnit.MILLISECONDS), "the second put waits while the queue is full");
            assertEquals(1, queue.size());
            assertEquals(1L, queue.take());
            final long blockedNanos = finish(producer, 60);
            assertTrue(blockedNanos >= TimeUnit.MILLISECONDS.toNanos(300), "blocked " + blockedNanos + " ns");
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void joinReturnsWhenAChildHasReportedEveryTaskDone() throws Exception
    {
        try (JoinableQueue<Long> queue = JoinableQueue.create("join", CODEC, options()))
        {
            for (long i = 0; i < 100; i++)
            {
                queue.put(i);
            }
            assertFalse(queue.join(10, TimeUnit.MILLISECONDS));
            final IpcProcess<Long> worker = start("worker", () ->
            {
                long sum = 0;
                for (int i = 0; i < 100; i++)
                {
                    sum += queue.take();
                    queue.taskDone();
                }
                return sum;
            });
            assertTrue(queue.join(120, TimeUnit.SECONDS), "unfinished: " + queue.unfinishedTasks());
            assertEquals(4950L, finish(worker, 60));
        }
    }

    @Test
    @ExtendWith(AutomaticCleanupOff.class) // tests what clean removes: the test JVM must not remove it first
    void aTemporaryQueueOfAKilledCreatorIsStaleAndRemovedAPersistentOneIsKept() throws Exception
    {
        final SharedEvent created = SharedEvent.create(signals, "created");
        final QueueOptions options = options();
        final SharedEvent hold = never; // a local: the task must not capture the test instance
        final IpcProcess<Void> creator = start("killed-creator", () ->
        {
            final SharedQueue<Long> temporary = SharedQueue.create("orphaned", CODEC, options);
            final SharedQueue<Long> persistent = SharedQueue.create("kept", CODEC, options.withPersistent(true));
            temporary.put(1L);
            persistent.put(2L);
            created.set();
            hold.await(5, TimeUnit.MINUTES); // held until the test kills this process
            return null;
        });
        assertTrue(created.await(60, TimeUnit.SECONDS));
        final Path orphaned = dir.resolve("orphaned" + QueueFiles.QUEUE_SUFFIX);
        final Path kept = dir.resolve("kept" + QueueFiles.QUEUE_SUFFIX);
        assertFalse(QueueFiles.isStale(orphaned), "its creator is alive");
        assertTrue(QueueFiles.removeStale(dir).isEmpty());
        creator.kill();
        assertTrue(creator.join(30, TimeUnit.SECONDS));
        assertTrue(QueueFiles.isStale(orphaned));
        assertEquals(List.of(orphaned), QueueFiles.removeStale(dir));
        assertFalse(java.nio.file.Files.exists(orphaned));
        try (SharedQueue<Long> queue = SharedQueue.open("kept", CODEC, options))
        {
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPersistentQueueOutlivesTheProcessesThatUsedIt() throws Exception
    {
        final QueueOptions options = options().withPersistent(true);
        finish(start("writer", () ->
        {
            try (SharedQueue<Long> queue = SharedQueue.create("durable", CODEC, options))
            {
                for (long i = 1; i <= 3; i++)
                {
                    queue.put(i);
                }
            }
            return null;
        }), 60);
        assertEquals(1L, finish(start("reader", () ->
        {
            try (SharedQueue<Long> queue = SharedQueue.open("durable", CODEC, options))
            {
                return queue.take();
            }
        }), 60));
        try (SharedQueue<Long> queue = SharedQueue.open("durable", CODEC, options))
        {
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS));
            assertEquals(3L, queue.poll(10, TimeUnit.SECONDS));
            assertNull(queue.poll());
            QueueFiles.deleteTree(queue.directory());
        }
    }
}
