package dev.ipckit.sync;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SharedEvent and SharedCountDownLatch, in one process and across child JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedEventAndLatchTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("events", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void anEventSetsClearsAndTimesOut() throws Exception
    {
        final SharedEvent event = SharedEvent.create(region, "e");
        assertFalse(event.isSet());
        final long start = System.nanoTime();
        assertFalse(event.await(150, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140));
        assertFalse(event.await(-1, TimeUnit.SECONDS), "a negative timeout counts as zero");
        event.set();
        event.set();
        assertTrue(event.isSet());
        assertTrue(event.await(0, TimeUnit.SECONDS));
        event.clear();
        assertFalse(event.isSet());
        assertFalse(SharedEvent.open(region, "e").isSet());
    }

    @Test
    void aWaiterWakesEvenWhenTheEventIsClearedRightAfterItIsSet() throws Exception
    {
        final SharedEvent event = SharedEvent.create(region, "e").withWaitStrategy(
            WaitStrategy.backoff(0, 0, 1, 50, TimeUnit.MILLISECONDS)); // parks long: the clear comes first
        final CompletableFuture<Boolean> woken = new CompletableFuture<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                woken.complete(event.await(20, TimeUnit.SECONDS));
            }
            catch (final InterruptedException ex)
            {
                woken.completeExceptionally(ex);
            }
        });
        waiter.start();
        // Set and clear only once the waiter parks inside await (the only timed wait it makes): a set and clear that
        // came before its await would rightly leave it waiting.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiter.getState() != Thread.State.TIMED_WAITING)
        {
            assertTrue(System.nanoTime() - deadline < 0, "the waiter never parked: " + waiter.getState());
            Thread.onSpinWait();
        }
        event.set();
        event.clear();
        assertTrue(woken.get(20, TimeUnit.SECONDS), "the set happened during the wait");
        assertFalse(event.isSet());
        waiter.join(10_000);
    }

    @Test
    void aLatchOpensAtZeroAndStaysThere() throws Exception
    {
        final SharedCountDownLatch latch = SharedCountDownLatch.create(region, "l", 2);
        assertEquals(2, latch.getCount());
        assertFalse(latch.await(50, TimeUnit.MILLISECONDS));
        latch.countDown();
        assertFalse(latch.await(0, TimeUnit.MILLISECONDS));
        latch.countDown();
        latch.countDown();
        assertEquals(0, latch.getCount(), "counting down at zero stays at zero");
        assertTrue(latch.await(0, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> SharedCountDownLatch.create(region, "negative", -1));
    }

    @Test
    void childrenCountDownALatchAndWaitForAnEventSetByTheParent() throws Exception
    {
        final SharedEvent go = SharedEvent.create(region, "go");
        final SharedCountDownLatch ready = SharedCountDownLatch.create(region, "ready", 2);
        final SharedCountDownLatch done = SharedCountDownLatch.create(region, "done", 2);
        final IpcProcess<?>[] children = new IpcProcess<?>[2];
        for (int c = 0; c < children.length; c++)
        {
            children[c] = IpcProcess.of(() ->
            {
                ready.countDown();
                if (!go.await(60, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("never told to go");
                }
                done.countDown();
                return null;
            }).name("child-" + c).jvmOptions("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
            children[c].start();
        }
        assertTrue(ready.await(60, TimeUnit.SECONDS), "both children arrived");
        assertEquals(2, done.getCount(), "nobody goes before the event");
        go.set();
        assertTrue(done.await(60, TimeUnit.SECONDS));
        for (final IpcProcess<?> child : children)
        {
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitCode().getAsInt(), () -> String.valueOf(child.failure()));
        }
    }
}
