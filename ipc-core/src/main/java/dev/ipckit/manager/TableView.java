package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.util.Objects;

/**
 * What one view of a table in a region has whatever the table is (a {@link SharedDict}'s, a {@link SharedList}'s):
 * the region and its directory entry, the description every message names the table by, the lock with its repair
 * ({@link TableGuard}), and the view's own closed flag. A member the views delegate to rather than a base class: they
 * extend {@code AbstractMap} and {@code AbstractList} for the collection contracts. Sets, namespaces and managed
 * objects are views of a dict, so they have this through it.
 */
final class TableView
{
    final SharedRegion region;
    final RegionEntry entry;
    final String description;
    private final Table table;
    private final TableGuard guard;
    private volatile boolean closed;

    /**
     * @param region       the region.
     * @param entry        the table's entry in it.
     * @param description  from {@link #describe}, given to the table too.
     * @param table        the table, opened over the entry.
     * @param waitStrategy how the lock waits.
     */
    TableView(
        final SharedRegion region, final RegionEntry entry, final String description, final Table table,
        final WaitStrategy waitStrategy)
    {
        this.region = region;
        this.entry = entry;
        this.description = description;
        this.table = table;
        this.guard = new TableGuard(
            SharedRLock.guarding(region, entry).withWaitStrategy(Objects.requireNonNull(waitStrategy, "waitStrategy")),
            table);
    }

    /**
     * @param kind   what the user made, {@code SharedList} say.
     * @param region its region.
     * @param entry  its entry.
     * @return how messages name it: {@code SharedList 'jobs' in region app}.
     */
    static String describe(final String kind, final SharedRegion region, final RegionEntry entry)
    {
        return kind + " '" + entry.name() + "' in region " + region.name();
    }

    String name()
    {
        return entry.name();
    }

    SharedRLock lock()
    {
        return guard.lock();
    }

    /** Takes the lock, completing a change a dead holder committed; refuses a closed view or region first. */
    void acquire()
    {
        ensureOpen();
        guard.acquire();
    }

    void release()
    {
        guard.release();
    }

    void close()
    {
        closed = true;
    }

    /** Bytes of data the table's data area can still take (60 per free block), read under the lock. */
    long freeDataBytes()
    {
        acquire();
        try
        {
            return (long)table.blocks().free() * TableLayout.PAYLOAD_LENGTH;
        }
        finally
        {
            release();
        }
    }

    /** The table's invariants, checked under the lock: a summary, or IllegalStateException naming what is wrong. */
    String verify()
    {
        acquire();
        try
        {
            return table.verify();
        }
        finally
        {
            release();
        }
    }

    /**
     * Encodes a key, value or element to look for.
     *
     * @return false when the codec cannot encode it (so the table cannot hold it).
     */
    @SuppressWarnings("unchecked")
    boolean tryEncode(final Encoded into, final Codec<?> codec, final Object value, final String what)
    {
        Objects.requireNonNull(value, what);
        try
        {
            into.encode((Codec<Object>)codec, value, description, what);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    /** What the view travels as in a message or a task. */
    ManagedHandle handle(final ManagedHandle.Kind kind, final Codec<?> keys, final Codec<?> values)
    {
        return new ManagedHandle(region, entry.name(), kind, keys, values, guard.lock().waitStrategy());
    }

    /** Refuses a closed view, or a view whose region closed, before the table touches the buffer. */
    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(description + ": this view is closed");
        }
        if (region.isClosed())
        {
            // The region closed under the view: CLOSED.
            throw region.closedError(description);
        }
    }
}
