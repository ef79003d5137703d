package dev.ipckit.queue;

import dev.ipckit.codec.Codecs;
import dev.ipckit.sync.SharedLock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
            assertEquals((1 << 16) / 8, opened.maxMessageBytes());
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
            assertTrue(ex.getMessage().contains("limit of 512") && ex.getMessage().contains("withRingCapacity"),
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
            // 16-byte records (8 header, 8 message) in 4 KiB, less the header Agrona keeps free after the tail.
            assertEquals(SMALL_RING / 16 - 1, put, "a ring of 4 KiB holds this many 8-byte messages");
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
            assertEquals(0L, queue.take());
            blocked.get(10, TimeUnit.SECONDS);
            for (long i = 1; i <= next; i++)
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
                    final int kind = round % 4 == 2 && index < 16 ? 0 : round % 4;
                    switch (kind)
                    {
                        case 0 -> // claimed: the tail moved, the header still zero
                            ring.records.putLongRelease(tailIndex, tail + 16);
                        case 1 -> // copying: the negative length written, not the positive one
                            assertTrue(ring.ring.tryClaim(QueueRing.MESSAGE_TYPE, 8) > 0);
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
                            assertTrue(ring.write(message, 8));
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
}
