package dev.ipckit.sync;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** SharedLock and SharedRLock behaviour within one process, in the spirit of CPython's lock tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedLockTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("locks", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void lockUnlockAndNonBlockingTry() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        assertFalse(lock.isLocked());
        assertTrue(lock.tryLock());
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(ProcessHandle.current().pid(), lock.ownerPid().getAsLong());
        assertFalse(lock.previousOwnerDied());
        assertFalse((boolean)inOtherThread(lock::tryLock), "another thread cannot take it");
        lock.unlock();
        assertFalse(lock.isLocked());
        assertTrue((boolean)inOtherThread(() ->
        {
            final boolean got = lock.tryLock();
            lock.unlock();
            return got;
        }));
    }

    @Test
    void relockingANonReentrantLockIsAnErrorNotADeadlock()
    {
        final SharedLock lock = SharedLock.create(region, "l");
        lock.lock();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(ex.getMessage().contains("not reentrant"), ex.getMessage());
        assertThrows(IllegalStateException.class, lock::lockInterruptibly);
        lock.unlock();
    }

    @Test
    void tryLockByTheHolderReturnsFalseAsLockSpecifies() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        lock.lock();
        assertFalse(lock.tryLock(), "Lock.tryLock: false when the lock is not available");
        assertFalse(lock.tryLock(0, TimeUnit.SECONDS));
        // At once, not after an hour (the class's timeout would fail the test): the wait could not end in success.
        assertFalse(lock.tryLock(1, TimeUnit.HOURS), "the holder's own wait cannot end in success");
        assertTrue(lock.isHeldByCurrentThread(), "still held, once");
        lock.unlock();
        assertFalse(lock.isLocked(), "one unlock frees it: the failed tryLocks took no hold");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
    }

    @Test
    void unlockByANonOwnerIsIllegalMonitorState() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlocking a free lock");
        lock.lock();
        final Throwable thrown = inOtherThread(() ->
        {
            try
            {
                lock.unlock();
                return null;
            }
            catch (final IllegalMonitorStateException ex)
            {
                return ex;
            }
        });
        assertNotNull(thrown);
        assertTrue(thrown.getMessage().contains("not held by this thread"), thrown.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "a failed unlock leaves the lock held");
        lock.unlock();
    }

    @Test
    void timedTryLockWaitsAboutTheTimeoutAndANegativeTimeoutIsZero() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        lock.lock();
        final long[] elapsed = new long[2];
        final boolean[] got = new boolean[2];
        final Thread other = new Thread(() ->
        {
            try
            {
                long start = System.nanoTime();
                got[0] = lock.tryLock(200, TimeUnit.MILLISECONDS);
                elapsed[0] = System.nanoTime() - start;
                start = System.nanoTime();
                got[1] = lock.tryLock(-60, TimeUnit.SECONDS);
                elapsed[1] = System.nanoTime() - start;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        other.join(60_000);
        lock.unlock();
        assertFalse(other.isAlive(), "the timed waits did not end");
        assertFalse(got[0]);
        assertTrue(elapsed[0] >= TimeUnit.MILLISECONDS.toNanos(200), "waited " + elapsed[0]);
        // Upper bounds far above a busy machine's scheduling delays: they show only that the timeout ends the wait.
        assertTrue(elapsed[0] < TimeUnit.SECONDS.toNanos(30), "waited " + elapsed[0]);
        assertFalse(got[1]);
        assertTrue(elapsed[1] < TimeUnit.SECONDS.toNanos(30), "negative timeout (-60 s) waited " + elapsed[1]);
    }

    @Test
    void lockInterruptiblyHonoursInterruptAndLockDoesNot() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        lock.lock();
        final CountDownLatch waiting = new CountDownLatch(1);
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                waiting.countDown();
                lock.lockInterruptibly();
                outcome.set(new AssertionError("acquired"));
            }
            catch (final InterruptedException ex)
            {
                outcome.set(ex);
            }
        });
        waiter.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        waiter.interrupt();
        waiter.join(10_000);
        assertInstanceOf(InterruptedException.class, outcome.get());

        final CompletableFuture<Boolean> uninterruptible = new CompletableFuture<>();
        final Thread stubborn = new Thread(() ->
        {
            lock.lock();
            uninterruptible.complete(Thread.currentThread().isInterrupted());
            lock.unlock();
        });
        stubborn.start();
        stubborn.interrupt();
        Thread.sleep(50); // give the interrupt time to land while it waits; the assertion does not depend on it
        lock.unlock();
        assertTrue(uninterruptible.get(10, TimeUnit.SECONDS), "lock() keeps the interrupt status set");
        stubborn.join(10_000);
    }

    @Test
    void twoThreadsIncrementingUnderTheLockLoseNothing() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l");
        final long[] counter = {0};
        final int rounds = 200_000;
        final Runnable work = () ->
        {
            for (int i = 0; i < rounds; i++)
            {
                lock.lock();
                try
                {
                    counter[0]++;
                }
                finally
                {
                    lock.unlock();
                }
            }
        };
        final Thread a = new Thread(work);
        final Thread b = new Thread(work);
        a.start();
        b.start();
        a.join(30_000);
        b.join(30_000);
        assertEquals(2L * rounds, counter[0]);
    }

    @Test
    void aDeadOwnerIsTakenOverAndTheNewHolderIsTold() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l").withDeadOwnerCheck(Duration.ofMillis(20));
        final long dead = deadProcessIdentity();
        region.buffer().putLongVolatile(lockOffset("l"), dead);
        assertTrue(lock.isLocked());
        assertTrue(lock.tryLock(5, TimeUnit.SECONDS));
        assertTrue(lock.previousOwnerDied());
        assertEquals(1, lock.deadOwnerTakeovers());
        lock.unlock();
        lock.lock();
        assertFalse(lock.previousOwnerDied(), "a normal acquire after the repair reports no death");
        lock.unlock();
    }

    @Test
    void aLiveOwnerIsNeverBroken() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l").withDeadOwnerCheck(Duration.ofMillis(10));
        final long live = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid());
        region.buffer().putLongVolatile(lockOffset("l"), live);
        assertFalse(lock.tryLock(300, TimeUnit.MILLISECONDS));
        assertEquals(live, region.buffer().getLongVolatile(lockOffset("l")));
        region.buffer().putLongVolatile(lockOffset("l"), 0);
    }

    @Test
    void rlockIsReentrantAndCountsHolds() throws Exception
    {
        final SharedRLock lock = SharedRLock.create(region, "r");
        assertEquals(0, lock.getHoldCount());
        lock.lock();
        lock.lock();
        assertTrue(lock.tryLock());
        assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
        assertEquals(4, lock.getHoldCount());
        assertFalse((boolean)inOtherThread(lock::tryLock));
        assertEquals(0, (int)inOtherThread(lock::getHoldCount));
        for (int i = 0; i < 3; i++)
        {
            lock.unlock();
        }
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void locksAreTypedAndTravelAsHandles() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "typed");
        assertThrows(RegionException.class, () -> SharedRLock.open(region, "typed"));
        final SharedLock copy = (SharedLock)roundTrip(lock);
        copy.lock();
        assertTrue(lock.isHeldByCurrentThread(), "the copy is the same lock");
        lock.unlock();
    }

    private int lockOffset(final String name)
    {
        return region.lookup(name).orElseThrow().offset() + RobustMutex.OWNER_OFFSET;
    }

    static long deadProcessIdentity() throws Exception
    {
        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        final long identity = ProcessIdentity.of(sleeper.pid());
        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return identity;
    }

    static Object roundTrip(final Object object) throws Exception
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())))
        {
            return in.readObject();
        }
    }

    private static <T> T inOtherThread(final java.util.concurrent.Callable<T> task) throws Exception
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                result.complete(task.call());
            }
            catch (final Throwable ex)
            {
                result.completeExceptionally(ex);
            }
        });
        thread.start();
        return result.get(10, TimeUnit.SECONDS);
    }
}
