package dev.ipckit.queue;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Messages larger than Chronicle's default document limit (16 MiB) through pipes and queues, between this JVM and
 * real child JVMs; the limit, and writers killed while writing a big message. Heap: the 256 MiB test needs about
 * 512 MiB here and 600 MiB in its child; the limit test a 512 MiB array here; the others much less.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeMessageTest
{
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    SharedRegion signals;

    @BeforeEach
    void createSignals()
    {
        signals = SharedRegion.create("signals", 1 << 16, RegionOptions.defaults().withDirectory(dir));
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

    private PipeOptions pipeOptions()
    {
        return PipeOptions.defaults().withDirectory(dir);
    }

    private QueueOptions queueOptions()
    {
        return QueueOptions.defaults().withDirectory(dir);
    }

    private static <V> V finish(final IpcProcess<V> child, final long seconds) throws InterruptedException
    {
        assertTrue(child.join(seconds, TimeUnit.SECONDS), child + " did not finish in " + seconds + " s");
        assertEquals(0, child.exitCode().getAsInt(), () -> child + " failed: " + child.failure());
        return child.result();
    }

    static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A message whose content says what it should be: its id in the first 4 bytes, then id-derived bytes. */
    static byte[] tagged(final int id, final int length)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)(id * 31 + 7));
        ByteBuffer.wrap(bytes).putInt(0, id);
        return bytes;
    }

    /** The id of a tagged message, after checking every byte; throws when any is wrong. */
    static int checkTagged(final byte[] bytes, final int expectedLength)
    {
        final int id = ByteBuffer.wrap(bytes).getInt(0);
        if (bytes.length != expectedLength)
        {
            throw new IllegalStateException("message " + id + " has " + bytes.length + " bytes, not " + expectedLength);
        }
        final byte fill = (byte)(id * 31 + 7);
        for (int i = 4; i < bytes.length; i++)
        {
            if (bytes[i] != fill)
            {
                throw new IllegalStateException("message " + id + " is wrong at byte " + i);
            }
        }
        return id;
    }

    @Test
    void messagesOf16And64MiBGoThroughAPipeAndAQueueBothWays() throws Exception
    {
        final byte[] m16 = randomBytes(16 * MIB, 16);
        final byte[] m64 = randomBytes(64 * MIB, 64);
        try (Pipe pipe = Pipe.create(pipeOptions());
             SharedQueue<byte[]> queue = SharedQueue.create("big", Codecs.bytes(), queueOptions()))
        {
            final Connection childEnd = pipe.end2();
            final IpcProcess<long[]> child = IpcProcess.of(() ->
            {
                final long[] crcs = new long[6];
                crcs[0] = crc(childEnd.recvBytes(30, TimeUnit.SECONDS));
                crcs[1] = crc((byte[])childEnd.recv(30, TimeUnit.SECONDS));
                try
                {
                    childEnd.recvBytesInto(new byte[16 * MIB - 1]);
                    throw new AssertionError("a 16 MiB message fit a buffer one byte short");
                }
                catch (final BufferTooShortException ex)
                {
                    crcs[2] = crc(ex.message());
                }
                final byte[] into = new byte[16 * MIB + 10];
                final int length = childEnd.recvBytesInto(into, 10);
                crcs[3] = length == 16 * MIB ? crc(Arrays.copyOfRange(into, 10, 10 + length)) : -1;
                crcs[4] = crc(queue.poll(30, TimeUnit.SECONDS));
                crcs[5] = crc(queue.take());
                // And back: the child sends, the parent receives.
                childEnd.sendBytes(randomBytes(64 * MIB, 640));
                queue.put(randomBytes(64 * MIB, 641));
                return crcs;
            }).name("big-16-64").jvmOptions("-Xmx400m", "-XX:+UseSerialGC").start();

            final Connection parentEnd = pipe.end1();
            parentEnd.sendBytes(m16);
            parentEnd.send(m64);
            parentEnd.sendBytes(m16);
            parentEnd.sendBytes(m16);
            queue.put(m16);
            assertTrue(queue.offer(m64));
            final long[] expected = {crc(m16), crc(m64), crc(m16), crc(m16), crc(m16), crc(m64)};
            assertArrayEquals(expected, finish(child, 90));

            assertEquals(crc(randomBytes(64 * MIB, 640)), crc(parentEnd.recvBytes(30, TimeUnit.SECONDS)));
            assertEquals(crc(randomBytes(64 * MIB, 641)), crc(queue.poll(30, TimeUnit.SECONDS)));
        }
    }

    @Test
    void messagesOf256MiBGoThroughAPipeAndAQueue() throws Exception
    {
        try (Pipe pipe = Pipe.create(pipeOptions());
             SharedQueue<byte[]> queue = SharedQueue.create("huge", Codecs.bytes(), queueOptions()))
        {
            final Connection childEnd = pipe.end2();
            // The child receives through the pipe and sends the same bytes back through the queue.
            final IpcProcess<Long> child = IpcProcess.of(() ->
            {
                final byte[] received = childEnd.recvBytes(60, TimeUnit.SECONDS);
                final long crc = crc(received);
                queue.put(received);
                return crc;
            }).name("big-256").jvmOptions("-Xmx768m").start(); // G1: two 256 MiB arrays, in any part of the heap

            byte[] message = randomBytes(256 * MIB, 256);
            final long sent = crc(message);
            pipe.end1().sendBytes(message);
            message = null;
            assertEquals(sent, finish(child, 90), "what the child received through the pipe");
            final byte[] back = queue.poll(30, TimeUnit.SECONDS);
            assertNotNull(back);
            assertEquals(256 * MIB, back.length);
            assertEquals(sent, crc(back), "what the parent received through the queue");
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedNamingTheLimitAndTheNextOneGoesThrough() throws Exception
    {
        final byte[] tooBig = new byte[Connection.MAX_MESSAGE_BYTES + 1];
        final String limit = String.valueOf(Connection.MAX_MESSAGE_BYTES);
        try (Pipe pipe = Pipe.create(pipeOptions());
             SharedQueue<byte[]> queue = SharedQueue.create("limit", Codecs.bytes(), queueOptions()))
        {
            final Connection end1 = pipe.end1();
            final IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> end1.sendBytes(tooBig));
            assertTrue(bytes.getMessage().contains(limit) &&
                bytes.getMessage().contains(String.valueOf(tooBig.length)), bytes.getMessage());
            final IllegalArgumentException object = assertThrows(IllegalArgumentException.class,
                () -> end1.send(tooBig));
            assertTrue(object.getMessage().contains(limit), object.getMessage());
            final IllegalArgumentException put = assertThrows(IllegalArgumentException.class, () -> queue.put(tooBig));
            assertTrue(put.getMessage().contains(limit) && put.getMessage().contains(String.valueOf(tooBig.length)),
                put.getMessage());
            assertFalse(assertThrows(IllegalArgumentException.class, () -> queue.offer(tooBig)).getMessage().isEmpty());
            assertEquals(0, queue.size(), "nothing was put");

            end1.sendBytes(new byte[]{1, 2, 3});
            end1.send("after");
            queue.put(new byte[]{4, 5});
            final Connection end2 = pipe.end2();
            assertArrayEquals(new byte[]{1, 2, 3}, end2.recvBytes(5, TimeUnit.SECONDS));
            assertEquals("after", end2.recv(5, TimeUnit.SECONDS));
            assertFalse(end2.poll(), "nothing else was sent");
            assertArrayEquals(new byte[]{4, 5}, queue.poll(5, TimeUnit.SECONDS));
            assertNull(queue.poll());
        }
    }

    @Test
    void competingConsumersGetLargeAndSmallMessagesWholeAndExactlyOnce() throws Exception
    {
        final int messages = 24;
        final int consumers = 2;
        try (SharedQueue<byte[]> queue = SharedQueue.create("mixed", Codecs.bytes(), queueOptions()))
        {
            final SharedCountDownLatch ready = SharedCountDownLatch.create(signals, "consumers-up", consumers);
            final List<IpcProcess<int[]>> children = new ArrayList<>();
            for (int c = 0; c < consumers; c++)
            {
                children.add(IpcProcess.of(() ->
                {
                    ready.countDown();
                    final int[] got = new int[messages];
                    int count = 0;
                    while (true)
                    {
                        final byte[] message = queue.poll(60, TimeUnit.SECONDS);
                        if (message == null)
                        {
                            throw new IllegalStateException("no message for 60 s after " + count);
                        }
                        if (message.length == 0)
                        {
                            return Arrays.copyOf(got, count);
                        }
                        got[count++] = checkTagged(message, lengthOf(ByteBuffer.wrap(message).getInt(0)));
                    }
                }).name("consumer-" + c).jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start());
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the consumers never started");
            for (int id = 0; id < messages; id++)
            {
                queue.put(tagged(id, lengthOf(id)));
            }
            for (int c = 0; c < consumers; c++)
            {
                queue.put(new byte[0]);
            }
            final Set<Integer> seen = new HashSet<>();
            for (final IpcProcess<int[]> child : children)
            {
                for (final int id : finish(child, 90))
                {
                    assertTrue(seen.add(id), "message " + id + " delivered twice");
                }
            }
            assertEquals(messages, seen.size(), "every message delivered");
        }
    }

    /** Every sixth message is 20 MiB, past Chronicle's default limit; the others are small. */
    static int lengthOf(final int id)
    {
        return id % 6 == 0 ? 20 * MIB + id : 64 + id;
    }

    @Test
    void aWriterKilledWhileWritingABigMessageLeavesNoPartOfItAndThePipeAndQueueUsable() throws Exception
    {
        final long[] killDelaysMillis = {0, 60, 170};
        for (final long delay : killDelaysMillis)
        {
            try (Pipe pipe = Pipe.create(pipeOptions().withDuplex(false));
                 SharedQueue<byte[]> queue = SharedQueue.create("killed-" + delay, Codecs.bytes(), queueOptions()))
            {
                final SharedEvent writing = SharedEvent.create(signals, "writing-" + delay);
                final Connection sender = pipe.end2();
                final IpcProcess<Object> writer = IpcProcess.of(() ->
                {
                    final byte[] big = tagged(1, 48 * MIB);
                    writing.set();
                    while (true)
                    {
                        queue.put(big);
                        sender.sendBytes(big);
                    }
                }).name("writer-" + delay).jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start();
                assertTrue(writing.await(60, TimeUnit.SECONDS), "the writer never started");
                if (delay > 0)
                {
                    Thread.sleep(delay); // a kill point, not synchronisation
                }
                writer.kill();
                assertTrue(writer.join(30, TimeUnit.SECONDS));

                // The queue: the next producer takes over from the dead one; every message before its is whole.
                queue.put(tagged(2, 100));
                int whole = 0;
                while (true)
                {
                    final byte[] message = queue.poll(30, TimeUnit.SECONDS);
                    assertNotNull(message, "the message put after the kill never arrived (delay " + delay + " ms)");
                    if (message.length == 100)
                    {
                        assertEquals(2, checkTagged(message, 100));
                        break;
                    }
                    assertEquals(1, checkTagged(message, 48 * MIB));
                    whole++;
                }
                assertNull(queue.poll(), "nothing after the last message");
                assertEquals(0, queue.size());

                // The pipe: whole messages, then the end of the stream.
                final Connection receiver = pipe.end1();
                int received = 0;
                while (true)
                {
                    final byte[] message;
                    try
                    {
                        message = receiver.recvBytes(30, TimeUnit.SECONDS);
                    }
                    catch (final EOFException ex)
                    {
                        break;
                    }
                    assertEquals(1, checkTagged(message, 48 * MIB));
                    received++;
                }
                assertTrue(received <= whole + 1 && received >= whole - 1,
                    "the writer alternated queue and pipe: " + whole + " queue messages, " + received + " pipe messages");
            }
        }
    }

    @Test
    void aBigMessageHeldByAKilledConsumerIsRedeliveredWhole() throws Exception
    {
        try (SharedQueue<byte[]> queue = SharedQueue.create("redeliver", Codecs.bytes(), queueOptions()))
        {
            queue.put(tagged(7, 40 * MIB));
            final SharedEvent took = SharedEvent.create(signals, "took");
            final SharedEvent never = SharedEvent.create(signals, "never");
            final IpcProcess<Object> consumer = IpcProcess.of(() ->
            {
                final byte[] message = queue.take();
                checkTagged(message, 40 * MIB);
                took.set();
                never.await(); // holds the message, unacknowledged, until killed
                return null;
            }).name("holder").jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start();
            assertTrue(took.await(60, TimeUnit.SECONDS), "the consumer never took the message");
            assertNull(queue.poll(), "the message is held by the live consumer");
            consumer.kill();
            assertTrue(consumer.join(30, TimeUnit.SECONDS));

            final byte[] again = queue.poll(30, TimeUnit.SECONDS);
            assertNotNull(again, "the dead consumer's message was not delivered again");
            assertEquals(7, checkTagged(again, 40 * MIB));
            assertEquals(1, queue.redeliveredCount());
            assertNull(queue.poll());
        }
    }
}
