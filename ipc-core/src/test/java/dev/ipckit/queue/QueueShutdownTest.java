package dev.ipckit.queue;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code shutdown(immediate)}, as Python 3.13's {@code Queue.shutdown}: puts fail, consumers drain and then fail
 * (at once when immediate), blocked callers wake, and {@code JoinableQueue.join} returns; across child JVMs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueueShutdownTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;
    private static final LongCodec CODEC = new LongCodec();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    private QueueOptions options()
    {
        return QueueOptions.defaults().withDirectory(dir);
    }

    @Test
    void afterShutdownPutsFailAndConsumersTakeWhatIsLeftThenFail() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("drain", CODEC, options()))
        {
            queue.put(1L);
            queue.put(2L);
            assertFalse(queue.isShutDown());
            queue.shutdown();
            assertTrue(queue.isShutDown());
            assertTrue(queue.toString().contains("shut down"), queue.toString());

            final QueueShutDownException put = assertThrows(QueueShutDownException.class, () -> queue.put(3L));
            assertEquals("queue 'drain' is shut down: it takes no more messages", put.getMessage());
            assertThrows(QueueShutDownException.class, () -> queue.offer(3L));
            assertThrows(QueueShutDownException.class, () -> queue.offer(3L, 1, TimeUnit.SECONDS));
            assertEquals(2, queue.size(), "a plain shutdown keeps what is queued");

            assertEquals(1L, queue.take());
            assertEquals(2L, queue.poll(1, TimeUnit.SECONDS));
            final QueueShutDownException empty = assertThrows(QueueShutDownException.class, queue::take);
            assertEquals("queue 'drain' is shut down and empty", empty.getMessage());
            assertThrows(QueueShutDownException.class, queue::poll, "as Python's get_nowait: ShutDown, not Empty");
            assertThrows(QueueShutDownException.class, () -> queue.poll(1, TimeUnit.SECONDS));
            assertEquals(0, queue.drainTo(new ArrayList<>()), "drainTo stops quietly");

            queue.shutdown(true);
            assertThrows(QueueShutDownException.class, queue::take);
        }
    }

    @Test
    void anImmediateShutdownDropsWhatIsLeftAndJoinWaitsOnlyForTakenTasks() throws Exception
    {
        try (JoinableQueue<Long> queue = JoinableQueue.create("joined", CODEC, options()))
        {
            for (long i = 0; i < 5; i++)
            {
                queue.put(i);
            }
            assertEquals(0L, queue.take());
            queue.shutdown(true);

            assertEquals(0, queue.size());
            assertNull(queue.peek());
            final QueueShutDownException dropped = assertThrows(QueueShutDownException.class, queue::take);
            assertTrue(dropped.getMessage().contains("shut down immediately"), dropped.getMessage());
            assertEquals(1, queue.unfinishedTasks(), "only the taken message is unfinished");
            assertFalse(queue.join(100, TimeUnit.MILLISECONDS), "the taken task is not done yet");
            queue.taskDone();
            assertTrue(queue.join(30, TimeUnit.SECONDS), "join returns once the taken tasks are done");
        }
    }

    @Test
    void aProducerBlockedOnAFullQueueWakesWithTheShutdown() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("full", CODEC, options().withCapacity(1)))
        {
            queue.put(1L);
            final CompletableFuture<Void> blocked = CompletableFuture.runAsync(() ->
            {
                try
                {
                    queue.put(2L);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertFalse(queue.offer(2L, 100, TimeUnit.MILLISECONDS), "full");
            queue.shutdown();
            final ExecutionException woke = assertThrows(ExecutionException.class, () -> blocked.get(30, TimeUnit.SECONDS));
            assertInstanceOf(QueueShutDownException.class, woke.getCause());
            assertEquals(1L, queue.take());
        }
    }

    @Test
    void consumersInOtherProcessesDrainTheQueueThenWakeWithTheShutdown() throws Exception
    {
        try (SharedRegion signals = SharedRegion.create("signals", 1 << 16, RegionOptions.defaults().withDirectory(dir));
             SharedQueue<Long> queue = SharedQueue.create("shared", CODEC, options()))
        {
            final SharedCountDownLatch ready = SharedCountDownLatch.create(signals, "consumers-up", 2);
            final List<IpcProcess<Long>> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++)
            {
                consumers.add(IpcProcess.<Long>of(() ->
                {
                    ready.countDown();
                    long taken = 0;
                    try
                    {
                        while (true)
                        {
                            queue.take(); // blocks while the queue is empty, until the shutdown wakes it
                            taken++;
                        }
                    }
                    catch (final QueueShutDownException ex)
                    {
                        return taken;
                    }
                }).name("consumer-" + c).jvmOptions(CHILD_JVM).start());
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the consumers never started");
            for (long i = 0; i < 1_000; i++)
            {
                queue.put(i);
            }
            queue.shutdown();

            long total = 0;
            for (final IpcProcess<Long> consumer : consumers)
            {
                assertTrue(consumer.join(60, TimeUnit.SECONDS), consumer + " did not wake from take");
                assertEquals(0, consumer.exitCode().getAsInt(), () -> consumer + " failed: " + consumer.failure());
                total += consumer.result();
            }
            assertEquals(1_000, total, "every message put before the shutdown was taken, once");
            assertEquals(1_000, queue.takenCount());
        }
    }

    @Test
    void aDamagedShutdownWordIsCorruptNotAGuess() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("damaged", CODEC, options()))
        {
            queue.put(1L);
            try (SharedRegion control = SharedRegion.openAt(
                queue.directory().resolve(QueueFiles.CONTROL_FILE), RegionOptions.defaults()))
            {
                final int offset = control.find(SharedQueue.CONTROL_NAME, dev.ipckit.memory.internal.ObjectType.QUEUE)
                    .offset();
                control.buffer().putInt(offset + QueueControl.SHUTDOWN_OFFSET, 7);
            }
            final dev.ipckit.memory.RegionException corrupt =
                assertThrows(dev.ipckit.memory.RegionException.class, queue::take);
            assertEquals(dev.ipckit.memory.RegionException.Reason.CORRUPT, corrupt.reason());
            assertTrue(corrupt.getMessage().contains("SHUTDOWN is 7"), corrupt.getMessage());
            assertThrows(dev.ipckit.memory.RegionException.class, () -> queue.put(2L));
        }
    }

    @Test
    void aPersistentQueueStaysShutDownForTheNextProcessThatOpensIt() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create("kept", CODEC, options().withPersistent(true)))
        {
            queue.put(7L);
            queue.shutdown();
        }
        final String directory = dir.toString();
        final IpcProcess<String> reader = IpcProcess.of(() ->
        {
            try (SharedQueue<Long> reopened =
                     SharedQueue.open("kept", CODEC, QueueOptions.defaults().withDirectory(Path.of(directory))))
            {
                final long left = reopened.take();
                try
                {
                    reopened.put(8L);
                    return "put worked";
                }
                catch (final QueueShutDownException ex)
                {
                    return reopened.isShutDown() + "," + left;
                }
            }
        }).jvmOptions(CHILD_JVM).start();
        assertTrue(reader.join(60, TimeUnit.SECONDS));
        assertEquals("true,7", reader.result());
    }
}
