package dev.ipckit.sync;

import dev.ipckit.testing.Await;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** SharedCondition within one process: wake-up accounting as in CPython's condition tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedConditionTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("conditions", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void waitingOrSignallingWithoutTheLockIsIllegalMonitorState()
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = lock.newCondition();
        assertThrows(IllegalMonitorStateException.class, condition::await);
        assertThrows(IllegalMonitorStateException.class, () -> condition.await(10, TimeUnit.MILLISECONDS));
        assertThrows(IllegalMonitorStateException.class, condition::signal);
        assertThrows(IllegalMonitorStateException.class, condition::signalAll);
        assertThrows(IllegalMonitorStateException.class, () -> condition.waitFor(() -> true, 1, TimeUnit.SECONDS));
    }

    @Test
    void aSignalWithNoWaiterIsNotStoredAndATimedWaitReturnsFalse() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = lock.newCondition();
        lock.lock();
        try
        {
            condition.signal();
            condition.signalAll();
            final long start = System.nanoTime();
            assertFalse(condition.await(200, TimeUnit.MILLISECONDS), "an earlier signal must not be stored");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190));
            assertTrue(lock.isHeldByCurrentThread(), "the lock is held again after the wait");
            assertFalse(condition.await(-5, TimeUnit.SECONDS), "a negative timeout counts as zero");
            assertTrue(condition.awaitNanos(1_000_000) <= 0);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Test
    void signalWakesOneWaiterAndSignalAllWakesTheRest() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = lock.newCondition();
        final AtomicInteger woken = new AtomicInteger();
        final List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final Thread waiter = new Thread(() ->
            {
                lock.lock();
                try
                {
                    if (condition.await(20, TimeUnit.SECONDS))
                    {
                        woken.incrementAndGet();
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                finally
                {
                    lock.unlock();
                }
            });
            waiters.add(waiter);
            waiter.start();
        }
        awaitWaiters(condition, 3);

        lock.lock();
        condition.signal();
        lock.unlock();
        awaitCount(woken, 1);
        Thread.sleep(100); // not synchronisation: a window in which a wrongly woken second waiter would show
        assertEquals(1, woken.get(), "one signal wakes exactly one waiter");
        assertEquals(2, condition.waiters());

        lock.lock();
        condition.signalAll();
        lock.unlock();
        for (final Thread waiter : waiters)
        {
            waiter.join(20_000);
        }
        assertEquals(3, woken.get());
        assertEquals(0, condition.waiters());
    }

    @Test
    void aWaiterThatTimedOutDoesNotSwallowTheNextSignal() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = lock.newCondition();
        lock.lock();
        assertFalse(condition.await(50, TimeUnit.MILLISECONDS));
        lock.unlock();

        final CompletableFuture<Boolean> later = new CompletableFuture<>();
        final Thread waiter = new Thread(() ->
        {
            lock.lock();
            try
            {
                later.complete(condition.await(20, TimeUnit.SECONDS));
            }
            catch (final InterruptedException ex)
            {
                later.completeExceptionally(ex);
            }
            finally
            {
                lock.unlock();
            }
        });
        waiter.start();
        awaitWaiters(condition, 1);
        lock.lock();
        condition.signal();
        lock.unlock();
        assertTrue(later.get(20, TimeUnit.SECONDS), "the signal reached the waiter that is still waiting");
        waiter.join(10_000);
    }

    @Test
    void waitForEvaluatesThePredicateUnderTheLockUntilItHoldsOrTimesOut() throws Exception
    {
        final SharedRLock lock = SharedRLock.create(region, "r");
        final SharedCondition condition = lock.newCondition("ready");
        final AtomicBoolean ready = new AtomicBoolean();
        lock.lock();
        try
        {
            assertFalse(condition.waitFor(ready::get, 100, TimeUnit.MILLISECONDS));
        }
        finally
        {
            lock.unlock();
        }

        final Thread setter = new Thread(() ->
        {
            try
            {
                awaitWaiters(condition, 1);
                lock.lock();
                try
                {
                    condition.signalAll(); // a wake-up with the predicate still false: the waiter must wait again
                }
                finally
                {
                    lock.unlock();
                }
                awaitWaiters(condition, 1);
                lock.lock();
                try
                {
                    ready.set(true);
                    condition.signalAll();
                }
                finally
                {
                    lock.unlock();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        lock.lock();
        lock.lock();
        try
        {
            setter.start();
            assertTrue(condition.waitFor(ready::get, 20, TimeUnit.SECONDS));
            assertEquals(2, lock.getHoldCount(), "a reentrant lock's holds come back after the wait");
        }
        finally
        {
            lock.unlock();
            lock.unlock();
        }
        setter.join(10_000);
    }

    @Test
    void anInterruptedWaiterThrowsAndHoldsTheLockAgain() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = lock.newCondition();
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        final Thread waiter = new Thread(() ->
        {
            lock.lock();
            try
            {
                condition.await();
                outcome.complete("returned");
            }
            catch (final InterruptedException ex)
            {
                outcome.complete(lock.isHeldByCurrentThread() ? "interrupted, lock held" : "interrupted, lock lost");
            }
            finally
            {
                lock.unlock();
            }
        });
        waiter.start();
        awaitWaiters(condition, 1);
        waiter.interrupt();
        assertEquals("interrupted, lock held", outcome.get(20, TimeUnit.SECONDS));
        assertEquals(0, condition.waiters());
        waiter.join(10_000);
    }

    @Test
    void conditionsAreBoundToTheirLockAndReopenByName() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedLock other = SharedLock.create(region, "other");
        SharedCondition.create(region, "c", lock);
        final IllegalArgumentException wrong =
            assertThrows(IllegalArgumentException.class, () -> SharedCondition.openOrCreate(region, "c", other));
        assertTrue(wrong.getMessage().contains("belongs to lock 'l'"), wrong.getMessage());

        final SharedCondition reopened = SharedCondition.open(region, "c");
        assertInstanceOf(SharedLock.class, reopened.lock());
        assertEquals("l", ((SharedLock)reopened.lock()).name());
        final SharedCondition travelled = (SharedCondition)SharedLockTest.roundTrip(reopened);
        assertEquals("c", travelled.name());
        assertThrows(IllegalArgumentException.class, () -> SharedCondition.create(region, "tiny", lock, 0));
    }

    @Test
    void moreWaitersThanTheCapacityIsAClearError() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final SharedCondition condition = SharedCondition.create(region, "one", lock, 1);
        final Thread waiter = new Thread(() ->
        {
            lock.lock();
            try
            {
                condition.await(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
                lock.unlock();
            }
        });
        waiter.start();
        awaitWaiters(condition, 1);
        lock.lock();
        try
        {
            final IllegalStateException full =
                assertThrows(IllegalStateException.class, () -> condition.await(10, TimeUnit.MILLISECONDS));
            assertTrue(full.getMessage().contains("capacity"), full.getMessage());
            assertTrue(lock.isHeldByCurrentThread());
            condition.signal();
        }
        finally
        {
            lock.unlock();
        }
        waiter.join(20_000);
    }

    static void awaitWaiters(final SharedCondition condition, final int waiters) throws InterruptedException
    {
        Await.until(() -> condition.waiters() >= waiters, waiters + " waiters at " + condition);
    }

    private static void awaitCount(final AtomicInteger count, final int expected) throws InterruptedException
    {
        Await.until(() -> count.get() >= expected, "a count of " + expected);
    }
}
