package dev.ipckit.sync;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** SharedSemaphore behaviour within one process; process death is simulated with a dead process's identity. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSemaphoreTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("semaphores", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void countsPermitsAndTimesOut() throws Exception
    {
        final SharedSemaphore semaphore = SharedSemaphore.create(region, "s", 2);
        assertEquals(2, semaphore.availablePermits());
        semaphore.acquire();
        assertTrue(semaphore.tryAcquire());
        assertFalse(semaphore.tryAcquire(), "a non-blocking try returns at once");
        final long start = System.nanoTime();
        assertFalse(semaphore.tryAcquire(150, TimeUnit.MILLISECONDS));
        final long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(150) && waited < TimeUnit.SECONDS.toNanos(30), "waited " + waited);
        assertFalse(semaphore.tryAcquire(-1, TimeUnit.SECONDS), "a negative timeout counts as zero");
        semaphore.release(2);
        assertTrue(semaphore.tryAcquire(2, 0, TimeUnit.SECONDS));
        semaphore.release(3);
        assertEquals(3, semaphore.availablePermits(), "an unbounded semaphore may exceed its initial permits");
        assertThrows(IllegalArgumentException.class, () -> semaphore.acquire(0));
        assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(region, "negative", -1));
    }

    @Test
    void aBoundedSemaphoreRefusesOverReleaseAndKeepsItsPermits() throws Exception
    {
        final SharedSemaphore semaphore = SharedSemaphore.createBounded(region, "b", 1);
        assertTrue(semaphore.isBounded());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, semaphore::release);
        assertTrue(ex.getMessage().contains("released too often"), ex.getMessage());
        assertEquals(1, semaphore.availablePermits());
        semaphore.acquire();
        semaphore.release();
        assertEquals(1, semaphore.availablePermits());
        assertTrue(SharedSemaphore.open(region, "b").isBounded());
    }

    @Test
    void neverAdmitsMoreThanItsPermits() throws Exception
    {
        final SharedSemaphore semaphore = SharedSemaphore.create(region, "gate", 2);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 2_000; i++)
                {
                    try
                    {
                        semaphore.acquire();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                    semaphore.release();
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }
        assertTrue(maxInside.get() <= 2, "max inside " + maxInside.get());
        assertEquals(2, semaphore.availablePermits());
    }

    @Test
    void permitsHeldByADeadProcessComeBackAndItsReleasesStay() throws Exception
    {
        final SharedSemaphore semaphore =
            SharedSemaphore.create(region, "pool", 3).withDeadOwnerCheck(Duration.ofMillis(20));
        final long dead = SharedLockTest.deadProcessIdentity();
        final int offset = region.lookup("pool").orElseThrow().offset();
        // The dead process holds 2 of the 3 permits.
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET + 8, 2);
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET, dead);
        region.buffer().putLongVolatile(offset + SharedSemaphore.AVAILABLE_OFFSET, 1);

        assertTrue(semaphore.tryAcquire(3, 5, TimeUnit.SECONDS), "the dead holder's permits came back");
        semaphore.release(3);
        assertEquals(3, semaphore.availablePermits());

        // A dead process that released 2 more than it acquired: those releases stay after it is gone.
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET + 8, -2);
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET, dead);
        region.buffer().putLongVolatile(offset + SharedSemaphore.AVAILABLE_OFFSET, 5);
        assertEquals(0, semaphore.reclaimDeadHolders());
        assertEquals(5, semaphore.availablePermits());
        assertTrue(semaphore.tryAcquire(5));
    }

    @Test
    void aHalfFinishedFoldByADeadGuardHolderIsReplayed() throws Exception
    {
        final SharedSemaphore semaphore = SharedSemaphore.create(region, "redo", 1);
        final long dead = SharedLockTest.deadProcessIdentity();
        final int offset = region.lookup("redo").orElseThrow().offset();
        // A dead guard holder was folding row 0 (net -2) into BASE: it wrote the redo record, then died.
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET + 8, -2);
        region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET, dead);
        region.buffer().putLong(offset + SharedSemaphore.PENDING_BASE_OFFSET, 3);
        region.buffer().putInt(offset + SharedSemaphore.PENDING_ROW_OFFSET, 0);
        region.buffer().putLongVolatile(offset + SharedSemaphore.GUARD_OFFSET, dead);

        assertTrue(semaphore.tryAcquire(3, 5, TimeUnit.SECONDS));
        assertEquals(0, semaphore.availablePermits());
        assertEquals(-1, region.buffer().getInt(offset + SharedSemaphore.PENDING_ROW_OFFSET));
        semaphore.release(3);
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    void aFullTableGivesRowsWithNothingHeldToNewProcessesAndOtherwiseSaysSo() throws Exception
    {
        final SharedSemaphore semaphore = SharedSemaphore.create(region, "table", 100);
        final int offset = region.lookup("table").orElseThrow().offset();
        final long live = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid());
        for (int row = 0; row < SharedSemaphore.ROWS; row++)
        {
            // Every row belongs to a live process (the test's parent stands in for 64 of them) holding nothing.
            region.buffer().putLong(offset + SharedSemaphore.ROWS_OFFSET + row * SharedSemaphore.ROW_LENGTH, live);
        }
        assertTrue(semaphore.tryAcquire(2), "a row holding nothing is reused");
        semaphore.release(2);
        assertEquals(100, semaphore.availablePermits());

        for (int row = 0; row < SharedSemaphore.ROWS; row++)
        {
            final int at = offset + SharedSemaphore.ROWS_OFFSET + row * SharedSemaphore.ROW_LENGTH;
            region.buffer().putLong(at, live);
            region.buffer().putLong(at + 8, 1);
        }
        final SharedSemaphore other = SharedSemaphore.open(region, "table");
        final IllegalStateException full = assertThrows(IllegalStateException.class, () -> other.tryAcquire(1));
        assertTrue(full.getMessage().contains("more than 64 processes"), full.getMessage());
    }
}
