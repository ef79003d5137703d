package dev.ipckit.queue;

import dev.ipckit.testing.Await;
import dev.ipckit.codec.Codecs;
import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.Serialization;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pipes within one process: messages, directions, validation, timeouts, end of stream, closing, handles. With the
 * journal transport here; {@link RingPipeTest} runs every test again with the ring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeTest
{
    @TempDir
    Path dir;

    /** The options every test creates its pipes with: a subclass changes the transport. */
    PipeOptions options()
    {
        return PipeOptions.defaults().withDirectory(dir);
    }

    @Test
    void duplexRoundTripsObjectsAndBytesBothWays() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            final Connection b = pipe.end2();
            assertTrue(pipe.isDuplex());
            assertTrue(a.readable() && a.writable() && b.readable() && b.writable());

            a.send("hello");
            a.send(42);
            a.send(7L);
            a.sendBytes(new byte[] {1, 2, 3});
            assertEquals("hello", b.recv());
            assertEquals(42, b.recv());
            assertEquals(7L, b.recv());
            assertArrayEquals(new byte[] {1, 2, 3}, b.recvBytes());

            b.send("back");
            b.sendBytes(new byte[] {9, 8, 7, 6}, 1, 2);
            assertEquals("back", a.recv(1, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {8, 7}, a.recvBytes(1, TimeUnit.SECONDS));
            assertFalse(a.poll());
            assertFalse(b.poll());
        }
    }

    @Test
    void recvReturnsABytesMessageAsBytesAndRecvBytesAnObjectMessageAsItsEncoding() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            pipe.end2().sendBytes(new byte[] {4, 5});
            pipe.end2().send("encoded");
            assertArrayEquals(new byte[] {4, 5}, (byte[])pipe.end1().recv());
            final byte[] encoded = pipe.end1().recvBytes();
            final Bytes<byte[]> in = Bytes.wrapForRead(encoded);
            assertEquals("encoded", Codecs.standard().decode(in), "recvBytes gives exactly the codec's bytes");
        }
    }

    @Test
    void aOneWayPipeReceivesOnEnd1AndSendsOnEnd2Only() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withDuplex(false)))
        {
            final Connection reader = pipe.end1();
            final Connection writer = pipe.end2();
            assertFalse(pipe.isDuplex());
            assertTrue(reader.readable());
            assertFalse(reader.writable());
            assertFalse(writer.readable());
            assertTrue(writer.writable());

            final IllegalStateException send = assertThrows(IllegalStateException.class, () -> reader.send("x"));
            assertTrue(send.getMessage().contains("end1") && send.getMessage().contains("read end"), send.getMessage());
            assertThrows(IllegalStateException.class, () -> reader.sendBytes(new byte[1]));
            final IllegalStateException recv = assertThrows(IllegalStateException.class, writer::recv);
            assertTrue(recv.getMessage().contains("end2") && recv.getMessage().contains("write end"),
                recv.getMessage());
            assertThrows(IllegalStateException.class, writer::recvBytes);
            assertThrows(IllegalStateException.class, () -> writer.recvBytesInto(new byte[4]));
            assertThrows(IllegalStateException.class, writer::poll);
            assertThrows(IllegalStateException.class, () -> writer.poll(10, TimeUnit.MILLISECONDS));

            writer.send("one way");
            assertEquals("one way", reader.recv(1, TimeUnit.SECONDS));
            if (pipe.transport() == Transport.JOURNAL)
            {
                assertTrue(Files.isDirectory(pipe.directory().resolve("to-end1")));
                assertFalse(Files.exists(pipe.directory().resolve("to-end2")), "a one-way pipe has one journal");
            }
        }
    }

    @Test
    void sendBytesChecksOffsetAndLengthAndWritesNothingWhenTheyAreWrong() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            final byte[] buf = new byte[4];
            final IndexOutOfBoundsException past =
                assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(buf, 3, 2));
            assertTrue(past.getMessage().contains("3") && past.getMessage().contains("2") &&
                past.getMessage().contains("4"), past.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(buf, -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(buf, 1, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(buf, 5, 0));
            assertThrows(NullPointerException.class, () -> a.sendBytes(null, 0, 0));
            assertFalse(pipe.end2().poll(), "nothing was written");
            a.sendBytes(buf, 4, 0);
            assertArrayEquals(new byte[0], pipe.end2().recvBytes());
        }
    }

    @Test
    void recvBytesIntoATooShortBufferThrowsWithTheWholeMessageAndConsumesIt() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final byte[] big = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            pipe.end2().sendBytes(big);
            pipe.end2().sendBytes(new byte[] {11, 12, 13});
            pipe.end2().sendBytes(new byte[] {14, 15, 16});
            final byte[] buf = new byte[8];

            final BufferTooShortException tooShort =
                assertThrows(BufferTooShortException.class, () -> pipe.end1().recvBytesInto(buf));
            assertArrayEquals(big, tooShort.message());
            assertTrue(tooShort.getMessage().contains("10 bytes"), tooShort.getMessage());
            assertArrayEquals(new byte[8], buf, "the buffer is untouched");

            assertEquals(3, pipe.end1().recvBytesInto(buf, 5), "the next message still arrives");
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 11, 12, 13}, buf);
            final BufferTooShortException atOffset = assertThrows(BufferTooShortException.class,
                () -> pipe.end1().recvBytesInto(buf, 6, 1, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {14, 15, 16}, atOffset.message());
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.end1().recvBytesInto(buf, 9));
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.end1().recvBytesInto(buf, -1));
            assertFalse(pipe.end1().poll());
        }
    }

    @Test
    void anEmptyMessageIsAMessage() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            pipe.end2().sendBytes(new byte[0]);
            pipe.end2().sendBytes(new byte[0]);
            pipe.end2().sendBytes(new byte[0]);
            assertTrue(pipe.end1().poll());
            assertArrayEquals(new byte[0], pipe.end1().recvBytes());
            assertEquals(0, pipe.end1().recvBytesInto(new byte[0]));
            assertArrayEquals(new byte[0], (byte[])pipe.end1().recv());
            assertFalse(pipe.end1().poll());
        }
    }

    @Test
    void pollNeverConsumes() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            assertFalse(a.poll());
            pipe.end2().send("first");
            pipe.end2().send("second");
            assertTrue(a.poll());
            assertTrue(a.poll());
            assertTrue(a.poll(1, TimeUnit.SECONDS));
            assertEquals("first", a.recv());
            assertTrue(a.poll());
            assertEquals("second", a.recv());
            assertFalse(a.poll());
        }
    }

    @Test
    void everyTimedReceiveTimesOut() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            assertTimesOut(() -> a.recv(100, TimeUnit.MILLISECONDS));
            assertTimesOut(() -> a.recvBytes(100, TimeUnit.MILLISECONDS));
            assertTimesOut(() -> a.recvBytesInto(new byte[8], 0, 100, TimeUnit.MILLISECONDS));
            final long start = System.nanoTime();
            assertFalse(a.poll(100, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
            assertThrows(TimeoutException.class, () -> a.recv(0, TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> a.recv(-1, TimeUnit.SECONDS));
            assertFalse(a.poll(0, TimeUnit.SECONDS));

            pipe.end2().send("late but there");
            assertEquals("late but there", a.recv(0, TimeUnit.SECONDS), "a zero timeout still looks once");
        }
    }

    @Test
    void aClosedPeerGivesEndOfStreamOnceEveryMessageIsRead() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            final Connection b = pipe.end2();
            b.send("one");
            b.sendBytes(new byte[] {2});
            b.send("three");
            b.close();

            assertTrue(a.poll());
            assertEquals("one", a.recv());
            assertArrayEquals(new byte[] {2}, a.recvBytes());
            assertEquals("three", a.recv(1, TimeUnit.SECONDS));
            assertTrue(a.poll(), "a receive would not block: it throws EOFException");
            final EOFException eof = assertThrows(EOFException.class, a::recv);
            assertTrue(eof.getMessage().contains("end2") && eof.getMessage().contains("closed"), eof.getMessage());
            assertThrows(EOFException.class, a::recvBytes);
            assertThrows(EOFException.class, () -> a.recv(1, TimeUnit.SECONDS));
            assertThrows(EOFException.class, () -> a.recvBytesInto(new byte[1]));
            assertTrue(a.poll(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWaitingReceiverGetsEndOfStreamWhenThePeerCloses() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final CountDownLatch done = new CountDownLatch(1);
            final Thread receiver = new Thread(() ->
            {
                try
                {
                    outcome.set(new AssertionError("received " + pipe.end1().recv()));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
                done.countDown();
            });
            receiver.start();
            assertFalse(done.await(200, TimeUnit.MILLISECONDS), "the receiver waits");
            pipe.end2().close();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertInstanceOf(EOFException.class, outcome.get());
        }
    }

    @Test
    void aConnectionIsUnusableAfterClose() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection a = pipe.end1();
            assertFalse(a.isClosed());
            a.close();
            a.close();
            assertTrue(a.isClosed());
            for (final Executable use : List.<Executable>of(() -> a.send("x"), () -> a.sendBytes(new byte[1]), a::recv,
                a::recvBytes, () -> a.recvBytesInto(new byte[1]), a::poll, () -> a.poll(10, TimeUnit.MILLISECONDS),
                () -> a.recv(10, TimeUnit.MILLISECONDS)))
            {
                final IllegalStateException ex = assertThrows(IllegalStateException.class, use);
                assertTrue(ex.getMessage().contains("end1") && ex.getMessage().contains("is closed"), ex.getMessage());
            }
            assertThrows(IOException.class, () -> Serialization.toBytes(a), "a closed connection cannot be sent");
            assertThrows(EOFException.class, () -> pipe.end2().recv(1, TimeUnit.SECONDS), "the peer sees the close");
        }
    }

    @Test
    void closingAConnectionStopsItsBlockedReceiverAndInterruptStopsAnother() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final AtomicReference<Throwable> first = new AtomicReference<>();
            final AtomicReference<Throwable> second = new AtomicReference<>();
            final Thread closed = receiverInto(pipe.end1(), first);
            final Thread interrupted = receiverInto(pipe.end2(), second);
            Await.until(() -> blocked(closed) && blocked(interrupted), "both receivers wait in recv");
            interrupted.interrupt();
            interrupted.join(10_000);
            assertInstanceOf(InterruptedException.class, second.get());
            pipe.end1().close();
            closed.join(10_000);
            assertInstanceOf(IllegalStateException.class, first.get());
        }
    }

    @Test
    void sendRejectsNullAndWhatTheCodecCannotEncodeWithoutWritingAnything() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            assertThrows(NullPointerException.class, () -> pipe.end1().send(null));
            assertThrows(IllegalArgumentException.class, () -> pipe.end1().send(new Object()));
            assertFalse(pipe.end2().poll(), "nothing was written");
            pipe.end1().send("after");
            assertEquals("after", pipe.end2().recv());
            assertFalse(pipe.end2().poll());
        }
    }

    @Test
    void aTemporaryPipeIsRemovedWhenItsCreatorClosesIt() throws Exception
    {
        final Pipe pipe = Pipe.create(options());
        final Path directory = pipe.directory();
        assertEquals(dir.toAbsolutePath(), directory.getParent());
        assertTrue(pipe.name().startsWith("pipe-"), pipe.name());
        assertTrue(Files.exists(directory.resolve(QueueFiles.CONTROL_FILE)));
        assertEquals(pipe.transport() == Transport.JOURNAL, Files.isDirectory(directory.resolve("to-end1")));
        assertEquals(pipe.transport() == Transport.JOURNAL, Files.isDirectory(directory.resolve("to-end2")));
        pipe.end1().send("left unread");
        pipe.close();
        pipe.close();
        assertFalse(Files.exists(directory));
        assertTrue(pipe.end1().isClosed() && pipe.end2().isClosed());
    }

    @Test
    void aNamedPipeLivesInItsDirectoryAndTheNameIsTaken() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withName("mine")))
        {
            assertEquals(dir.resolve("mine.pipe").toAbsolutePath(), pipe.directory());
            assertEquals("mine", pipe.name());
            assertThrows(IllegalStateException.class, () -> Pipe.create(options().withName("mine")));
            pipe.end1().send("still works");
            assertEquals("still works", pipe.end2().recv());
        }
        assertThrows(IllegalArgumentException.class, () -> Pipe.create(options().withName("a/b")));
    }

    @Test
    void aHandleDeserializedInTheSameProcessIsTheSameConnection() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection copy = (Connection)Deserialization.fromBytes(Serialization.toBytes(pipe.end2()));
            assertSame(pipe.end2(), copy);
            // Sending to itself handed nothing off: the close still closes the end for its peer.
            copy.close();
            assertThrows(EOFException.class, () -> pipe.end1().recv(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void anEndSentAwayIsNotClosedByTheSenderAndItsNewReaderGoesOnWhereTheOldOneStopped() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection b = pipe.end2();
            for (int i = 1; i <= 4; i++)
            {
                b.send(i);
            }
            assertEquals(1, pipe.end1().recv());
            assertEquals(2, pipe.end1().recv());
            final byte[] handle = Serialization.toBytes(pipe.end1());
            pipe.end1().close();
            assertThrows(TimeoutException.class, () -> b.recv(200, TimeUnit.MILLISECONDS),
                "the end was handed off, so the sender's close is no end of stream");

            final Connection a = (Connection)Deserialization.fromBytes(handle);
            assertNotSame(pipe.end1(), a);
            assertEquals(3, a.recv(1, TimeUnit.SECONDS));
            assertEquals(4, a.recv(1, TimeUnit.SECONDS));
            assertFalse(a.poll());
            a.close();
            assertThrows(EOFException.class, () -> b.recv(1, TimeUnit.SECONDS), "the new owner's close ends it");
        }
    }

    @Test
    void threadsShareAConnectionAndEachMessageGoesToOneReceiver() throws Exception
    {
        final int senders = 3;
        final int perSender = 2_000;
        final int total = senders * perSender;
        try (Pipe pipe = Pipe.create(options()))
        {
            final Set<Long> seen = ConcurrentHashMap.newKeySet();
            final AtomicInteger received = new AtomicInteger();
            final AtomicInteger duplicates = new AtomicInteger();
            final List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++)
            {
                final long sender = s;
                threads.add(new Thread(() ->
                {
                    for (int i = 0; i < perSender; i++)
                    {
                        pipe.end2().send((sender << 32) | i);
                    }
                }));
            }
            for (int r = 0; r < 2; r++)
            {
                threads.add(new Thread(() ->
                {
                    while (received.get() < total)
                    {
                        try
                        {
                            if (!seen.add((Long)pipe.end1().recv(50, TimeUnit.MILLISECONDS)))
                            {
                                duplicates.incrementAndGet();
                            }
                            received.incrementAndGet();
                        }
                        catch (final TimeoutException ex)
                        {
                            // look at the count again
                        }
                        catch (final IOException | InterruptedException ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(30_000);
                assertFalse(thread.isAlive());
            }
            assertEquals(0, duplicates.get());
            assertEquals(total, seen.size());
        }
    }

    /** Whether a thread is parked (a receiver waiting for a message parks once its spins are spent). */
    /** Parked, or asleep on a doorbell (a selector's select: RUNNABLE in native code). */
    private static boolean blocked(final Thread thread)
    {
        final Thread.State state = thread.getState();
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
        {
            return true;
        }
        for (final StackTraceElement frame : thread.getStackTrace())
        {
            if (frame.getClassName().equals("dev.ipckit.platform.internal.Doorbell") &&
                frame.getMethodName().equals("sleep"))
            {
                return true;
            }
        }
        return false;
    }

    private static Thread receiverInto(final Connection connection, final AtomicReference<Throwable> outcome)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                outcome.set(new AssertionError("received " + connection.recv()));
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
        });
        thread.start();
        return thread;
    }

    private static void assertTimesOut(final Executable receive)
    {
        final long start = System.nanoTime();
        assertThrows(TimeoutException.class, receive);
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(100), "waited only " + elapsed + " ns");
        // Far above a busy machine's scheduling delays: shows only that the timeout ends the wait.
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(30), "waited " + elapsed + " ns");
    }
}
