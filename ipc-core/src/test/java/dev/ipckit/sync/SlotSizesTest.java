package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One owner for each fixed slot size: ObjectType's element length is what a region allocates, and each primitive's
 * layout ends inside it. Fails if a layout grows past its slot, or a slot size is written somewhere else again.
 */
class SlotSizesTest
{
    @TempDir
    Path dir;

    @Test
    void eachLayoutEndsInsideTheSlotTheRegionAllocates()
    {
        assertEquals(ObjectType.LOCK.elementLength(), RobustMutex.LENGTH);
        assertEquals(ObjectType.RLOCK.elementLength(), RobustMutex.LENGTH);
        assertTrue(RobustMutex.FIELDS_END <= RobustMutex.LENGTH);
        assertEquals(RobustMutex.LENGTH, SharedRLock.SLOT_LENGTH, "the lock slot of values and arrays");
        assertEquals(ObjectType.SEMAPHORE.elementLength(), SharedSemaphore.LENGTH);
        assertEquals(SharedSemaphore.LENGTH, SharedSemaphore.ROWS_OFFSET + SharedSemaphore.ROWS * SharedSemaphore.ROW_LENGTH);
        assertTrue(SharedSemaphore.GUARD_OFFSET + RobustMutex.LENGTH <= SharedSemaphore.AVAILABLE_OFFSET);
        assertTrue(SharedSemaphore.PENDING_BASE_OFFSET + Long.BYTES <= SharedSemaphore.ROWS_OFFSET);
        assertTrue(SharedBarrier.GUARD_OFFSET + RobustMutex.LENGTH <= SharedBarrier.STATE_OFFSET);
    }

    @Test
    void theRegionAllocatesWhatEachPrimitiveUsesAndItsNeighbourStartsAfter()
    {
        try (SharedRegion region = SharedRegion.create("slots", 1 << 16, RegionOptions.defaults().withDirectory(dir)))
        {
            SharedLock.create(region, "lock");
            SharedRLock.create(region, "rlock");
            SharedSemaphore.create(region, "semaphore", 1);
            SharedEvent.create(region, "event");
            SharedCountDownLatch.create(region, "latch", 1);
            SharedLong.createRaw(region, "after", 0);
            final List<RegionEntry> entries = region.entries();
            final int[] used = {RobustMutex.LENGTH, RobustMutex.LENGTH, SharedSemaphore.LENGTH, Long.BYTES, Long.BYTES};
            for (int i = 0; i < used.length; i++)
            {
                final RegionEntry entry = entries.get(i);
                assertEquals(used[i], entry.length(), entry.name() + ": the slot is the size its layout uses");
                assertTrue(entries.get(i + 1).offset() >= entry.offset() + used[i], entry.name() + " overlaps the next");
            }
        }
    }

    @Test
    void aLayoutPastItsSlotFailsItsClassInitialization()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SlotLayout.requireFits(ObjectType.SEMAPHORE, ObjectType.SEMAPHORE.elementLength() + 1));
        assertTrue(ex.getMessage().contains("ObjectType"), ex.getMessage());
        assertEquals(64, SlotLayout.requireFits(ObjectType.LOCK, 64));
    }
}
