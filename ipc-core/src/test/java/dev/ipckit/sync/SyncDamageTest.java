package dev.ipckit.sync;

import dev.ipckit.testing.Await;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged fields inside sync objects' slots: reported as CORRUPT, and a barrier breaks instead of waiting forever. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncDamageTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("damaged", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void aBarrierWhoseActionLengthIsDamagedBreaksAndNamesTheField() throws Exception
    {
        SharedBarrier.create(region, "b", 2, () -> { });
        final RegionEntry entry = region.find("b", ObjectType.BARRIER);
        region.buffer().putInt(entry.offset() + SharedBarrier.ACTION_LENGTH_OFFSET, Integer.MAX_VALUE);

        final SharedBarrier first = SharedBarrier.open(region, "b");
        final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return first.await(30, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                throw new RuntimeException(ex);
            }
        });
        Await.until(() -> first.numberWaiting() == 1, "the first party waits at the barrier");

        final SharedBarrier last = SharedBarrier.open(region, "b");
        final RegionException ex = assertThrows(RegionException.class, () -> last.await(30, TimeUnit.SECONDS));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("ACTION_LENGTH is " + Integer.MAX_VALUE), ex.getMessage());
        assertTrue(ex.getMessage().contains(region.path().toString()), ex.getMessage());

        final ExecutionException waited = assertThrows(ExecutionException.class, () -> waiter.get(30, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, waited.getCause().getCause(), waited.toString());
        assertTrue(last.isBroken());
        assertEquals(0, last.numberWaiting());
    }

    @Test
    void aBarrierWhoseArrivedCountIsDamagedBreaksInsteadOfWritingOutsideItsSlot()
    {
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 2);
        final RegionEntry entry = region.find("b", ObjectType.BARRIER);
        region.buffer().putInt(entry.offset() + SharedBarrier.ARRIVED_OFFSET, 100_000);
        final RegionException ex = assertThrows(RegionException.class, () -> barrier.await(30, TimeUnit.SECONDS));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("ARRIVED is 100000"), ex.getMessage());
        assertTrue(barrier.isBroken());
    }

    @Test
    void aBarrierWhosePartiesAreDamagedIsCorrupt()
    {
        SharedBarrier.create(region, "b", 2);
        final RegionEntry entry = region.find("b", ObjectType.BARRIER);
        region.buffer().putInt(entry.offset() + SharedBarrier.PARTIES_OFFSET, -1);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedBarrier.open(region, "b"));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("PARTIES is -1"), ex.getMessage());
    }

    @Test
    void aBarrierWhoseDefaultTimeoutIsNegativeIsCorrupt()
    {
        SharedBarrier.create(region, "b", 2);
        final RegionEntry entry = region.find("b", ObjectType.BARRIER);
        region.buffer().putLong(entry.offset() + SharedBarrier.DEFAULT_TIMEOUT_OFFSET, -5);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedBarrier.open(region, "b"));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("DEFAULT_TIMEOUT is -5"), ex.getMessage());
    }

    @Test
    void aConditionWhoseLockNameLengthIsDamagedIsCorrupt()
    {
        final SharedLock lock = SharedLock.create(region, "lock");
        SharedCondition.create(region, "c", lock);
        final RegionEntry entry = region.find("c", ObjectType.CONDITION);
        region.buffer().putInt(entry.offset() + SharedCondition.LOCK_NAME_LENGTH_OFFSET, 1_000_000_000);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedCondition.open(region, "c"));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("LOCK_NAME_LENGTH is 1000000000"), ex.getMessage());
    }

}
