package dev.ipckit.memory;

import dev.ipckit.memory.internal.ObjectType;

/**
 * Byte layout of a region file. All multi-byte fields are in native byte order, as Agrona's buffers access them.
 * <pre>
 * Header, {@link #HEADER_LENGTH} bytes
 *   0   MAGIC                 long   {@link #MAGIC}: "IPCKITRG"
 *   8   LAYOUT_VERSION        int    {@link #LAYOUT_VERSION}
 *   12  FLAGS                 int    bit 0: persistent (the creator keeps the file when it closes)
 *   16  REGION_LENGTH         long   length of the whole file in bytes
 *   24  CREATOR               long   ProcessIdentity of the creator; CAS to an adopter once the creator is dead
 *   32  REGION_ID             long   random id: tells a re-created region of the same name from the old one
 *   40  DIRECTORY_CAPACITY    int    number of directory entries
 *   48  DATA_OFFSET           long   first byte of the object area
 *   56  CREATED_MILLIS        long   wall-clock creation time
 *   64  READY                 int    0 until the header is complete; written last with release, read with acquire
 *   128 DIRECTORY_LOCK        long   ProcessIdentity of the process changing the directory, 0 when free (CAS)
 *   136 ENTRY_COUNT           int    published entries; written with release under the lock, read with acquire
 *   144 ALLOCATION_CURSOR     long   next free byte of the object area, changed under the lock
 *   256 WAITER_COUNT          long   at least the number of WAITER rows in use (see {@code internal.WaiterTable}):
 *                                    raised before a row is taken, lowered after one is freed, read by every writer
 *                                    that may make an object ready, after a full fence
 *   264 WAITERS               {@link #WAITER_ROWS} longs, each 0 or (doorbell id &lt;&lt; 32 | watched object's key):
 *                                    a waiter asleep until that object may be ready; taken by CAS from 0, freed by
 *                                    the writer that rings it (CAS to 0) or by the waiter when it stops waiting
 * Directory, DIRECTORY_CAPACITY entries of {@link #ENTRY_LENGTH} bytes from {@link #HEADER_LENGTH}
 *   0   TYPE                  int    ObjectType code
 *   4   NAME_LENGTH           int    bytes of UTF-8 name
 *   8   OFFSET                long   first byte of the object's data slot
 *   16  COUNT                 long   elements (1 for a single value)
 *   24  LENGTH                long   bytes of the data slot
 *   32  LOCK_OFFSET           long   first byte of the object's lock slot, 0 when it has none
 *   64  NAME                  64 bytes of UTF-8
 * Object area: slots aligned to {@link #SLOT_ALIGNMENT} bytes, allocated upwards, never freed.
 * </pre>
 * Contended words (READY, DIRECTORY_LOCK and every object slot) start on their own pair of cache lines, so that the
 * adjacent-line prefetcher cannot couple them.
 */
final class RegionLayout
{
    static final long MAGIC = 0x4752_5449_4B43_5049L; // "IPCKITRG" read as a little-endian long
    /** 2: the waiter table (a version 1 header is shorter and its writers ring nobody: refused). */
    static final int LAYOUT_VERSION = 2;

    static final int CACHE_LINE_LENGTH = 64;
    static final int SLOT_ALIGNMENT = 2 * CACHE_LINE_LENGTH;

    static final int MAGIC_OFFSET = 0;
    static final int LAYOUT_VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 12;
    static final int REGION_LENGTH_OFFSET = 16;
    static final int CREATOR_OFFSET = 24;
    static final int REGION_ID_OFFSET = 32;
    static final int DIRECTORY_CAPACITY_OFFSET = 40;
    static final int DATA_OFFSET_OFFSET = 48;
    static final int CREATED_MILLIS_OFFSET = 56;
    static final int READY_OFFSET = 64;
    static final int DIRECTORY_LOCK_OFFSET = 128;
    static final int ENTRY_COUNT_OFFSET = 136;
    static final int ALLOCATION_CURSOR_OFFSET = 144;
    static final int WAITER_COUNT_OFFSET = 4 * CACHE_LINE_LENGTH;
    static final int WAITERS_OFFSET = WAITER_COUNT_OFFSET + Long.BYTES;
    static final int HEADER_LENGTH = WAITER_COUNT_OFFSET + SLOT_ALIGNMENT;
    static final int WAITER_ROWS = (HEADER_LENGTH - WAITERS_OFFSET) / Long.BYTES;

    static final int FLAG_PERSISTENT = 1;

    static final int ENTRY_LENGTH = 128;
    static final int ENTRY_TYPE_OFFSET = 0;
    static final int ENTRY_NAME_LENGTH_OFFSET = 4;
    static final int ENTRY_OFFSET_OFFSET = 8;
    static final int ENTRY_COUNT_FIELD_OFFSET = 16;
    static final int ENTRY_LENGTH_OFFSET = 24;
    static final int ENTRY_LOCK_OFFSET_OFFSET = 32;
    static final int ENTRY_NAME_OFFSET = 64;
    static final int MAX_OBJECT_NAME_BYTES = ENTRY_LENGTH - ENTRY_NAME_OFFSET;

    static final int DEFAULT_DIRECTORY_CAPACITY = 256;
    static final int MAX_DIRECTORY_CAPACITY = 1 << 16;

    private RegionLayout()
    {
    }

    static int entryOffset(final int index)
    {
        return HEADER_LENGTH + index * ENTRY_LENGTH;
    }

    static long dataOffset(final int directoryCapacity)
    {
        return align(HEADER_LENGTH + (long)directoryCapacity * ENTRY_LENGTH, SLOT_ALIGNMENT);
    }

    static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
