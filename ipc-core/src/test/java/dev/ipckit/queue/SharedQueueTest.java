package dev.ipckit.queue;

import dev.ipckit.testing.Await;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** SharedQueue and JoinableQueue within one process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedQueueTest
{
    private static final LongCodec CODEC = new LongCodec();

    @TempDir
    Path dir;

    QueueOptions options()
    {
        return QueueOptions.defaults().withDirectory(dir);
    }

    @Test
    void firstInFirstOutWithSizeAndPeek() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("fifo", CODEC, options()))
        {
            assertTrue(queue.isEmpty());
            assertNull(queue.poll());
            assertNull(queue.peek());
            for (long i = 0; i < 10; i++)
            {
                queue.put(i);
            }
            assertEquals(10, queue.size());
            assertEquals(0L, queue.peek());
            assertEquals(0L, queue.peek(), "peek does not take");
            for (long i = 0; i < 10; i++)
            {
                assertEquals(i, queue.take());
            }
            assertTrue(queue.isEmpty());
            assertEquals(10, queue.putCount());
            assertEquals(10, queue.takenCount());
        }
    }

    @Test
    void theDefaultCodecCarriesMixedMessagesAndRefusesOthersAtPut() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("mixed", options()))
        {
            queue.put("hello");
            queue.put(42);
            queue.put(new byte[] {1, 2, 3});
            queue.put(new byte[0]);
            queue.put(java.util.List.of("a", 1L));                     // lists (and maps, sets, ...) since issue 16
            final IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> queue.put(new StringBuilder("not standard")));
            assertTrue(error.getMessage().contains("java.lang.StringBuilder"), error.getMessage());
            assertEquals("hello", queue.take());
            assertEquals(42, queue.take());
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[])queue.take());
            assertArrayEquals(new byte[0], (byte[])queue.take(), "an empty message is a message");
            assertEquals(java.util.List.of("a", 1L), queue.take());
            assertNull(queue.poll());
        }
    }

    @Test
    void timedPollReturnsNullAfterTheTimeout() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("timed", CODEC, options()))
        {
            final long start = System.nanoTime();
            assertNull(queue.poll(50, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void boundedQueueRefusesOffersWhenFullAndPutWaitsForRoom() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("bounded", CODEC, options().withCapacity(2)))
        {
            assertTrue(queue.offer(1L));
            assertTrue(queue.offer(2L));
            assertEquals(0, queue.remainingCapacity());
            assertFalse(queue.offer(3L));
            assertFalse(queue.offer(3L, 30, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateException.class, () -> queue.add(3L));

            final CompletableFuture<Void> blockedPut = new CompletableFuture<>();
            final Thread producer = new Thread(() ->
            {
                try
                {
                    queue.put(3L);
                    blockedPut.complete(null);
                }
                catch (final Throwable ex)
                {
                    blockedPut.completeExceptionally(ex);
                }
            });
            producer.start();
            Await.until(() -> producer.getState() == Thread.State.TIMED_WAITING ||
                producer.getState() == Thread.State.WAITING || blockedPut.isDone(), "the producer waits in put");
            assertFalse(blockedPut.isDone(), "put waits while the queue is full");
            assertEquals(1L, queue.take());
            blockedPut.get(10, TimeUnit.SECONDS);
            assertEquals(2, queue.size());
            assertEquals(2L, queue.take());
            assertEquals(3L, queue.take());
        }
    }

    @Test
    void aValueTheCodecCannotEncodeFailsAtPutAndAppendsNothing() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("encode", CODEC, options()))
        {
            final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> queue.put(-5L));
            assertTrue(error.getMessage().contains("cannot encode"), error.getMessage());
            assertTrue(error.getMessage().contains("-5"), error.getMessage());
            assertThrows(NullPointerException.class, () -> queue.put(null));
            assertEquals(0, queue.size());
            queue.put(7L);
            assertEquals(7L, queue.poll());
        }
    }

    @Test
    void iterationIsNotSupportedAndSaysWhy() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("iterate", CODEC, options()))
        {
            queue.put(1L);
            final UnsupportedOperationException error =
                assertThrows(UnsupportedOperationException.class, queue::iterator);
            assertTrue(error.getMessage().contains("other processes"));
            final List<Long> drained = new ArrayList<>();
            assertEquals(1, queue.drainTo(drained));
            assertEquals(List.of(1L), drained);
        }
    }

    @Test
    void aTemporaryQueueIsRemovedWhenItsCreatorClosesItAndUseAfterCloseFails() throws Exception
    {
        final SharedQueue<Long> queue = SharedQueue.create("temporary", CODEC, options());
        final Path directory = queue.directory();
        assertTrue(Files.isDirectory(directory));
        queue.close();
        assertFalse(Files.exists(directory));
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> queue.put(1L));
        assertTrue(error.getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> SharedQueue.open("temporary", CODEC, options()));
        assertThrows(IllegalArgumentException.class, () -> SharedQueue.create("a/b", CODEC, options()));
    }

    @Test
    void aPersistentQueueKeepsItsMessagesAfterItsCreatorCloses() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("kept", CODEC, options().withPersistent(true)))
        {
            queue.put(1L);
            queue.put(2L);
        }
        try (SharedQueue<Long> queue = SharedQueue.open("kept", CODEC, options()))
        {
            assertTrue(queue.isPersistent());
            assertEquals(2, queue.size());
            assertEquals(1L, queue.take());
        }
        try (SharedQueue<Long> queue = SharedQueue.openOrCreate("kept", CODEC, options()))
        {
            assertEquals(2L, queue.take());
            assertNull(queue.poll());
        }
        assertThrows(IllegalStateException.class, () -> SharedQueue.create("kept", CODEC, options()));
    }

    @Test
    void competingThreadsTakeEachMessageExactlyOnce() throws Exception
    {
        final int messages = 20_000;
        try (SharedQueue<Long> queue = SharedQueue.create("threads", CODEC, options()))
        {
            final ConcurrentHashMap<Long, Integer> seen = new ConcurrentHashMap<>();
            final List<CompletableFuture<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++)
            {
                consumers.add(CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        long last = -1;
                        while (true)
                        {
                            final Long value = queue.poll(10, TimeUnit.SECONDS);
                            assertNotNull(value, "no message for 10 s");
                            if (value == -1L)
                            {
                                return;
                            }
                            assertTrue(value > last, "one producer's order");
                            last = value;
                            assertNull(seen.put(value, 1), "taken twice: " + value);
                        }
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }));
            }
            for (long i = 0; i < messages; i++)
            {
                queue.put(i);
            }
            for (int c = 0; c < 3; c++)
            {
                queue.put(-1L);
            }
            CompletableFuture.allOf(consumers.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
            assertEquals(messages, seen.size());
        }
    }

    @Test
    void consumerRowsAreLimitedAndFreedWhenTheirThreadsEnd() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("rows", CODEC, options().withMaxConsumers(2)))
        {
            for (int round = 0; round < 3; round++)
            {
                final Thread[] threads = new Thread[2];
                for (int t = 0; t < threads.length; t++)
                {
                    threads[t] = new Thread(queue::poll);
                    threads[t].start();
                    threads[t].join(10_000);
                }
            }
            queue.put(5L);
            assertEquals(5L, queue.poll(), "rows of ended threads were freed for this one");
            final CompletableFuture<Void> holder = new CompletableFuture<>();
            final CountDownLatch polled = new CountDownLatch(1);
            final Thread live = new Thread(() ->
            {
                queue.poll();
                polled.countDown();
                holder.join();
            });
            live.start();
            assertTrue(polled.await(30, TimeUnit.SECONDS), "the live thread took its row");
            final Throwable error = CompletableFuture.runAsync(queue::poll).handle((ok, ex) -> ex).get(10, TimeUnit.SECONDS);
            assertNotNull(error, "a third live consumer thread has no row");
            assertTrue(error.getCause().getMessage().contains("consumer rows"), error.getCause().getMessage());
            holder.complete(null);
            live.join(10_000);
        }
    }

    @Test
    void joinWaitsForEveryTaskDoneAndTaskDoneCannotOutnumberTakes() throws Exception
    {
        try (JoinableQueue<Long> queue = JoinableQueue.create("joinable", CODEC, options()))
        {
            assertTrue(queue.join(10, TimeUnit.MILLISECONDS), "nothing put: nothing to wait for");
            queue.put(1L);
            queue.put(2L);
            assertEquals(2, queue.unfinishedTasks());
            assertFalse(queue.join(30, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateException.class, queue::taskDone, "nothing taken yet");
            queue.take();
            queue.taskDone();
            final IllegalStateException error = assertThrows(IllegalStateException.class, queue::taskDone);
            assertTrue(error.getMessage().contains("more times than messages were taken"), error.getMessage());
            queue.take();
            assertFalse(queue.join(10, TimeUnit.MILLISECONDS));
            queue.taskDone();
            assertTrue(queue.join(1, TimeUnit.SECONDS));
            assertEquals(0, queue.unfinishedTasks());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aQueueTravelsAsAHandle() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("handle", CODEC, options()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes))
            {
                out.writeObject(queue);
            }
            assertTrue(bytes.size() < 2048, "a handle, not the queue: " + bytes.size() + " bytes");
            final SharedQueue<Long> copy;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())))
            {
                copy = (SharedQueue<Long>)in.readObject();
            }
            try (copy)
            {
                copy.put(42L);
                assertEquals(42L, queue.take());
            }
            assertTrue(Files.isDirectory(queue.directory()), "only the creator removes the queue");
        }
    }

    @Test
    void passedRollFilesAreDeletedSoSteadyTrafficKeepsTheFootprintBounded() throws Exception
    {
        final QueueOptions shortRolls = options().withRollCycle(TestRollCycles.TEST_SECONDLY);
        try (SharedQueue<Long> queue = SharedQueue.create("retention", CODEC, shortRolls))
        {
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            final AtomicLong taken = new AtomicLong();
            int maxFiles = 0;
            long i = 0;
            while (System.nanoTime() < end)
            {
                for (int k = 0; k < 100; k++)
                {
                    queue.put(i++);
                }
                for (int k = 0; k < 100; k++)
                {
                    assertNotNull(queue.poll());
                    taken.incrementAndGet();
                }
                maxFiles = Math.max(maxFiles, queue.rollFileCount());
            }
            assertEquals(i, taken.get());
            assertTrue(i > 1000, "traffic: " + i);
            assertTrue(maxFiles <= 3, "at most 3 roll files at once over 4 one-second cycles, saw " + maxFiles);
            assertTrue(queue.rollFileCount() <= 2, "files now: " + queue.rollFileCount());
        }
    }
}
