package dev.ipckit.sync;

import dev.ipckit.testing.Await;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What each primitive does when a process using it dies (SIGKILL) or stops (SIGSTOP), across real child JVMs. Timing
 * bounds here are generous (seconds, not the 100 ms check interval): the machines are shared and noisy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessDeathTest
{
    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("death", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        for (final IpcProcess<?> child : ProcessInfo.activeChildren())
        {
            signal("CONT", child.pid());
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
        region.close();
    }

    @Test
    void aLockWhoseHolderIsKilledIsTakenOverAndTheNewHolderIsTold() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l").withDeadOwnerCheck(Duration.ofMillis(50));
        final SharedLong guarded = SharedLong.create(region, "guarded", 0);
        final IpcProcess<Void> holder = start("holder", () ->
        {
            lock.lock();
            guarded.set(1); // a half-done update the next holder must repair
            sleepForever();
        });
        Await.until(() -> guarded.get() == 1, "the child took the lock");
        assertFalse(lock.tryLock(200, TimeUnit.MILLISECONDS), "a live holder is never broken");

        holder.kill();
        assertTrue(holder.join(20, TimeUnit.SECONDS));
        assertEquals(-9, holder.exitCode().getAsInt());
        assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "the dead holder's lock is taken over");
        try
        {
            assertTrue(lock.previousOwnerDied(), "the new holder learns the previous one died");
            assertEquals(1, lock.deadOwnerTakeovers());
            guarded.set(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Test
    void anRLockWhoseHolderIsKilledHeldTwiceIsTakenOverWithOneHold() throws Exception
    {
        final SharedRLock lock = SharedRLock.create(region, "r").withDeadOwnerCheck(Duration.ofMillis(50));
        final IpcProcess<Void> holder = start("holder", () ->
        {
            lock.lock();
            lock.lock();
            sleepForever();
        });
        Await.until(lock::isLocked, "the child took the lock");
        holder.kill();
        assertTrue(holder.join(20, TimeUnit.SECONDS));
        assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
        assertTrue(lock.previousOwnerDied());
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void aStoppedHolderIsNeverBrokenAndFinishesAfterItContinues() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l").withDeadOwnerCheck(Duration.ofMillis(20));
        final SharedEvent release = SharedEvent.create(region, "release");
        final IpcProcess<Void> holder = start("holder", () ->
        {
            lock.lock();
            try
            {
                release.await(60, TimeUnit.SECONDS);
            }
            finally
            {
                lock.unlock();
            }
        });
        Await.until(lock::isLocked, "the child took the lock");
        signal("STOP", holder.pid());
        assertFalse(lock.tryLock(500, TimeUnit.MILLISECONDS), "a stopped (live) holder is never broken");
        assertEquals(holder.pid(), lock.ownerPid().getAsLong());
        release.set();
        signal("CONT", holder.pid());
        assertTrue(lock.tryLock(20, TimeUnit.SECONDS), "the holder released the lock after SIGCONT");
        assertFalse(lock.previousOwnerDied());
        lock.unlock();
        assertTrue(holder.join(20, TimeUnit.SECONDS));
        assertEquals(0, holder.exitCode().getAsInt());
    }

    @Test
    void permitsHeldByAKilledProcessComeBack() throws Exception
    {
        final SharedSemaphore semaphore =
            SharedSemaphore.create(region, "pool", 3).withDeadOwnerCheck(Duration.ofMillis(50));
        final IpcProcess<Void> holder = start("holder", () ->
        {
            semaphore.acquire(2);
            sleepForever();
        });
        Await.until(() -> semaphore.availablePermits() == 1, "the child took 2 permits");
        assertFalse(semaphore.tryAcquire(3, 200, TimeUnit.MILLISECONDS));
        holder.kill();
        assertTrue(holder.join(20, TimeUnit.SECONDS));
        assertTrue(semaphore.tryAcquire(3, 10, TimeUnit.SECONDS), "the killed holder's permits came back");
        semaphore.release(3);
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    void aBarrierBreaksForTheOthersWhenAWaitingPartyIsKilled() throws Exception
    {
        final SharedBarrier barrier =
            SharedBarrier.create(region, "b", 3).withDeadPartyCheck(Duration.ofMillis(50));
        final IpcProcess<Void> party = start("party", () ->
        {
            barrier.await(60, TimeUnit.SECONDS);
        });
        SharedBarrierTest.awaitWaiting(barrier, 1);
        party.kill();
        assertTrue(party.join(20, TimeUnit.SECONDS));
        final long start = System.nanoTime();
        final BrokenBarrierException broken =
            assertThrows(BrokenBarrierException.class, () -> barrier.await(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "broke well before the timeout");
        assertTrue(broken.getMessage().contains("died"), broken.getMessage());
        assertTrue(barrier.isBroken());
    }

    @Test
    void aConditionWaiterIsNotStrandedByAKilledLockHolderNorIsASignalSpentOnAKilledWaiter() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "l").withDeadOwnerCheck(Duration.ofMillis(50));
        final SharedCondition condition = lock.newCondition();
        // A waiter in a child, killed while it waits: its row must not swallow a signal.
        final IpcProcess<Void> waiter = start("waiter", () ->
        {
            lock.lock();
            condition.await(60, TimeUnit.SECONDS);
        });
        SharedConditionTest.awaitWaiters(condition, 1);
        waiter.kill();
        assertTrue(waiter.join(20, TimeUnit.SECONDS));

        final java.util.concurrent.CompletableFuture<Boolean> woken = new java.util.concurrent.CompletableFuture<>();
        final Thread local = new Thread(() ->
        {
            lock.lock();
            try
            {
                woken.complete(condition.await(30, TimeUnit.SECONDS));
            }
            catch (final InterruptedException ex)
            {
                woken.completeExceptionally(ex);
            }
            finally
            {
                lock.unlock();
            }
        });
        local.start();
        SharedConditionTest.awaitWaiters(condition, 2);
        lock.lock();
        condition.signal();
        lock.unlock();
        assertTrue(woken.get(20, TimeUnit.SECONDS), "the signal reached the live waiter, not the dead one");
        local.join(10_000);

        // A lock holder killed while a waiter waits: the waiter returns at its timeout and takes the lock over. The
        // holder's JVM is started first and takes the lock only once the waiter waits: on a loaded machine a JVM's
        // start alone can outlast the waiter's timeout.
        final SharedEvent waiting = SharedEvent.create(region, "waiting");
        final IpcProcess<Void> holder = start("holder", () ->
        {
            waiting.await(60, TimeUnit.SECONDS);
            lock.lock();
            sleepForever();
        });
        final java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        final Thread timed = new Thread(() ->
        {
            lock.lock();
            try
            {
                final boolean signalled = condition.await(5, TimeUnit.SECONDS);
                outcome.complete("signalled=" + signalled + " previousOwnerDied=" + lock.previousOwnerDied());
            }
            catch (final InterruptedException ex)
            {
                outcome.completeExceptionally(ex);
            }
            finally
            {
                lock.unlock();
            }
        });
        timed.start();
        SharedConditionTest.awaitWaiters(condition, 1);
        waiting.set();
        Await.until(() -> lock.ownerPid().orElse(0) == holder.pid(), "the child took the lock");
        holder.kill();
        assertTrue(holder.join(20, TimeUnit.SECONDS));
        assertEquals("signalled=false previousOwnerDied=true", outcome.get(30, TimeUnit.SECONDS));
        timed.join(10_000);
    }

    @Test
    void anEventWaiterReturnsAtItsTimeoutWhenTheSetterDies() throws Exception
    {
        final SharedEvent event = SharedEvent.create(region, "e");
        final IpcProcess<Void> setter = start("setter", ProcessDeathTest::sleepForever);
        setter.kill();
        assertTrue(setter.join(20, TimeUnit.SECONDS));
        final long start = System.nanoTime();
        assertFalse(event.await(300, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(290));
    }

    /** A child's task that may throw anything, as a Python target function may. */
    interface ChildTask extends java.io.Serializable
    {
        void run() throws Exception;
    }

    private static IpcProcess<Void> start(final String name, final ChildTask task)
    {
        final IpcProcess<Void> child = IpcProcess.of(() ->
        {
            try
            {
                task.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }).name(name).jvmOptions(CHILD_JVM);
        child.start();
        return child;
    }

    private static void sleepForever()
    {
        try
        {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }


    private static void signal(final String signal, final long pid) throws InterruptedException
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        }
        catch (final java.io.IOException ex)
        {
            fail("cannot send SIG" + signal + " to " + pid + ": " + ex);
        }
    }
}
