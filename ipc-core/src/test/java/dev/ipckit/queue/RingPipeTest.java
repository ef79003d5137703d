package dev.ipckit.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every {@link PipeTest} again with the ring transport, and what only a ring does: it fills up, it bounds a
 * message's size, and it wraps around.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingPipeTest extends PipeTest
{
    private static final int SMALL_RING = PipeOptions.MIN_RING_CAPACITY;

    @Override
    PipeOptions options()
    {
        return super.options().withTransport(Transport.RING);
    }

    @Test
    void theTransportIsRecordedAndTheJournalIsTheDefault() throws Exception
    {
        try (Pipe ring = Pipe.create(options()); Pipe journal = Pipe.create(super.options()))
        {
            assertEquals(Transport.RING, ring.transport());
            assertEquals(Transport.RING, ring.end1().transport());
            assertEquals(Transport.JOURNAL, journal.transport());
            assertEquals(PipeOptions.DEFAULT_RING_CAPACITY / 8, ring.end1().maxMessageBytes());
            assertEquals(Connection.MAX_MESSAGE_BYTES, journal.end1().maxMessageBytes());
        }
    }

    @Test
    void aRingCapacityMustBeAPowerOfTwoWithinTheBounds()
    {
        for (final int bad : new int[] {0, -4096, 1000, 2048, 4097, 3 << 20, 1 << 30})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> PipeOptions.defaults().withRingCapacity(bad));
            assertTrue(ex.getMessage().contains(String.valueOf(bad)) && ex.getMessage().contains("power of two"),
                ex.getMessage());
        }
        assertEquals(1 << 16, PipeOptions.defaults().withRingCapacity(1 << 16).ringCapacity());
    }

    @Test
    void aMessageLargerThanAnEighthOfTheRingIsRefusedAndNothingIsSent() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withRingCapacity(SMALL_RING)))
        {
            final Connection a = pipe.end1();
            assertEquals(SMALL_RING / 8, a.maxMessageBytes());
            final IllegalArgumentException bytes =
                assertThrows(IllegalArgumentException.class, () -> a.sendBytes(new byte[SMALL_RING / 8 + 1]));
            assertTrue(bytes.getMessage().contains("513 bytes") && bytes.getMessage().contains("limit of 512") &&
                bytes.getMessage().contains("withRingCapacity"), bytes.getMessage());
            final IllegalArgumentException object =
                assertThrows(IllegalArgumentException.class, () -> a.send("x".repeat(SMALL_RING)));
            assertTrue(object.getMessage().contains("java.lang.String"), object.getMessage());
            assertFalse(pipe.end2().poll(), "nothing was sent");

            final byte[] largest = new byte[SMALL_RING / 8];
            Arrays.fill(largest, (byte)7);
            a.sendBytes(largest);
            assertArrayEquals(largest, pipe.end2().recvBytes(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFullRingMakesASendWaitUntilTheReaderMakesRoomAndATimedSendGiveUp() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withRingCapacity(SMALL_RING).withDuplex(false)))
        {
            final Connection writer = pipe.end2();
            final Connection reader = pipe.end1();
            final byte[] message = new byte[100];
            int sent = 0;
            while (true)
            {
                message[0] = (byte)sent;
                if (!writer.sendBytes(message, 0, message.length, 0, TimeUnit.SECONDS))
                {
                    break;
                }
                sent++;
                assertTrue(sent < SMALL_RING, "a 4 KiB ring filled up");
            }
            assertTrue(sent >= SMALL_RING / 128 - 1, "the ring took " + sent + " messages of 100 bytes");
            assertFalse(writer.sendBytes(message, 0, message.length, 50, TimeUnit.MILLISECONDS), "still full");
            assertFalse(writer.send("x".repeat(200), 10, TimeUnit.MILLISECONDS));

            final CountDownLatch started = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final int last = sent;
            final Thread blocked = new Thread(() ->
            {
                started.countDown();
                try
                {
                    final byte[] next = new byte[100];
                    next[0] = (byte)last;
                    writer.sendBytes(next);
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            blocked.start();
            started.await();
            blocked.join(200);
            assertTrue(blocked.isAlive(), "the untimed send waits while the ring is full");
            // A record never straddles the ring's end: the one that wraps needs 120 contiguous bytes at its start.
            assertEquals(0, reader.recvBytes(1, TimeUnit.SECONDS)[0]);
            assertEquals(1, reader.recvBytes(1, TimeUnit.SECONDS)[0]);
            blocked.join(10_000);
            assertFalse(blocked.isAlive(), "receives made room and the send went through");
            assertNull(failure.get());
            for (int i = 2; i <= last; i++)
            {
                assertEquals((byte)i, reader.recvBytes(1, TimeUnit.SECONDS)[0], "in order, none lost");
            }
            assertFalse(reader.poll());
        }
    }

    @Test
    void aSendToAFullRingWhoseReaderClosedFailsInsteadOfWaitingForever() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withRingCapacity(SMALL_RING).withDuplex(false)))
        {
            final Connection writer = pipe.end2();
            writer.sendBytes(new byte[10]);
            pipe.end1().close();
            writer.sendBytes(new byte[10]); // room left: sent, as into a closed journal pipe
            int sent = 2;
            while (sent < SMALL_RING)
            {
                try
                {
                    assertTrue(writer.sendBytes(new byte[200], 0, 200, 10, TimeUnit.SECONDS), "room, or an error");
                    sent++;
                }
                catch (final IllegalStateException full)
                {
                    break;
                }
            }
            assertTrue(sent > SMALL_RING / 208 && sent < SMALL_RING, sent + " messages filled a 4 KiB ring");
            final IllegalStateException untimed =
                assertThrows(IllegalStateException.class, () -> writer.sendBytes(new byte[200]));
            assertTrue(untimed.getMessage().contains("full") && untimed.getMessage().contains("closed"),
                untimed.getMessage());
            assertThrows(IllegalStateException.class,
                () -> writer.sendBytes(new byte[200], 0, 200, 10, TimeUnit.SECONDS));
        }
    }

    @Test
    void messagesOfEverySizeWrapAroundASmallRingIntactAndInOrder() throws Exception
    {
        final int messages = 20_000;
        final int largest = SMALL_RING / 8;
        try (Pipe pipe = Pipe.create(options().withRingCapacity(SMALL_RING).withDuplex(false)))
        {
            final Connection writer = pipe.end2();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread sender = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < messages; i++)
                    {
                        if (i % 3 == 0)
                        {
                            writer.send(i);
                        }
                        else
                        {
                            writer.sendBytes(pattern(i, i % (largest + 1)));
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            sender.start();
            final Connection reader = pipe.end1();
            for (int i = 0; i < messages; i++)
            {
                if (i % 3 == 0)
                {
                    assertEquals(i, reader.recv(10, TimeUnit.SECONDS));
                }
                else if (i % 2 == 0)
                {
                    final byte[] into = new byte[largest];
                    final int length = reader.recvBytesInto(into, 0, 10, TimeUnit.SECONDS);
                    assertArrayEquals(pattern(i, i % (largest + 1)), Arrays.copyOf(into, length), "message " + i);
                }
                else
                {
                    assertArrayEquals(pattern(i, i % (largest + 1)), reader.recvBytes(10, TimeUnit.SECONDS),
                        "message " + i);
                }
            }
            sender.join(10_000);
            assertNull(failure.get());
            assertFalse(reader.poll());
        }
    }

    @Test
    void aControlBlockWhoseTransportWordsAreDamagedIsRefusedNamingTheProblem()
    {
        final org.agrona.concurrent.UnsafeBuffer block =
            new org.agrona.concurrent.UnsafeBuffer(new byte[PipeControl.LENGTH]);
        PipeControl.initialize(block, 0, true, 1 << 16, 42);
        assertEquals(1 << 16, new PipeControl(block, 0, null).ringCapacity());

        block.putInt(PipeControl.RING_CAPACITY_OFFSET, 3000);
        final IllegalStateException notAPowerOfTwo =
            assertThrows(IllegalStateException.class, () -> new PipeControl(block, 0, null));
        assertTrue(notAPowerOfTwo.getMessage().contains("damaged") && notAPowerOfTwo.getMessage().contains("3000"),
            notAPowerOfTwo.getMessage());

        block.putInt(PipeControl.FLAGS_OFFSET, PipeControl.FLAG_DUPLEX); // a journal pipe with a ring capacity
        block.putInt(PipeControl.RING_CAPACITY_OFFSET, 1 << 16);
        assertThrows(IllegalStateException.class, () -> new PipeControl(block, 0, null));

        block.putInt(PipeControl.FLAGS_OFFSET, 0x10);
        final IllegalStateException unknownFlag =
            assertThrows(IllegalStateException.class, () -> new PipeControl(block, 0, null));
        assertTrue(unknownFlag.getMessage().contains("0x10"), unknownFlag.getMessage());

        block.putInt(PipeControl.VERSION_OFFSET, 2);
        assertThrows(IllegalStateException.class, () -> new PipeControl(block, 0, null), "an older layout");
    }

    /** {@code length} bytes that depend on {@code seed} and on their position. */
    static byte[] pattern(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }
}
