package dev.ipckit.wait;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.testing.Await;
import dev.ipckit.testing.ChildJvms;
import dev.ipckit.wait.internal.RingingWaitable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Waiting#any}, Python's {@code multiprocessing.connection.wait}: pipes whose writers are child JVMs (some
 * killed), process sentinels, a queue and an event, in one call.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WaitingTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;
    private static final int WRITERS = 4;

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
        ChildJvms.killLeftovers();
        signals.close();
    }

    @Test
    void waitsForPipesWhoseWritersAreInSeveralChildJvmsSomeOfWhichDie() throws Exception
    {
        final List<Pipe> pipes = new ArrayList<>();
        final List<Connection> readers = new ArrayList<>();
        final List<IpcProcess<Object>> writers = new ArrayList<>();
        final SharedCountDownLatch attached = SharedCountDownLatch.create(signals, "attached", WRITERS);
        try
        {
            for (int i = 0; i < WRITERS; i++)
            {
                final Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir).withDuplex(false));
                pipes.add(pipe);
                readers.add(pipe.end1());
                final Connection writer = pipe.end2();
                final SharedEvent go = SharedEvent.create(signals, "go-" + i);
                final int index = i;
                writers.add(IpcProcess.of(() ->
                {
                    attached.countDown(); // the writer's end is this process's now: its death is the end's
                    go.await(120, TimeUnit.SECONDS);
                    writer.send("from writer " + index);
                    if (index == 2)
                    {
                        writer.close(); // a message, then the end of the stream
                        return null;
                    }
                    sleepUntilKilled();
                    return null;
                }).name("writer-" + i).jvmOptions(CHILD_JVM).start());
            }
            assertTrue(attached.await(120, TimeUnit.SECONDS), "the writers never started");

            assertEquals(List.of(), Waiting.any(readers, 200, TimeUnit.MILLISECONDS), "nobody wrote yet");

            SharedEvent.open(signals, "go-0").set();
            assertEquals(List.of(readers.get(0)), Waiting.any(readers, 60, TimeUnit.SECONDS));
            assertEquals("from writer 0", readers.get(0).recv(10, TimeUnit.SECONDS));

            writers.get(1).kill(); // dies without writing: its reader is at the end of the stream
            final Waitable sentinel1 = writers.get(1).sentinel();
            final List<Waitable> readersAndSentinel = new ArrayList<>(readers);
            readersAndSentinel.add(sentinel1);
            final List<Waitable> afterKill = awaitExactly(readersAndSentinel, 2);
            assertEquals(List.of(readers.get(1), sentinel1), afterKill, "the dead writer's reader and its sentinel");
            assertThrows(EOFException.class, () -> readers.get(1).recv(10, TimeUnit.SECONDS));

            SharedEvent.open(signals, "go-2").set();
            final List<Connection> rest = List.of(readers.get(0), readers.get(2), readers.get(3));
            assertEquals(List.of(readers.get(2)), Waiting.any(rest, 60, TimeUnit.SECONDS));
            assertEquals("from writer 2", readers.get(2).recv(10, TimeUnit.SECONDS));
            assertTrue(writers.get(2).join(60, TimeUnit.SECONDS));
            assertEquals(List.of(readers.get(2)), Waiting.any(rest, 60, TimeUnit.SECONDS), "closed: EOF is ready");
            assertThrows(EOFException.class, () -> readers.get(2).recv(10, TimeUnit.SECONDS));

            final List<Connection> silent = List.of(readers.get(0), readers.get(3));
            assertEquals(List.of(), Waiting.any(silent, Duration.ofMillis(300)), "alive and silent");
            writers.get(3).kill();
            assertEquals(List.of(readers.get(3)), Waiting.any(silent, Duration.ofSeconds(60)));
        }
        finally
        {
            for (final Pipe pipe : pipes)
            {
                pipe.close();
            }
        }
    }

    @Test
    void aQueueAnEventAndASentinelInOneWait() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("jobs", QueueOptions.defaults().withDirectory(dir)))
        {
            final SharedEvent event = SharedEvent.create(signals, "event");
            final SharedEvent release = SharedEvent.create(signals, "release");
            final IpcProcess<Object> child = IpcProcess.of(() ->
            {
                event.set();
                release.await(120, TimeUnit.SECONDS);
                queue.put("job");
                return null;
            }).jvmOptions(CHILD_JVM).start();
            final Waitable sentinel = child.sentinel();
            final List<Waitable> all = List.of(queue, event, sentinel);

            assertEquals(List.of(event), Waiting.any(all, 60, TimeUnit.SECONDS), "the child set the event");
            event.clear();
            release.set();
            final List<Waitable> queueOrBoth = Waiting.any(all, 60, TimeUnit.SECONDS);
            assertEquals(queue, queueOrBoth.get(0), "a message is ready: " + queueOrBoth);
            assertEquals("job", queue.take());
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals(List.of(sentinel), Waiting.any(all), "the child ended");
            assertTrue(sentinel.toString().contains("pid " + child.pid()), sentinel.toString());

            queue.shutdown();
            assertEquals(List.of(queue, sentinel), Waiting.any(all, 0, TimeUnit.SECONDS), "a shut-down queue: take fails at once");
        }
    }

    @Test
    void misuseIsAClearError() throws Exception
    {
        final IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Waiting.any(List.of()));
        assertTrue(empty.getMessage().contains("would never end"), empty.getMessage());
        assertEquals(List.of(), Waiting.any(List.of(), 10, TimeUnit.MILLISECONDS), "a timed wait on nothing times out");
        assertThrows(NullPointerException.class, () -> Waiting.any(Arrays.asList((Waitable)null), 0, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> IpcProcess.of(() -> { }).sentinel(), "not started");

        final SharedEvent never = SharedEvent.create(signals, "never");
        final CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                Waiting.any(List.of(never));
                interrupted.complete(false);
            }
            catch (final InterruptedException ex)
            {
                interrupted.complete(true);
            }
        });
        waiter.start();
        waiter.interrupt();
        assertTrue(interrupted.get(30, TimeUnit.SECONDS), "an interrupt ends the wait");
        waiter.join(10_000);
    }

    /** Waits until {@code count} objects are ready at once (a kill is seen by a reader and a sentinel apart). */
    private static List<Waitable> awaitExactly(final List<Waitable> objects, final int count)
        throws InterruptedException
    {
        Await.until(() -> objects.stream().filter(Waitable::isReady).count() >= count, count + " objects ready");
        return Waiting.any(objects, 0, TimeUnit.SECONDS);
    }

    @Test
    void aWaiterSleepsUntilAWriterInAnotherJvmRingsIt() throws Exception
    {
        final SharedEvent event = SharedEvent.create(signals, "rung");
        final CountedLooks counted = new CountedLooks(event);
        final IpcProcess<Object> setter = IpcProcess.of(() ->
        {
            // Until the waiter's bell is in the region's table; then the waiter is left asleep for a second on
            // purpose: that idle second is what the test measures (how often it looks), not a synchronisation.
            Await.until(() -> event.region().waiters().waiters() > 0, "the waiter's bell in the event's region");
            Thread.sleep(1_000);
            event.set();
            return null;
        }).name("setter").jvmOptions(CHILD_JVM).start();

        assertEquals(List.of(counted), Waiting.any(List.of(counted), 120, TimeUnit.SECONDS));
        assertTrue(setter.join(60, TimeUnit.SECONDS));
        // Spins and yields look about 60 times; a waiter that parked and looked again would have looked thousands
        // of times in the second it was left alone.
        assertTrue(counted.looks < 100, "looked " + counted.looks + " times: it did not sleep until rung");
        assertEquals(0, signals.waiters().waiters(), "the waiter's row is free once it is awake");
    }

    @Test
    void aWaitableThatCannotRingIsLookedAtBesideOnesThatDo() throws Exception
    {
        final SharedEvent never = SharedEvent.create(signals, "never");
        final AtomicBoolean flag = new AtomicBoolean();
        final Waitable plain = flag::get;
        final CompletableFuture<List<Waitable>> waited = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return Waiting.any(List.of(never, plain), 120, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.until(() -> signals.waiters().waiters() == 1, "the waiter's bell in the event's region");
        flag.set(true);
        assertEquals(List.of(plain), waited.get(60, TimeUnit.SECONDS));
        assertEquals(0, signals.waiters().waiters());
    }

    /** An event that counts how often the waiter looks at it. */
    private static final class CountedLooks implements RingingWaitable
    {
        private final SharedEvent event;
        volatile int looks;

        CountedLooks(final SharedEvent event)
        {
            this.event = event;
        }

        @Override
        public boolean isReady()
        {
            looks++;
            return event.isReady();
        }

        @Override
        public long ringWhenReady(final int bell)
        {
            return event.ringWhenReady(bell);
        }

        @Override
        public void stopRinging(final int bell)
        {
            event.stopRinging(bell);
        }
    }

    /** Holds a writer's process alive until the test kills it. */
    private static void sleepUntilKilled()
    {
        try
        {
            Thread.sleep(120_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
