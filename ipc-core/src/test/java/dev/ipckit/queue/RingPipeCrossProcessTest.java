package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.Await;
import dev.ipckit.testing.ChildJvms;
import dev.ipckit.wait.Waiting;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ring pipes between this JVM and real child JVMs (the ping-pong is {@link PipeCrossProcessTest}'s, run on both
 * transports), and the death promises: a sender killed at any instant leaves
 * nothing half-read and ends the stream; a reader killed while it holds a message leaves it for the next reader; a
 * dead sender's end is not taken over; a sleeping receiver is rung.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RingPipeCrossProcessTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;
    private static final int RING = 1 << 16;

    @TempDir
    Path dir;

    @AfterEach
    void killChildren() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    private PipeOptions options()
    {
        return PipeOptions.defaults().withDirectory(dir).withTransport(Transport.RING).withRingCapacity(RING);
    }

    @Test
    void aSenderKilledWithARecordClaimedButNotCommittedEndsTheStreamAfterWhatItCompleted() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withDuplex(false)))
        {
            final Connection childEnd = pipe.end2();
            final String directory = pipe.directory().toString();
            final long pipeId = pipe.pipeId();
            final String marker = dir.resolve("claimed").toString();
            final IpcProcess<Void> child = IpcProcess.of(() ->
            {
                for (int i = 0; i < 5; i++)
                {
                    childEnd.send(i);
                }
                // Claim one more record and never commit it: the state a SIGKILL mid-write leaves.
                final PipeLink link = PipeLink.attached(Path.of(directory), pipeId);
                link.ring(PipeControl.END1).tryClaim(Connection.KIND_BYTES, 64);
                touch(marker);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
            }).name("claims").jvmOptions(CHILD_JVM).start();

            Await.until(() -> Files.exists(Path.of(marker)), "the child sent and claimed a record");
            child.kill();
            assertTrue(child.join(30, TimeUnit.SECONDS));

            final Connection parent = pipe.end1();
            for (int i = 0; i < 5; i++)
            {
                assertEquals(i, parent.recv(10, TimeUnit.SECONDS), "what the child completed is read first");
            }
            final EOFException eof = assertThrows(EOFException.class, () -> parent.recv(30, TimeUnit.SECONDS));
            assertTrue(eof.getMessage().contains("died"), eof.getMessage());
            assertTrue(parent.poll(), "a receive would not block");

            // The dead sender's end is not taken over: its claim would stop the reader for good.
            final Exception takeOver = assertThrows(Exception.class,
                () -> Deserialization.fromBytes(Serialization.toBytes(pipe.end2())));
            assertTrue(hasCause(takeOver, InvalidObjectException.class, "cannot be taken over"), takeOver.toString());
        }
    }

    /**
     * A sender SIGKILLed at arbitrary instants of a stream of messages of every size, some while it waits for room:
     * every message read is whole and in order, and the stream then ends.
     */
    @Test
    void aSenderKilledAtManyPointsLeavesWholeMessagesInOrderThenTheEndOfTheStream() throws Exception
    {
        final int rounds = 6;
        final int largest = RING / 8;
        for (int round = 0; round < rounds; round++)
        {
            try (Pipe pipe = Pipe.create(options().withDuplex(false)))
            {
                final Connection childEnd = pipe.end2();
                final IpcProcess<?> child = IpcProcess.of(() ->
                {
                    for (int i = 0; ; i++)
                    {
                        childEnd.sendBytes(RingPipeTest.pattern(i, i * 7919 % (largest + 1)));
                    }
                }).name("killed-" + round).jvmOptions(CHILD_JVM).start();

                final Connection parent = pipe.end1();
                // Read some, so the kill lands at a different point of the stream each round.
                final int before = ThreadLocalRandom.current().nextInt(1, 5_000);
                int i = 0;
                for (; i < before; i++)
                {
                    assertMessage(parent, i, largest);
                }
                if (round % 2 == 1)
                {
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(20)));
                }
                child.kill();
                assertTrue(child.join(30, TimeUnit.SECONDS));
                while (true)
                {
                    try
                    {
                        assertMessage(parent, i, largest);
                        i++;
                    }
                    catch (final EOFException ex)
                    {
                        assertTrue(ex.getMessage().contains("died"), ex.getMessage());
                        break;
                    }
                }
                assertTrue(i >= before, "round " + round + ": " + i + " messages");
            }
        }
    }

    @Test
    void aReaderKilledWhileDecodingLeavesTheMessageForTheNextReader() throws Exception
    {
        final Path marker = dir.resolve("decoding");
        final Codec<Object> codec = new StallingCodec(marker.toString());
        try (Pipe pipe = Pipe.create(options().withDuplex(false).withCodec(codec)))
        {
            final Connection childEnd = pipe.end1();
            final IpcProcess<?> child = IpcProcess.of(() ->
            {
                try
                {
                    while (true)
                    {
                        childEnd.recv();
                    }
                }
                catch (final IOException | InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }).name("stalls").jvmOptions(CHILD_JVM).start();

            final Connection writer = pipe.end2();
            writer.send("a");
            writer.send(StallingCodec.STALL);
            writer.send("c");
            Await.until(() -> Files.exists(marker), "the child is decoding the message that stalls");
            child.kill();
            assertTrue(child.join(30, TimeUnit.SECONDS));

            // This process takes the end back: the message the child held comes again, then the rest.
            final Connection again = (Connection)Deserialization.fromBytes(Serialization.toBytes(pipe.end1()));
            assertEquals(StallingCodec.STALL, again.recv(10, TimeUnit.SECONDS));
            assertEquals("c", again.recv(10, TimeUnit.SECONDS));
            assertFalse(again.poll());
        }
    }

    /**
     * A receive that has slept for a while (its wait long past spinning) still notices its writer's death on its
     * liveness cadence, for both transports: the sleep is at most 100 ms and each wake-up checks.
     */
    @Test
    void aReceiverAsleepInRecvNoticesTheDeathOfItsWriterSoon() throws Exception
    {
        for (final Transport transport : Transport.values())
        {
            try (Pipe pipe = Pipe.create(options().withTransport(transport).withDuplex(false)))
            {
                final Connection childEnd = pipe.end2();
                final String marker = dir.resolve("ready-" + transport).toString();
                final IpcProcess<?> child = IpcProcess.of(() ->
                {
                    childEnd.send("first");
                    touch(marker);
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
                    return null;
                }).name("silent-" + transport).jvmOptions(CHILD_JVM).start();

                final Connection parent = pipe.end1();
                assertEquals("first", parent.recv(30, TimeUnit.SECONDS));
                Await.until(() -> Files.exists(Path.of(marker)), "the child owns its end");
                final long[] killedAt = new long[1];
                final Thread killer = new Thread(() ->
                {
                    // Long after the receive below has spun, yielded and gone to sleep on its doorbell.
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    killedAt[0] = System.nanoTime();
                    child.kill();
                });
                killer.start();
                final EOFException eof = assertThrows(EOFException.class, () -> parent.recv(30, TimeUnit.SECONDS));
                final long noticedAfter = System.nanoTime();
                killer.join();
                assertTrue(eof.getMessage().contains("died"), eof.getMessage());
                // A liveness bound, not a speed: every wake-up of the sleeping receive checks (at most 100 ms apart, so
                // about 0.2 s); checking only every 64th look took 2 s here.
                final long millis = TimeUnit.NANOSECONDS.toMillis(noticedAfter - killedAt[0]);
                assertTrue(millis < 1_000, transport + ": the death was noticed " + millis + " ms after the kill");
            }
        }
    }

    @Test
    void aReceiverAsleepInWaitingAnyIsRungByASendFromAnotherJvm() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withDuplex(false)))
        {
            final Connection childEnd = pipe.end2();
            final IpcProcess<Void> child = IpcProcess.of(() ->
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                childEnd.send("wake");
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
            }).name("rings").jvmOptions(CHILD_JVM).start();

            final Connection parent = pipe.end1();
            final List<Connection> ready = Waiting.any(List.of(parent), 30, TimeUnit.SECONDS);
            assertEquals(List.of(parent), ready);
            assertEquals("wake", parent.recv(1, TimeUnit.SECONDS));
            assertTrue(child.isAlive());
        }
    }

    private static void assertMessage(final Connection parent, final int i, final int largest) throws Exception
    {
        final byte[] message = parent.recvBytes(30, TimeUnit.SECONDS);
        assertArrayEquals(RingPipeTest.pattern(i, i * 7919 % (largest + 1)), message, "message " + i);
    }

    private static boolean hasCause(final Throwable thrown, final Class<?> type, final String text)
    {
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            if (type.isInstance(t) && t.getMessage() != null && t.getMessage().contains(text))
            {
                return true;
            }
        }
        return false;
    }

    private static void touch(final String path)
    {
        try
        {
            Files.createFile(Path.of(path));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The standard codec, except that decoding {@link #STALL} the first time marks a file and stalls for a minute. */
    static final class StallingCodec implements Codec<Object>
    {
        static final String STALL = "stall";
        private static final long serialVersionUID = 1L;
        private final String marker;

        StallingCodec(final String marker)
        {
            this.marker = marker;
        }

        @Override
        public void encode(final Object message, final BytesOut<?> out)
        {
            Codecs.standard().encode(message, out);
        }

        @Override
        public Object decode(final BytesIn<?> in)
        {
            final Object message = Codecs.standard().decode(in);
            if (STALL.equals(message) && !Files.exists(Path.of(marker)))
            {
                touch(marker);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
            }
            return message;
        }
    }
}
