package dev.ipckit.queue;

import dev.ipckit.codec.Codecs;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.HaltingCreator;
import dev.ipckit.queue.internal.RingClaims;
import dev.ipckit.sync.SharedLock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every {@link SharedQueueTest} again on a ring, and what only a ring does: it fills up in bytes, bounds a message's
 * size, wraps around, and is repaired after a producer died anywhere inside Agrona's write.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingSharedQueueTest extends SharedQueueTest
{
    private static final int SMALL_RING = PipeOptions.MIN_RING_CAPACITY;
    private static final LongCodec LONGS = new LongCodec();

    @Override
    QueueOptions options()
    {
        return super.options().withTransport(Transport.RING);
    }

    /** Replaces the journal's retention test: a ring queue has no journal at all, however much goes through it. */
    @Override
    @Test
    void passedRollFilesAreDeletedSoSteadyTrafficKeepsTheFootprintBounded() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("no-journal", LONGS, options().withRingCapacity(SMALL_RING)))
        {
            for (long i = 0; i < 10_000; i++)
            {
                queue.put(i);
                assertEquals(i, queue.take());
            }
            assertEquals(0, queue.rollFileCount());
            assertFalse(Files.exists(queue.directory().resolve(SharedQueue.JOURNAL_DIRECTORY)));
            try (var files = Files.list(queue.directory()))
            {
                assertEquals(1, files.count(), "only the control region");
            }
        }
    }

    @Test
    void theTransportIsRecordedSoAnOpenerGetsTheRingWhateverItsOptionsSay() throws Exception
    {
        try (SharedQueue<Long> ring = SharedQueue.create("ring", LONGS, options().withRingCapacity(1 << 16));
             SharedQueue<Long> opened = SharedQueue.open("ring", LONGS, super.options());
             SharedQueue<Long> journal = SharedQueue.create("journal", LONGS, super.options()))
        {
            assertEquals(Transport.RING, ring.transport());
            assertEquals(Transport.RING, opened.transport());
            assertEquals((1 << 16) / 8 - RingClaims.SEQUENCE_LENGTH, opened.maxMessageBytes());
            assertEquals(Transport.JOURNAL, journal.transport());
            assertEquals(SharedQueue.MAX_MESSAGE_BYTES, journal.maxMessageBytes());
            ring.put(7L);
            assertEquals(7L, opened.take());
        }
    }

    @Test
    void aMessageLargerThanAnEighthOfTheRingIsRefusedAndNothingIsPut() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("limit", Codecs.standard(), options().withRingCapacity(SMALL_RING)))
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> queue.put(new byte[SMALL_RING]));
            assertTrue(ex.getMessage().contains("limit of 504") && ex.getMessage().contains("withRingCapacity"),
                ex.getMessage());
            assertEquals(0, queue.putCount());
            final byte[] largest = new byte[SMALL_RING / 8 - 16]; // the standard codec's tag and length fit beside it
            Arrays.fill(largest, (byte)3);
            queue.put(largest);
            assertArrayEquals(largest, (byte[])queue.poll(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRingTooLargeForItsRowsHoldSlotsIsRefusedNamingBothOptions()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SharedQueue.create("huge", LONGS, options().withRingCapacity(PipeOptions.MAX_RING_CAPACITY)));
        assertTrue(ex.getMessage().contains("withRingCapacity") && ex.getMessage().contains("withMaxConsumers") &&
            ex.getMessage().contains("64 consumer rows"), ex.getMessage());
        assertFalse(Files.exists(options().directory().resolve("huge.queue")), "nothing is left");
    }

    @Test
    void aFullRingMakesOfferFailAndPutWaitUntilAConsumerMakesRoom() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("full", LONGS, options().withRingCapacity(SMALL_RING)))
        {
            long put = 0;
            while (queue.offer(put))
            {
                put++;
            }
            // 24-byte records (8 header, 8 sequence number, 8 message) in 4 KiB, less the header Agrona keeps free
            // after the tail.
            assertEquals((SMALL_RING - 8) / 24, put, "a ring of 4 KiB holds this many 8-byte messages");
            assertFalse(queue.offer(put, 50, TimeUnit.MILLISECONDS), "a timed offer gives up");
            final long next = put;
            final CompletableFuture<Void> blocked = CompletableFuture.runAsync(() ->
            {
                try
                {
                    queue.put(next);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            Thread.sleep(100);
            assertFalse(blocked.isDone(), "put waits while the ring is full");
            // The tail is at the ring's end: the record goes to its start, and needs room for itself and the header
            // Agrona keeps free after it (32 bytes), two messages' worth.
            assertEquals(0L, queue.take());
            assertEquals(1L, queue.take());
            blocked.get(10, TimeUnit.SECONDS);
            for (long i = 2; i <= next; i++)
            {
                assertEquals(i, queue.take());
            }
            assertNull(queue.poll());
        }
    }

    @Test
    void messagesOfEverySizeWrapTheRingManyTimesWholeAndInOrder() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("wrap", Codecs.standard(), options().withRingCapacity(SMALL_RING)))
        {
            final CompletableFuture<Void> producer = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int i = 0; i < 20_000; i++)
                    {
                        queue.put(message(i));
                    }
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            for (int i = 0; i < 20_000; i++)
            {
                final Object got = queue.poll(10, TimeUnit.SECONDS);
                assertArrayEquals(message(i), (byte[])got, "message " + i);
            }
            producer.get(10, TimeUnit.SECONDS);
            assertEquals(20_000, queue.takenCount());
        }
    }

    private static byte[] message(final int i)
    {
        final byte[] bytes = new byte[i % 400];
        Arrays.fill(bytes, (byte)i);
        return bytes;
    }

    /**
     * What a producer killed inside Agrona's write leaves, made by hand (the put lock held as its taker would): the
     * tail moved with no header (killed right after the claim), a negative header (killed while copying), padding
     * not yet committed at the ring's end, and a committed record not yet counted. The repair makes the first three
     * padding and counts the last; the queue goes on in order.
     */
    @Test
    void theRepairAfterADeadProducerStepsOverWhatItLeftAndCountsWhatItCommitted() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("repair", LONGS, options().withRingCapacity(SMALL_RING)))
        {
            final QueueControl control = queue.control;
            final QueueRing ring = control.ring();
            final SharedLock putLock = SharedLock.open(queue.region, SharedQueue.PUT_LOCK_NAME);
            long expected = 0;
            long next = 0;
            for (int round = 0; round < 40; round++)
            {
                // Move the ring's position around so some rounds wrap at the end.
                for (int k = 0; k < 7 + round; k++)
                {
                    queue.put(next++);
                }
                putLock.lock();
                try
                {
                    final long tail = ring.tail();
                    final int index = (int)(tail & (SMALL_RING - 1));
                    final int tailIndex = SMALL_RING + RingBufferDescriptor.TAIL_POSITION_OFFSET;
                    // Padding to the end only where a producer could have claimed it: room for it and a record.
                    final long room = SMALL_RING - (tail - RingClaims.position(ring.claims.claimWord()));
                    final int kind = round % 4 == 2 && (index < 16 || SMALL_RING - index + 16 > room) ? 0 : round % 4;
                    switch (kind)
                    {
                        case 0 -> // claimed: the tail moved, the header still zero
                            ring.records.putLongRelease(tailIndex, tail + 16);
                        case 1 -> // copying: the negative length written, not the positive one
                            assertTrue(ring.ring.tryClaim(RingClaims.MESSAGE_TYPE, 16) > 0);
                        case 2 -> // padding to the end and the record behind it, neither committed
                        {
                            final int toEnd = SMALL_RING - index;
                            ring.records.putLongRelease(tailIndex, tail + toEnd + 16);
                            ring.records.putLong(0, 0L);
                            ring.records.putInt(index, -toEnd);
                        }
                        default -> // committed, not counted: a whole put but for recordPut
                        {
                            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                            message.putLong(0, next); // native order, as Chronicle's writeLong
                            assertTrue(ring.write(control.nextSequence(), message, 8));
                            next++;
                        }
                    }
                    final long published = control.published();
                    control.repairRingPut();
                    assertEquals(kind == 3 ? published + 1 : published, control.published(), "round " + round);
                }
                finally
                {
                    putLock.unlock();
                }
                queue.put(next++);
                while (expected < next)
                {
                    assertEquals(expected, queue.poll(1, TimeUnit.SECONDS), "round " + round);
                    expected++;
                }
                assertNull(queue.poll());
                assertEquals(0, queue.size());
            }
        }
    }

    /**
     * A consumer killed inside a claim, past its commit point (before TAKEN is raised, and after it, before its row's
     * HELD is applied): the next claim applies it on its way, the message it held is delivered again once (from its
     * hold slot, when a live consumer's check finds the dead row), and the counts come out right. The dying consumer
     * also holds the claim lock (its first take adopts under it), which the next checking take takes over.
     */
    @Test
    void aConsumerKilledRightAfterItsClaimsCommitPointHasTheMessageDeliveredAgainOnce() throws Exception
    {
        killedInsideAClaim(CreationSteps.QUEUE_RING_CLAIMED);
    }

    @Test
    void aConsumerKilledAfterCountingItsClaimHasTheMessageDeliveredAgainOnce() throws Exception
    {
        killedInsideAClaim(CreationSteps.QUEUE_RING_COUNTED);
    }

    private void killedInsideAClaim(final String step) throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("halted", LONGS, options()))
        {
            for (long i = 1; i <= 3; i++)
            {
                queue.put(i);
            }
            final String directory = options().directory().toString();
            HaltingCreator.haltAt(step, () ->
            {
                try
                {
                    SharedQueue.open("halted", new LongCodec(),
                        QueueOptions.defaults().withDirectory(Path.of(directory))).take();
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertEquals(3, queue.size() + (step.equals(CreationSteps.QUEUE_RING_CLAIMED) ? 0 : 1),
                "TAKEN is raised at the second step, not at the first");
            final List<Long> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                taken.add(queue.poll(30, TimeUnit.SECONDS));
            }
            taken.sort(null);
            assertEquals(List.of(1L, 2L, 3L), taken, "each message once, the dead consumer's again");
            assertNull(queue.poll(300, TimeUnit.MILLISECONDS));
            assertEquals(1, queue.redeliveredCount());
            assertEquals(3, queue.takenCount());
            assertEquals(0, queue.size());
        }
    }

    @Test
    void aRingQueueTakesAtMost255Consumers()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SharedQueue.create("wide", LONGS, options().withMaxConsumers(RingClaims.MAX_ROWS + 1)));
        assertTrue(ex.getMessage().contains("at most 255 consumers") && ex.getMessage().contains("withMaxConsumers"),
            ex.getMessage());
        SharedQueue.create("widest", LONGS, options().withMaxConsumers(RingClaims.MAX_ROWS)).close();
    }

    /** A ring queue of the layout before claim words (records without sequence numbers) is refused, not misread. */
    @Test
    void aRingQueueOfTheOlderLayoutIsRefusedNamingTheProblem()
    {
        try (SharedQueue<Long> queue = SharedQueue.create("older", LONGS, options()))
        {
            final int flags =
                queue.region.lookup(SharedQueue.CONTROL_NAME).orElseThrow().offset() + QueueControl.FLAGS_OFFSET;
            queue.region.buffer().putInt(flags, QueueControl.FLAG_RING);
            final IllegalStateException older = assertThrows(IllegalStateException.class,
                () -> SharedQueue.open("older", LONGS, options()));
            assertTrue(older.getMessage().contains("older ipckit"), older.getMessage());
            queue.region.buffer().putInt(flags, QueueControl.FLAG_CLAIM_WORD);
            final IllegalStateException damaged = assertThrows(IllegalStateException.class,
                () -> SharedQueue.open("older", LONGS, options()));
            assertTrue(damaged.getMessage().contains("claim word but no ring"), damaged.getMessage());
            queue.region.buffer().putInt(flags, QueueControl.FLAG_RING | QueueControl.FLAG_CLAIM_WORD);
        }
    }

    /** A peek of a message larger than the thread's scratch grows the scratch and returns it whole, without taking it. */
    @Test
    void aPeekOfAMessageLargerThanTheScratchReturnsItWhole() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("peek-large", Codecs.standard(), options()))
        {
            final byte[] large = new byte[10_000];
            Arrays.fill(large, (byte)7);
            queue.put(large);
            assertArrayEquals(large, (byte[])queue.peek());
            assertArrayEquals(large, (byte[])queue.poll(10, TimeUnit.SECONDS), "the peek did not take it");
            assertNull(queue.peek());
        }
    }
}
