package dev.ipckit.manager;

/**
 * Byte layout of a {@link SharedDict}, {@link SharedList} or {@link SharedNamespace} object in its region, from the
 * object's offset. All fields are native-order ints; "block" fields hold block numbers, 1 to BLOCKS, 0 for none.
 * <pre>
 * Line 0: configuration, written once by the creator before the directory entry is published
 *   0    CAPACITY       int  most entries (dict) or elements (list)
 *   4    SLOTS          int  dict: buckets, a power of two; list: slots of each of its two index arrays (CAPACITY)
 *   8    BLOCKS         int  data blocks
 *   12   INDEX_OFFSET   int  first byte of the index, from the object's offset
 *   16   BLOCKS_OFFSET  int  first byte of block 1, from the object's offset
 *   20   VERSION        int  {@link #VERSION}: an opener refuses any other
 * Line 1: state, written under the object's lock only
 *   64   SIZE           int  entries or elements
 *   68   FREE_HEAD      int  first block of the free list
 *   72   USED_BLOCKS    int  blocks held by entries; USED_BLOCKS + the free list's length = BLOCKS
 *   76   ACTIVE         int  list: which index array is current, 0 or 1
 *   80   ORDER_HEAD     int  dict: first entry in insertion order
 *   84   ORDER_TAIL     int  dict: last entry in insertion order
 *   88   REPAIRS        int  redo records completed by a process other than their writer (which died)
 * Lines 2-3: the redo record (see below)
 *   128  PENDING        int  number of stores in the record, 0 when there is none. Its release store commits.
 *   132  OP             int  {@link #OP_STORES} or {@link #OP_CLEAR}
 *   136  STORES         {@link #MAX_STORES} x (int OFFSET in the region, int VALUE)
 * From INDEX_OFFSET: the index
 *   dict: SLOTS ints, each the first entry of its bucket's chain
 *   list: two arrays of SLOTS ints, each slot the first block of an element
 * From BLOCKS_OFFSET (64-byte aligned): BLOCKS blocks of {@link #BLOCK_LENGTH} bytes
 *   0    NEXT           int  the next block of the same chain: an entry's, or the free list
 *   4    payload        {@link #PAYLOAD_LENGTH} bytes
 * </pre>
 * An entry's bytes run through the payloads of its chain of blocks, in chain order:
 * <pre>
 * Dict entry                                      List element
 *   0   BUCKET_NEXT   int  next entry, same bucket    0  LENGTH  int  bytes of the encoded element
 *   4   ORDER_PREV    int  previous in insertion order 4  the encoded element
 *   8   ORDER_NEXT    int  next in insertion order
 *   12  HASH          int  hash of the encoded key
 *   16  KEY_LENGTH    int
 *   20  VALUE_LENGTH  int
 *   24  the encoded key, then the encoded value
 * </pre>
 * <b>Allocation.</b> An entry of n blocks takes the first n blocks of the free list, whose links already chain them:
 * its bytes go into their payloads (never into a NEXT word), and only the commit cuts the chain off the list.
 * <p>
 * <b>Redo record.</b> Every change is made in three steps under the lock: (1) new bytes go into free blocks or the
 * inactive index array, which nothing reachable points to; (2) every word the change must set is written to the
 * record as an (offset, value) pair, then PENDING is stored with release: the commit point; (3) after a store-store
 * fence the words are stored, then PENDING = 0 with release. The values are absolute, so applying a record twice is
 * the same as once. {@link #OP_CLEAR} instead re-initialises the index and the free list, also idempotent.
 * <p>
 * <b>Repair.</b> Whoever takes the lock finds PENDING = 0 unless the previous holder died between steps 2 and 3
 * (its stores up to the kill are visible to the next holder: the kill and the takeover CAS order them). It then
 * applies the record, clears PENDING and counts a repair. A death before the commit leaves only bytes in free
 * space; a death after it is completed. Either way the next holder sees each change whole or not at all.
 */
final class TableLayout
{
    static final int CAPACITY_OFFSET = 0;
    static final int SLOTS_OFFSET = 4;
    static final int BLOCKS_OFFSET = 8;
    static final int INDEX_OFFSET_OFFSET = 12;
    static final int BLOCKS_OFFSET_OFFSET = 16;
    static final int VERSION_OFFSET = 20;

    /** The layout described here. */
    static final int VERSION = 1;

    static final int SIZE_OFFSET = 64;
    static final int FREE_HEAD_OFFSET = 68;
    static final int USED_BLOCKS_OFFSET = 72;
    static final int ACTIVE_OFFSET = 76;
    static final int ORDER_HEAD_OFFSET = 80;
    static final int ORDER_TAIL_OFFSET = 84;
    static final int REPAIRS_OFFSET = 88;

    static final int PENDING_OFFSET = 128;
    static final int OP_OFFSET = 132;
    static final int STORES_OFFSET = 136;
    static final int STORE_LENGTH = 8;
    static final int MAX_STORES = 14;

    static final int HEADER_LENGTH = 256;

    static final int OP_STORES = 1;
    static final int OP_CLEAR = 2;

    static final int BLOCK_LENGTH = 64;
    static final int NEXT_OFFSET = 0;
    static final int PAYLOAD_OFFSET = 4;
    static final int PAYLOAD_LENGTH = BLOCK_LENGTH - PAYLOAD_OFFSET;

    static final int ENTRY_BUCKET_NEXT = 0;
    static final int ENTRY_ORDER_PREV = 4;
    static final int ENTRY_ORDER_NEXT = 8;
    static final int ENTRY_HASH = 12;
    static final int ENTRY_KEY_LENGTH = 16;
    static final int ENTRY_VALUE_LENGTH = 20;
    static final int ENTRY_HEADER_LENGTH = 24;

    static final int ELEMENT_LENGTH = 0;
    static final int ELEMENT_HEADER_LENGTH = 4;

    /** Most entries or elements of one object. */
    static final int MAX_CAPACITY = 1 << 26;

    private TableLayout()
    {
    }

    /** Blocks that hold {@code bytes} of payload. */
    static long blocksFor(final long bytes)
    {
        return (bytes + PAYLOAD_LENGTH - 1) / PAYLOAD_LENGTH;
    }

    /** Bytes of an object with this index and data area. */
    static long objectLength(final long indexBytes, final long blocks)
    {
        return blocksOffset(indexBytes) + blocks * BLOCK_LENGTH;
    }

    /** Offset of block 1 from the object's offset. */
    static long blocksOffset(final long indexBytes)
    {
        return align(HEADER_LENGTH + indexBytes, BLOCK_LENGTH);
    }

    static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
