package dev.ipckit.memory.internal;

import dev.ipckit.platform.internal.Doorbells;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

/**
 * A region's waiter table: waiters asleep until an object of the region may be ready, and the bells that wake them
 * ({@link Doorbells}). Layout in the region's header ({@code RegionLayout}): a count word, then rows of
 * {@code bell id << 32 | key}, where a key names what the waiter waits for (an object's offset, or an offset inside
 * it for objects with several things to wait for).
 * <p>
 * The protocol is Dekker's, with a full fence on each side. A waiter takes a row ({@link #add}), then looks at the
 * object, and sleeps only if it was not ready. A writer makes the object ready (a message appended, a flag set), then
 * {@link #wake}s its key: a full fence, then the count. So either the waiter's look sees the write, or the writer's
 * load sees the count raised and finds the row. The writer frees the row it rings (CAS to 0): a bell rings once per
 * registration, and a stream of messages to a waiter that already woke costs the writers one load each.
 * <p>
 * The count is raised before a row is taken and lowered after one is freed, so it is never below the rows in use; a
 * process killed between the two leaves it one too high, which only makes writers read the rows. A row whose waiter
 * was killed is freed by the next writer of its key, or by a waiter that finds the table full (the row's pid is gone).
 * A full table is not an error: that waiter looks again on a backoff instead.
 */
public final class WaiterTable
{
    private final AtomicBuffer buffer;
    private final int countOffset;
    private final int rowsOffset;
    private final int rows;

    /**
     * @param buffer      the region's buffer.
     * @param countOffset where the count word is.
     * @param rowsOffset  where the first row is.
     * @param rows        how many rows follow it.
     */
    public WaiterTable(final AtomicBuffer buffer, final int countOffset, final int rowsOffset, final int rows)
    {
        this.buffer = buffer;
        this.countOffset = countOffset;
        this.rowsOffset = rowsOffset;
        this.rows = rows;
    }

    /**
     * Asks to be rung when {@code key} may be ready. The caller looks at the object afterwards (a CAS here is a full
     * fence) and sleeps only when it is not ready.
     *
     * @param key  what to wait for.
     * @param bell the waiter's bell id.
     * @return false when the table is full: the caller must look again without waiting for a ring.
     */
    public boolean add(final int key, final int bell)
    {
        final long row = row(bell, key);
        buffer.getAndAddLong(countOffset, 1);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            for (int i = 0; i < rows; i++)
            {
                final int at = rowsOffset + i * Long.BYTES;
                if (buffer.getLongVolatile(at) == 0 && buffer.compareAndSetLong(at, 0, row))
                {
                    return true;
                }
            }
            if (!freeRowsOfDeadWaiters())
            {
                break;
            }
        }
        buffer.getAndAddLong(countOffset, -1);
        return false;
    }

    /**
     * Gives up every row this bell holds for {@code key} (none when a writer rang it already).
     *
     * @param key  what was waited for.
     * @param bell the waiter's bell id.
     */
    public void remove(final int key, final int bell)
    {
        final long row = row(bell, key);
        for (int i = 0; i < rows; i++)
        {
            final int at = rowsOffset + i * Long.BYTES;
            if (buffer.getLongVolatile(at) == row && buffer.compareAndSetLong(at, row, 0))
            {
                buffer.getAndAddLong(countOffset, -1);
            }
        }
    }

    /**
     * Called by a writer after the write that may have made {@code key} ready: rings every waiter of it. Costs a
     * full fence and one load when nobody waits in this region.
     *
     * @param key what may be ready now.
     */
    public void wake(final int key)
    {
        // StoreLoad: the write that made the object ready must be visible before the count is read, or a waiter
        // that raised the count after this load and then looked could miss the write too (see the class comment).
        VarHandle.fullFence();
        if (buffer.getLongVolatile(countOffset) != 0)
        {
            ringWaitersOf(key);
        }
    }

    /**
     * How many rows are in use now, for tests and {@code ls}.
     *
     * @return the rows that hold a waiter.
     */
    public int waiters()
    {
        int used = 0;
        for (int i = 0; i < rows; i++)
        {
            if (buffer.getLongVolatile(rowsOffset + i * Long.BYTES) != 0)
            {
                used++;
            }
        }
        return used;
    }

    private void ringWaitersOf(final int key)
    {
        for (int i = 0; i < rows; i++)
        {
            final int at = rowsOffset + i * Long.BYTES;
            final long row = buffer.getLongVolatile(at);
            if (row != 0 && (int)row == key && buffer.compareAndSetLong(at, row, 0))
            {
                buffer.getAndAddLong(countOffset, -1);
                Doorbells.ring((int)(row >>> Integer.SIZE));
            }
        }
    }

    private boolean freeRowsOfDeadWaiters()
    {
        boolean freed = false;
        for (int i = 0; i < rows; i++)
        {
            final int at = rowsOffset + i * Long.BYTES;
            final long row = buffer.getLongVolatile(at);
            if (row != 0 && !Doorbells.mayBeAlive((int)(row >>> Integer.SIZE)) && buffer.compareAndSetLong(at, row, 0))
            {
                buffer.getAndAddLong(countOffset, -1);
                freed = true;
            }
        }
        return freed;
    }

    private static long row(final int bell, final int key)
    {
        return ((long)bell << Integer.SIZE) | Integer.toUnsignedLong(key);
    }
}
