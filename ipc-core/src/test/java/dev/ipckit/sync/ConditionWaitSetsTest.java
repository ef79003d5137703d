package dev.ipckit.sync;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.value.SharedLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code lock.newCondition()} gives a condition with its own wait set each time (Lock's contract), so the
 * bounded-buffer idiom (notFull and notEmpty on one lock) works across threads and processes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConditionWaitSetsTest
{
    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("wait-sets", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void eachNewConditionIsItsOwnWaitSet() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "buffer");
        final SharedCondition notFull = lock.newCondition();
        final SharedCondition notEmpty = lock.newCondition();
        assertNotEquals(notFull.name(), notEmpty.name());
        assertSame(lock, notEmpty.lock());

        final CompletableFuture<Boolean> woken = new CompletableFuture<>();
        final Thread consumer = new Thread(() ->
        {
            lock.lock();
            try
            {
                woken.complete(notEmpty.await(60, TimeUnit.SECONDS));
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
        consumer.start();
        SharedConditionTest.awaitWaiters(notEmpty, 1);
        signalOtherThenCheck(lock, notFull, notEmpty);
        assertTrue(woken.get(30, TimeUnit.SECONDS), "the signal on notEmpty woke its waiter");
        consumer.join(30_000);
    }

    @Test
    void aSignalOnOneConditionNeverWakesAWaiterOfAnotherInAnotherProcess() throws Exception
    {
        final SharedLock lock = SharedLock.create(region, "buffer");
        final SharedCondition notFull = lock.newCondition();
        final SharedCondition notEmpty = lock.newCondition();
        final IpcProcess<Boolean> consumer = IpcProcess.of(() ->
        {
            lock.lock();
            try
            {
                return notEmpty.await(60, TimeUnit.SECONDS);
            }
            finally
            {
                lock.unlock();
            }
        }).name("consumer").jvmOptions(CHILD_JVM);
        consumer.start();
        SharedConditionTest.awaitWaiters(notEmpty, 1);
        signalOtherThenCheck(lock, notFull, notEmpty);
        assertTrue(consumer.join(60, TimeUnit.SECONDS));
        assertEquals(java.util.OptionalInt.of(0), consumer.exitCode());
        assertTrue(consumer.result(), "the child's wait ended by the signal on notEmpty, not by its timeout");
    }

    @Test
    void theBoundedBufferIdiomMovesEveryItemBetweenProcesses() throws Exception
    {
        final int items = 300;
        final SharedLock lock = SharedLock.create(region, "buffer");
        final SharedCondition notFull = lock.newCondition();
        final SharedCondition notEmpty = lock.newCondition();
        // [0] head, [1] count, [2..3] two slots
        final SharedLongArray buffer = SharedLongArray.createRaw(region, "ring", 4);
        final IpcProcess<Long> consumer = IpcProcess.of(() ->
        {
            long sum = 0;
            for (int i = 0; i < items; i++)
            {
                lock.lock();
                try
                {
                    while (buffer.getPlain(1) == 0)
                    {
                        if (!notEmpty.await(30, TimeUnit.SECONDS))
                        {
                            throw new IllegalStateException("no item for 30 s: a wake-up was lost");
                        }
                    }
                    final int head = (int)buffer.getPlain(0);
                    sum += buffer.getPlain(2 + head);
                    buffer.setPlain(0, (head + 1) % 2);
                    buffer.setPlain(1, buffer.getPlain(1) - 1);
                    notFull.signal();
                }
                finally
                {
                    lock.unlock();
                }
            }
            return sum;
        }).name("consumer").jvmOptions(CHILD_JVM);
        consumer.start();
        for (int i = 1; i <= items; i++)
        {
            lock.lock();
            try
            {
                while (buffer.getPlain(1) == 2)
                {
                    assertTrue(notFull.await(30, TimeUnit.SECONDS), "room for 30 s: a wake-up was lost");
                }
                final int tail = (int)((buffer.getPlain(0) + buffer.getPlain(1)) % 2);
                buffer.setPlain(2 + tail, i);
                buffer.setPlain(1, buffer.getPlain(1) + 1);
                notEmpty.signal();
            }
            finally
            {
                lock.unlock();
            }
        }
        assertTrue(consumer.join(60, TimeUnit.SECONDS));
        assertEquals(java.util.OptionalInt.of(0), consumer.exitCode());
        assertEquals((long)items * (items + 1) / 2, consumer.result());
    }

    /** Under the lock: signal and signalAll on {@code other} leave {@code waitedOn}'s waiter waiting; then wake it. */
    private static void signalOtherThenCheck(
        final SharedLock lock, final SharedCondition other, final SharedCondition waitedOn)
    {
        lock.lock();
        try
        {
            other.signal();
            other.signalAll();
            // A signal marks the waiter's row at once, under the lock: had it reached this waiter, it would no
            // longer count as waiting.
            assertEquals(1, waitedOn.waiters(), "a signal on another condition left the waiter waiting");
            assertEquals(0, other.waiters());
            waitedOn.signal();
        }
        finally
        {
            lock.unlock();
        }
    }
}
