package dev.ipckit.manager;

import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static dev.ipckit.manager.TableLayout.*;

/**
 * The redo record of a table (layout and protocol in {@link TableLayout}): the words one change sets, written down
 * before any of them is stored, so a change interrupted by its process's death is completed by the next lock
 * holder. Used by the lock holder only; one record at a time.
 */
final class RedoLog
{
    private final AtomicBuffer buffer;
    private final int offset;
    private int count;

    RedoLog(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
    }

    /** Starts a record of stores. */
    void begin()
    {
        count = 0;
    }

    /**
     * Adds a store to the record.
     *
     * @param at    region offset of the int.
     * @param value the value to store.
     */
    void store(final int at, final int value)
    {
        if (count == MAX_STORES)
        {
            throw new IllegalStateException("redo record overflow: more than " + MAX_STORES + " stores");
        }
        final int entry = offset + STORES_OFFSET + count * STORE_LENGTH;
        buffer.putInt(entry, at);
        buffer.putInt(entry + 4, value);
        count++;
    }

    /** Commits the record, then applies it. */
    void commit()
    {
        publish();
        applyStores(count);
        finish();
    }

    /** The commit point: the record becomes pending. */
    void publish()
    {
        buffer.putInt(offset + OP_OFFSET, OP_STORES);
        // Release: the record and every byte written into free space before it are visible before PENDING is.
        buffer.putIntRelease(offset + PENDING_OFFSET, count);
        // No store below may become visible before PENDING: a death would leave it half-applied and unrecorded.
        VarHandle.storeStoreFence();
    }

    /** Applies the first {@code stores} stores of the record. */
    void applyStores(final int stores)
    {
        if (stores < 0 || stores > MAX_STORES)
        {
            throw new IllegalStateException("corrupt redo record: " + stores + " stores");
        }
        for (int i = 0; i < stores; i++)
        {
            final int entry = offset + STORES_OFFSET + i * STORE_LENGTH;
            buffer.putInt(buffer.getInt(entry), buffer.getInt(entry + 4));
        }
    }

    /** Ends an applied record; release: after every store it made. */
    void finish()
    {
        buffer.putIntRelease(offset + PENDING_OFFSET, 0);
    }

    /** Stores in the record being written. */
    int count()
    {
        return count;
    }

    /**
     * Commits a clear, then applies it with {@code clear}: a record with no stores whose re-application is the
     * whole clear again.
     */
    void commitClear(final Runnable clear)
    {
        buffer.putInt(offset + OP_OFFSET, OP_CLEAR);
        buffer.putIntRelease(offset + PENDING_OFFSET, 1);
        VarHandle.storeStoreFence();
        clear.run();
        finish();
    }

    /** Whether a record is committed and not yet fully applied: its writer died, or failed while applying it. */
    boolean pending()
    {
        return buffer.getInt(offset + PENDING_OFFSET) != 0;
    }

    /**
     * Completes a pending record, again from its first store.
     *
     * @param clear re-applies a clear.
     */
    void repair(final Runnable clear)
    {
        if (buffer.getInt(offset + OP_OFFSET) == OP_CLEAR)
        {
            clear.run();
        }
        else
        {
            applyStores(buffer.getInt(offset + PENDING_OFFSET));
        }
        finish();
        buffer.putInt(offset + REPAIRS_OFFSET, buffer.getInt(offset + REPAIRS_OFFSET) + 1);
    }

    int repairs()
    {
        return buffer.getInt(offset + REPAIRS_OFFSET);
    }
}
