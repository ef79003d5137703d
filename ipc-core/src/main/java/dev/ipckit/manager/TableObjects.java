package dev.ipckit.manager;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Creates and opens the region objects of dicts, namespaces and lists: one object of {@link TableLayout} with a lock
 * slot, initialised (free list linked) before the directory entry publishes it.
 */
final class TableObjects
{
    private TableObjects()
    {
    }

    /**
     * Creates the object; fails if the name exists.
     *
     * @param capacity  most entries or elements.
     * @param dataBytes bytes of the data area, rounded up to whole blocks.
     */
    static RegionEntry create(
        final SharedRegion region, final String name, final ObjectType type, final int capacity, final long dataBytes)
    {
        final int blocks = blocks(type, name, capacity, dataBytes);
        final long length = length(type, capacity, blocks);
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(type + " '" + name + "': capacity " + capacity + " and " + dataBytes +
                " data bytes need " + length + " bytes, more than a region holds");
        }
        return region.allocate(name, type, length, SharedRLock.SLOT_LENGTH,
            (buffer, offset, lockOffset) -> initialize(type, buffer, offset, capacity, blocks));
    }

    /** Opens the object, checking its type and layout. */
    static RegionEntry open(final SharedRegion region, final String name, final ObjectType type)
    {
        final RegionEntry entry = region.find(name, type);
        final String wrong = type == ObjectType.LIST ?
            ListTable.checkConfiguration(region.buffer(), entry.offset(), entry.length()) :
            DictTable.checkConfiguration(region.buffer(), entry.offset(), entry.length());
        if (wrong != null)
        {
            // A version this code does not know, or sizes that do not fit the object: the file is not usable.
            throw new RegionException(wrong.startsWith("layout version") ? RegionException.Reason.UNSUPPORTED_VERSION :
                RegionException.Reason.CORRUPT, region.path(), type + " '" + name + "' is damaged or foreign: " + wrong);
        }
        if (!entry.hasLock())
        {
            throw new IllegalStateException(type + " '" + name + "' in region " + region.name() +
                " does not have the layout this version writes: " + (wrong != null ? wrong : "no lock slot"));
        }
        return entry;
    }

    /** Opens the object, or creates it when absent (the sizes apply only then). */
    static RegionEntry openOrCreate(
        final SharedRegion region, final String name, final ObjectType type, final int capacity, final long dataBytes)
    {
        if (region.lookup(name).isPresent())
        {
            return open(region, name, type);
        }
        try
        {
            return create(region, name, type, capacity, dataBytes);
        }
        catch (final RegionException ex)
        {
            if (ex.reason() != RegionException.Reason.OBJECT_EXISTS)
            {
                throw ex;
            }
            return open(region, name, type); // another process created it between our two looks
        }
    }

    private static int blocks(final ObjectType type, final String name, final int capacity, final long dataBytes)
    {
        if (capacity < 1 || capacity > TableLayout.MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                type + " '" + name + "': capacity must be 1 to " + TableLayout.MAX_CAPACITY + ": " + capacity);
        }
        final long blocks = (dataBytes + TableLayout.BLOCK_LENGTH - 1) / TableLayout.BLOCK_LENGTH;
        if (dataBytes < 1 || blocks > Integer.MAX_VALUE / TableLayout.BLOCK_LENGTH)
        {
            throw new IllegalArgumentException(
                type + " '" + name + "': data bytes must be 1 to " + Integer.MAX_VALUE + ": " + dataBytes);
        }
        return (int)blocks;
    }

    private static long length(final ObjectType type, final int capacity, final int blocks)
    {
        return type == ObjectType.LIST ? ListTable.length(capacity, blocks) : DictTable.length(capacity, blocks);
    }

    private static void initialize(
        final ObjectType type, final AtomicBuffer buffer, final int offset, final int capacity, final int blocks)
    {
        if (type == ObjectType.LIST)
        {
            ListTable.initialize(buffer, offset, capacity, blocks);
        }
        else
        {
            DictTable.initialize(buffer, offset, capacity, blocks);
        }
    }
}
