package dev.ipckit.manager;

import org.agrona.concurrent.AtomicBuffer;

import static dev.ipckit.manager.TableLayout.CAPACITY_OFFSET;
import static dev.ipckit.manager.TableLayout.INDEX_OFFSET_OFFSET;
import static dev.ipckit.manager.TableLayout.SIZE_OFFSET;
import static dev.ipckit.manager.TableLayout.VERSION;
import static dev.ipckit.manager.TableLayout.VERSION_OFFSET;

/**
 * What a dict's and a list's tables share (layout in {@link TableLayout}): the configuration words, the size, the
 * data blocks and the redo record, and the repair a lock holder runs when the previous holder died. Every method is
 * called under the structure's lock.
 */
abstract class Table implements TableGuard.Repairable
{
    final AtomicBuffer buffer;
    final int offset;
    /** Names the structure in error messages. */
    final Object owner;
    final int capacity;
    final int indexOffset;
    final Blocks blocks;
    final RedoLog redo;
    private final Runnable reinitialize = this::reinitialize;

    Table(final AtomicBuffer buffer, final int offset, final Object owner, final java.nio.file.Path path)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.owner = owner;
        this.capacity = buffer.getInt(offset + CAPACITY_OFFSET);
        this.indexOffset = offset + buffer.getInt(offset + INDEX_OFFSET_OFFSET);
        this.blocks = new Blocks(buffer, offset, path);
        this.redo = new RedoLog(buffer, offset);
    }

    /**
     * The version check every opener makes first.
     *
     * @return null when the version is this layout's, else what is wrong.
     */
    static String checkVersion(final AtomicBuffer buffer, final int offset)
    {
        final int version = buffer.getInt(offset + VERSION_OFFSET);
        return version == VERSION ? null : "layout version " + version + ", not " + VERSION;
    }

    /** Re-initialises the index and the free list: what a CLEAR record does (idempotent). */
    abstract void reinitialize();

    /**
     * Checks the table's invariants; under the lock.
     *
     * @return a summary.
     * @throws IllegalStateException naming the first inconsistency.
     */
    abstract String verify();

    int capacity()
    {
        return capacity;
    }

    int size()
    {
        return buffer.getInt(offset + SIZE_OFFSET);
    }

    /** The size without the lock: a value it had at some point. */
    int sizeVolatile()
    {
        return buffer.getIntVolatile(offset + SIZE_OFFSET);
    }

    Blocks blocks()
    {
        return blocks;
    }

    RedoLog redo()
    {
        return redo;
    }

    @Override
    public boolean pending()
    {
        return redo.pending();
    }

    /** Removes every entry or element: a committed clear, re-run whole if its process dies. */
    void clear()
    {
        redo.commitClear(reinitialize);
    }

    /** Completes the record of a holder that died; see {@link TableLayout}. */
    @Override
    public void repair()
    {
        redo.repair(reinitialize);
    }
}
