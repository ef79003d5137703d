package dev.ipckit.queue;

import dev.ipckit.codec.Codecs;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.internal.RingClaims;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every {@link SharedQueueCrossProcessTest} again on a ring, and the ring's death promises at many points: producers
 * SIGKILLed anywhere in a stream of every size (writing, waiting for room, between a commit and its count) never
 * wedge the ring, lose a message they counted or repeat one; consumers SIGKILLed anywhere in a stream have what
 * they held delivered again, once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RingSharedQueueCrossProcessTest extends SharedQueueCrossProcessTest
{
    private static final int SMALL_RING = PipeOptions.MIN_RING_CAPACITY;
    private static final int ROUNDS = 6;

    @Override
    QueueOptions options()
    {
        return super.options().withTransport(Transport.RING);
    }

    /** Journal only: a ring has no write lock of its own, the put lock is all. */
    @Override
    void chroniclesWriteLockHeldByAProcessItStillCountsAsAliveMakesOfferWaitNotThrow()
    {
    }

    /** The ring's form: a producer killed holding the put lock and a claimed, uncommitted record. */
    @Override
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
                final QueueParts parts = QueueParts.open(Path.of(queueDirectory), options);
                parts.putLock().lock();
                if (parts.control().ring().ring.tryClaim(RingClaims.MESSAGE_TYPE, 16) < 0)
                {
                    throw new IllegalStateException("no room to claim");
                }
                writing.set();
                hold.await(5, TimeUnit.MINUTES); // held until the test kills this process
                return null;
            });
            assertTrue(writing.await(60, TimeUnit.SECONDS), "the producer never claimed");
            assertEquals(1, queue.size());
            producer.kill();
            assertTrue(producer.join(30, TimeUnit.SECONDS));
            assertTrue(queue.offer(2L, 30, TimeUnit.SECONDS), "the queue is wedged");
            assertEquals(1L, queue.poll(10, TimeUnit.SECONDS));
            assertEquals(2L, queue.poll(10, TimeUnit.SECONDS), "the claimed record is stepped over, the next follows");
            assertNull(queue.poll());
            assertEquals(2, queue.putCount());
        }
    }

    @Test
    void producersKilledAtManyPointsNeverWedgeTheRingLoseOrRepeatAMessage() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        try (SharedQueue<Object> queue =
                 SharedQueue.create("killed-producers", Codecs.standard(), options().withRingCapacity(SMALL_RING)))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final String where = "round " + round + " (seed " + seed + ")";
                final SharedEvent started = SharedEvent.create(signals, "started-" + round);
                final int thisRound = round;
                final IpcProcess<Void> producer = start("killed-producer-" + round, () ->
                {
                    for (int i = 0; ; i++)
                    {
                        queue.put(message(thisRound, i));
                        if (i == 10) // of up to 80 bytes: the 4 KiB ring has room for them
                        {
                            started.set();
                        }
                    }
                });
                assertTrue(started.await(60, TimeUnit.SECONDS), "the producer never started, " + where);
                // Even rounds take while it writes; odd ones let the ring fill, so it is killed waiting for room.
                int next = 0;
                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(40));
                while (round % 2 == 0 && System.nanoTime() < until)
                {
                    final Object got = queue.poll(10, TimeUnit.SECONDS);
                    assertNotNull(got, "the producer stopped, " + where);
                    assertEquals(next++, sequenceOf(thisRound, got), where);
                }
                producer.kill();
                assertTrue(producer.join(30, TimeUnit.SECONDS));
                // Take what it left first: a ring it filled has no room for the end marker until then.
                Object left;
                while ((left = queue.poll(500, TimeUnit.MILLISECONDS)) != null)
                {
                    assertEquals(next++, sequenceOf(thisRound, left), "each message once and in order, " + where);
                }
                assertTrue(queue.offer(Long.valueOf(round), 30, TimeUnit.SECONDS), "the ring is wedged, " + where);
                while (true)
                {
                    final Object got = queue.poll(10, TimeUnit.SECONDS);
                    assertNotNull(got, "a message is missing after " + next + ", " + where);
                    if (got instanceof Long end)
                    {
                        assertEquals(round, end.intValue());
                        break;
                    }
                    assertEquals(next++, sequenceOf(thisRound, got), "each message once and in order, " + where);
                }
                assertTrue(next >= 10, "put before the kill: " + next + ", " + where);
                assertEquals(queue.putCount(), queue.takenCount(), "the counters agree with the ring, " + where);
                assertEquals(0, queue.size());
            }
        }
    }

    @Test
    void consumersKilledAtManyPointsHaveWhatTheyHeldDeliveredAgainOnce() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int messages = 2_000; // about 350 KB: the default ring of 1 MiB takes them all before the consumer starts
        try (SharedQueue<Object> queue =
                 SharedQueue.create("killed-consumers", Codecs.standard(), options()))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final String where = "round " + round + " (seed " + seed + ")";
                final SharedLong finished = SharedLong.create(signals, "finished-" + round, -1);
                final SharedEvent started = SharedEvent.create(signals, "consuming-" + round);
                final int thisRound = round;
                for (int i = 0; i < messages; i++)
                {
                    queue.put(message(round, i));
                }
                final IpcProcess<Void> consumer = start("killed-consumer-" + round, () ->
                {
                    started.set();
                    while (true)
                    {
                        final Object got = queue.poll(60, TimeUnit.SECONDS);
                        if (got == null)
                        {
                            return null;
                        }
                        // "Processed": recorded before the next take acknowledges it.
                        finished.set(sequenceOf(thisRound, got));
                        Thread.onSpinWait();
                    }
                });
                assertTrue(started.await(60, TimeUnit.SECONDS), "the consumer never started, " + where);
                // Killed mid-stream, at a different point each round.
                final int killAfter = random.nextInt(messages - 100);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (finished.get() < killAfter)
                {
                    assertTrue(System.nanoTime() < deadline, "the consumer stalled at " + finished.get() + ", " + where);
                    Thread.onSpinWait();
                }
                consumer.kill();
                assertTrue(consumer.join(30, TimeUnit.SECONDS));
                final long last = finished.get();
                final long redeliveredBefore = queue.redeliveredCount();
                final List<Integer> got = new ArrayList<>();
                // The first take waits long enough for the dead consumer to be found, unless it finished everything
                // (fast consumers often do before the kill lands): then at most its last one comes again.
                final boolean allFinished = last == messages - 1;
                Object message;
                while ((message = queue.poll(got.isEmpty() && !allFinished ? 10 : 1, TimeUnit.SECONDS)) != null)
                {
                    got.add(sequenceOf(thisRound, message));
                }
                // What it held comes again (when this consumer next looks for dead ones, not necessarily first): the
                // one it finished (killed before its next take acknowledged it) or the one after it; every later
                // message once, in order.
                final int held = got.contains((int)last) ? (int)last : (int)last + 1;
                final List<Integer> sorted = new ArrayList<>(got);
                Collections.sort(sorted);
                final List<Integer> expected = new ArrayList<>();
                for (int i = held; i < messages; i++)
                {
                    expected.add(i);
                }
                assertEquals(expected, sorted, "every message not finished, once, and what it held, " + where);
                got.remove(Integer.valueOf(held));
                for (int i = 1; i < got.size(); i++)
                {
                    assertTrue(got.get(i) > got.get(i - 1), "in order but for the redelivery, " + where);
                }
                assertTrue(queue.redeliveredCount() - redeliveredBefore <= 1, where);
                assertEquals(0, queue.size());
            }
        }
    }

    /**
     * Claims without a lock, with a competitor: a consumer JVM and a consumer thread here take from one queue at once,
     * and the JVM is killed at a different point each round. Every message is finished by one of them; the only one
     * finished twice is what the killed consumer held (finished, not yet acknowledged), delivered again.
     */
    @Test
    void aConsumerKilledWhileAnotherCompetesLosesNothingAndRepeatsAtMostWhatItHeld() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int messages = 2_000;
        try (SharedQueue<Object> queue = SharedQueue.create("competing-killed", Codecs.standard(), options()))
        {
            for (int round = 0; round < 3; round++)
            {
                final String where = "round " + round + " (seed " + seed + ")";
                final SharedByteArray finishedThere = SharedByteArray.create(signals, "finished-there-" + round, messages);
                final SharedLong count = SharedLong.create(signals, "count-" + round, 0);
                final SharedEvent started = SharedEvent.create(signals, "competing-" + round);
                final int thisRound = round;
                for (int i = 0; i < messages; i++)
                {
                    queue.put(message(round, i));
                }
                final IpcProcess<Void> consumer = start("competing-consumer-" + round, () ->
                {
                    started.set();
                    while (true)
                    {
                        final Object got = queue.poll(60, TimeUnit.SECONDS);
                        if (got == null)
                        {
                            return null;
                        }
                        finishedThere.set(sequenceOf(thisRound, got), (byte)1);
                        count.incrementAndGet();
                    }
                });
                assertTrue(started.await(60, TimeUnit.SECONDS), "the consumer never started, " + where);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count.get() == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "the consumer never took, " + where);
                    Thread.onSpinWait();
                }
                // Both take from here on; the JVM is killed once the two finished killAfter messages together.
                final int[] finishedHere = new int[messages];
                final int killAfter = 50 + random.nextInt(messages - 100);
                int here = 0;
                while (here + count.get() < killAfter)
                {
                    assertTrue(System.nanoTime() < deadline, "the consumers stalled, " + where);
                    final Object got = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (got != null)
                    {
                        finishedHere[sequenceOf(thisRound, got)]++;
                        here++;
                    }
                }
                consumer.kill();
                assertTrue(consumer.join(30, TimeUnit.SECONDS));
                final long redeliveredBefore = queue.redeliveredCount();
                Object got;
                while ((got = queue.poll(1, TimeUnit.SECONDS)) != null)
                {
                    finishedHere[sequenceOf(thisRound, got)]++;
                }
                int twice = 0;
                for (int i = 0; i < messages; i++)
                {
                    final int times = finishedHere[i] + finishedThere.get(i);
                    assertTrue(times >= 1, "message " + i + " was lost, " + where);
                    assertTrue(finishedHere[i] <= 1, "message " + i + " came here twice, " + where);
                    twice += times - 1;
                }
                assertTrue(twice <= 1, twice + " messages finished twice, " + where);
                assertTrue(queue.redeliveredCount() - redeliveredBefore <= 1, where);
                assertEquals(0, queue.size(), where);
            }
        }
    }

    /** A message of round {@code round}: its sequence, then a size that varies from 0 to 300 more bytes. */
    private static byte[] message(final int round, final int sequence)
    {
        final byte[] bytes = new byte[8 + sequence * 7 % 301];
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).putInt(round).putInt(sequence);
        for (int i = 8; i < bytes.length; i++)
        {
            bytes[i] = (byte)sequence;
        }
        return bytes;
    }

    private static int sequenceOf(final int round, final Object message)
    {
        final byte[] bytes = (byte[])message;
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        assertEquals(round, buffer.getInt(), "a message of another round");
        final int sequence = buffer.getInt();
        assertEquals(8 + sequence * 7 % 301, bytes.length, "message " + sequence + " is whole");
        for (int i = 8; i < bytes.length; i++)
        {
            assertEquals((byte)sequence, bytes[i], "message " + sequence + " is whole");
        }
        return sequence;
    }
}
