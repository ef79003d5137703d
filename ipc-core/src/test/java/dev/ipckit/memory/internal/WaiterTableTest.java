package dev.ipckit.memory.internal;

import dev.ipckit.platform.internal.Doorbell;
import dev.ipckit.platform.internal.Doorbells;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link WaiterTable}: rows taken and freed, the count never below the rows in use, one ring per registration, a
 * full table, and rows of waiters whose process is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaiterTableTest
{
    private static final int ROWS = 4;
    private static final int COUNT_OFFSET = 0;
    private static final int ROWS_OFFSET = 8;
    private static final long TWENTY_MILLIS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ROWS_OFFSET + ROWS * Long.BYTES));
    private final WaiterTable table = new WaiterTable(buffer, COUNT_OFFSET, ROWS_OFFSET, ROWS);

    @Test
    void aWakeRingsTheWaitersOfItsKeyOnceAndFreesTheirRows() throws IOException
    {
        final Doorbell bell = Doorbells.acquire();
        assertNotNull(bell, Doorbells::unavailableReason);
        try
        {
            bell.drain();
            assertTrue(table.add(640, bell.id()));
            assertTrue(table.add(768, bell.id()));
            assertEquals(2, table.waiters());
            assertEquals(2, buffer.getLong(COUNT_OFFSET));

            table.wake(896);
            assertFalse(bell.sleep(TWENTY_MILLIS), "another key rings nobody");
            table.wake(640);
            assertTrue(bell.sleep(MINUTE));
            assertEquals(1, table.waiters(), "the rung row is free");
            table.wake(640);
            assertFalse(bell.sleep(TWENTY_MILLIS), "a bell rings once per registration");

            table.remove(768, bell.id());
            assertEquals(0, table.waiters());
            assertEquals(0, buffer.getLong(COUNT_OFFSET), "nobody waits: writers read one word");
            table.remove(640, bell.id()); // rung already: nothing to free
            assertEquals(0, buffer.getLong(COUNT_OFFSET));
        }
        finally
        {
            Doorbells.release(bell);
        }
    }

    @Test
    void aFullTableRefusesAndFreesOnlyRowsWhoseProcessIsGone() throws Exception
    {
        final int live = liveBell(1);
        for (int i = 0; i < ROWS - 1; i++)
        {
            assertTrue(table.add(1024 + 128 * i, live));
        }
        final Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        final int dead = (int)(exited.pid() << 10); // the bell of a process that is gone
        assertTrue(table.add(4096, dead));
        assertEquals(ROWS, table.waiters());

        assertTrue(table.add(8192, live), "the dead waiter's row is taken over");
        assertEquals(ROWS, table.waiters());
        assertFalse(table.add(16384, live), "full, and every waiter alive: look again without a bell");
        assertEquals(ROWS, buffer.getLong(COUNT_OFFSET), "a refused add leaves the count as it was");
    }

    @Test
    void aWaiterKilledBetweenRaisingTheCountAndTakingARowOnlyCostsWritersAScan()
    {
        buffer.putLong(COUNT_OFFSET, 1); // raised, no row: what such a kill leaves
        table.wake(640); // reads the rows, rings nobody
        final int live = liveBell(2);
        assertTrue(table.add(640, live));
        table.remove(640, live);
        assertEquals(1, buffer.getLong(COUNT_OFFSET), "too high, never too low");
    }

    /** An id of this JVM whose number no bell of this JVM has yet: ringing it wakes nobody. */
    private static int liveBell(final int spare)
    {
        return (int)(ProcessHandle.current().pid() << 10) | (1023 - spare);
    }
}
