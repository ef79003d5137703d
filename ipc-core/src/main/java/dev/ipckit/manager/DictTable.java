package dev.ipckit.manager;

import org.agrona.concurrent.AtomicBuffer;

import java.util.BitSet;

import static dev.ipckit.manager.TableLayout.*;

/**
 * The hash table of a {@link SharedDict} in its region (layout, allocation and redo protocol in
 * {@link TableLayout}): buckets of entries chained through BUCKET_NEXT, and every entry in one doubly linked list in
 * insertion order (Python's dict order). An entry is found by the hash of its encoded key, then its key length and
 * bytes. Every method is called under the dict's lock.
 * <p>
 * A change is staged ({@code stage...}: new bytes into free blocks, the words to set into the redo record) and then
 * {@linkplain #commit() committed}. Each staging method checks capacity before it writes anything, so a full table
 * or data area throws and leaves the table as it was. The largest change sets 7 words:
 * <pre>
 *   insert   the new chain's last NEXT = 0, bucket head, FREE_HEAD, SIZE, USED_BLOCKS, the old tail's ORDER_NEXT (or
 *            ORDER_HEAD), ORDER_TAIL
 *   replace  the new chain's last NEXT = 0, the link to the old entry, the old chain's last NEXT (onto the free
 *            list), FREE_HEAD, USED_BLOCKS, the neighbours' ORDER_NEXT and ORDER_PREV (or ORDER_HEAD, ORDER_TAIL)
 *   remove   the link to the entry, the old chain's last NEXT, FREE_HEAD, SIZE, USED_BLOCKS, the neighbours' links
 * </pre>
 * A replacement is a new copy of the entry in the old one's places (bucket and order), so it needs room for the new
 * entry while the old one still exists.
 */
final class DictTable extends Table
{
    private final int mask;
    /** Region offset of the word that links to the entry the last {@link #find} found, or of its bucket head. */
    private int link;

    DictTable(final AtomicBuffer buffer, final int offset, final Object owner, final java.nio.file.Path path)
    {
        super(buffer, offset, owner, path);
        this.mask = buffer.getInt(offset + SLOTS_OFFSET) - 1;
    }

    /** Buckets for a capacity (1 to {@link TableLayout#MAX_CAPACITY}): the least power of two >= 2 x capacity. */
    static int buckets(final int capacity)
    {
        return Integer.highestOneBit(2 * capacity - 1) << 1;
    }

    /** Bytes of a dict object. */
    static long length(final int capacity, final long blocks)
    {
        return objectLength((long)buckets(capacity) * Integer.BYTES, blocks);
    }

    /** Writes a new, empty dict into zeroed memory, before it is published. */
    static void initialize(final AtomicBuffer buffer, final int offset, final int capacity, final int blocks)
    {
        final int buckets = buckets(capacity);
        buffer.putInt(offset + CAPACITY_OFFSET, capacity);
        buffer.putInt(offset + SLOTS_OFFSET, buckets);
        buffer.putInt(offset + BLOCKS_OFFSET, blocks);
        buffer.putInt(offset + INDEX_OFFSET_OFFSET, HEADER_LENGTH);
        buffer.putInt(offset + VERSION_OFFSET, VERSION);
        buffer.putInt(offset + BLOCKS_OFFSET_OFFSET, (int)blocksOffset((long)buckets * Integer.BYTES));
        new Blocks(buffer, offset).initialize();
    }

    /**
     * Checks the configuration an opener reads against the object's length.
     *
     * @return null when valid, else what is wrong.
     */
    static String checkConfiguration(final AtomicBuffer buffer, final int offset, final long objectLength)
    {
        final int capacity = buffer.getInt(offset + CAPACITY_OFFSET);
        final int buckets = buffer.getInt(offset + SLOTS_OFFSET);
        final int blocks = buffer.getInt(offset + BLOCKS_OFFSET);
        final String version = checkVersion(buffer, offset);
        if (version != null)
        {
            return version;
        }
        if (capacity < 1 || capacity > MAX_CAPACITY || buckets != buckets(capacity) || blocks < 1 ||
            buffer.getInt(offset + INDEX_OFFSET_OFFSET) != HEADER_LENGTH || length(capacity, blocks) > objectLength)
        {
            return "capacity " + capacity + ", " + buckets + " buckets, " + blocks + " blocks in " + objectLength +
                " bytes";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    /**
     * Finds the entry of a key.
     *
     * @param key the encoded key and its hash.
     * @return the entry's first block, 0 when absent.
     */
    int find(final Encoded key)
    {
        final int hash = key.hash();
        final int length = key.length();
        int at = bucketOffset(hash);
        int entry = buffer.getInt(at);
        while (entry != 0)
        {
            if (blocks.getInt(entry, ENTRY_HASH) == hash && blocks.getInt(entry, ENTRY_KEY_LENGTH) == length &&
                blocks.equals(entry, ENTRY_HEADER_LENGTH, key.view(), 0, length))
            {
                link = at;
                return entry;
            }
            at = blocks.payloadOffset(entry, ENTRY_BUCKET_NEXT);
            entry = buffer.getInt(at);
        }
        link = bucketOffset(hash);
        return 0;
    }

    /** Copies an entry's value into {@code out}. */
    void readValue(final int entry, final Encoded out)
    {
        final int length = blocks.getInt(entry, ENTRY_VALUE_LENGTH);
        out.prepare(length);
        blocks.read(entry, ENTRY_HEADER_LENGTH + blocks.getInt(entry, ENTRY_KEY_LENGTH), out.view(), 0, length);
    }

    /** Copies an entry's key into {@code out}. */
    void readKey(final int entry, final Encoded out)
    {
        final int length = blocks.getInt(entry, ENTRY_KEY_LENGTH);
        out.prepare(length);
        blocks.read(entry, ENTRY_HEADER_LENGTH, out.view(), 0, length);
    }

    /** Whether an entry's value is byte for byte {@code value}. */
    boolean valueEquals(final int entry, final Encoded value)
    {
        return blocks.getInt(entry, ENTRY_VALUE_LENGTH) == value.length() && blocks.equals(
            entry, ENTRY_HEADER_LENGTH + blocks.getInt(entry, ENTRY_KEY_LENGTH), value.view(), 0, value.length());
    }

    /** The first entry in insertion order, 0 when empty. */
    int first()
    {
        return buffer.getInt(offset + ORDER_HEAD_OFFSET);
    }

    /** The entry after {@code entry} in insertion order, 0 after the last. */
    int next(final int entry)
    {
        return blocks.getInt(entry, ENTRY_ORDER_NEXT);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Changing: stage, then commit

    /**
     * Stages the insertion of a key that {@link #find} just did not find.
     *
     * @param request names the call, for a capacity error.
     * @throws IllegalStateException when the table or the data area is full; nothing is changed then.
     */
    void stageInsert(final Encoded key, final Encoded value, final String request)
    {
        final int size = size();
        if (size >= capacity)
        {
            throw new IllegalStateException(owner + " is full: " + request + " needs a new entry and all " + capacity +
                " are in use; create it with a larger capacity");
        }
        final int count = blocksNeeded(key, value, request);
        final int first = blocks.freeHead();
        final int last = blocks.lastOfFree(count);
        final int rest = blocks.next(last);
        final int tail = buffer.getInt(offset + ORDER_TAIL_OFFSET);
        final int bucket = link;
        writeEntry(first, buffer.getInt(bucket), tail, 0, key, value);

        redo.begin();
        redo.store(blocks.nextOffset(last), 0);
        redo.store(bucket, first);
        redo.store(offset + FREE_HEAD_OFFSET, rest);
        redo.store(offset + SIZE_OFFSET, size + 1);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() + count);
        redo.store(tail == 0 ? offset + ORDER_HEAD_OFFSET : blocks.payloadOffset(tail, ENTRY_ORDER_NEXT), first);
        redo.store(offset + ORDER_TAIL_OFFSET, first);
    }

    /**
     * Stages the replacement of the value of the entry {@link #find} just found: a new copy of the entry takes the
     * old one's place in its bucket and in insertion order, and the old blocks go to the free list.
     *
     * @throws IllegalStateException when the data area cannot hold the new entry next to the old one.
     */
    void stageReplace(final int entry, final Encoded key, final Encoded value, final String request)
    {
        final int count = blocksNeeded(key, value, request);
        final int first = blocks.freeHead();
        final int last = blocks.lastOfFree(count);
        final int rest = blocks.next(last);
        final int prev = blocks.getInt(entry, ENTRY_ORDER_PREV);
        final int next = blocks.getInt(entry, ENTRY_ORDER_NEXT);
        final int oldCount = entryBlocks(entry);
        writeEntry(first, blocks.getInt(entry, ENTRY_BUCKET_NEXT), prev, next, key, value);

        redo.begin();
        redo.store(blocks.nextOffset(last), 0);
        redo.store(link, first);
        redo.store(blocks.nextOffset(blocks.lastOf(entry, oldCount)), rest);
        redo.store(offset + FREE_HEAD_OFFSET, entry);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() - oldCount + count);
        redo.store(prev == 0 ? offset + ORDER_HEAD_OFFSET : blocks.payloadOffset(prev, ENTRY_ORDER_NEXT), first);
        redo.store(next == 0 ? offset + ORDER_TAIL_OFFSET : blocks.payloadOffset(next, ENTRY_ORDER_PREV), first);
    }

    /** Stages the removal of the entry {@link #find} just found. */
    void stageRemove(final int entry)
    {
        final int prev = blocks.getInt(entry, ENTRY_ORDER_PREV);
        final int next = blocks.getInt(entry, ENTRY_ORDER_NEXT);
        final int oldCount = entryBlocks(entry);

        redo.begin();
        redo.store(link, blocks.getInt(entry, ENTRY_BUCKET_NEXT));
        redo.store(blocks.nextOffset(blocks.lastOf(entry, oldCount)), blocks.freeHead());
        redo.store(offset + FREE_HEAD_OFFSET, entry);
        redo.store(offset + SIZE_OFFSET, size() - 1);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() - oldCount);
        redo.store(prev == 0 ? offset + ORDER_HEAD_OFFSET : blocks.payloadOffset(prev, ENTRY_ORDER_NEXT), next);
        redo.store(next == 0 ? offset + ORDER_TAIL_OFFSET : blocks.payloadOffset(next, ENTRY_ORDER_PREV), prev);
    }

    /** Commits and applies the staged change. */
    void commit()
    {
        redo.commit();
    }

    @Override
    void reinitialize()
    {
        buffer.setMemory(indexOffset, (mask + 1) * Integer.BYTES, (byte)0);
        blocks.initialize();
        buffer.putInt(offset + SIZE_OFFSET, 0);
        buffer.putInt(offset + ORDER_HEAD_OFFSET, 0);
        buffer.putInt(offset + ORDER_TAIL_OFFSET, 0);
    }

    private int blocksNeeded(final Encoded key, final Encoded value, final String request)
    {
        final long bytes = ENTRY_HEADER_LENGTH + (long)key.length() + value.length();
        final long count = blocksFor(bytes);
        final int free = blocks.free();
        if (count > free)
        {
            throw new IllegalStateException(owner + ": data area full: " + request + " needs " + count + " blocks (" +
                bytes + " bytes: " + ENTRY_HEADER_LENGTH + " of header, " + key.length() + " of key, " +
                value.length() + " of value), " + free + " of " + blocks.total() + " blocks are free (" +
                (long)free * PAYLOAD_LENGTH + " bytes); create it with more data bytes");
        }
        return (int)count;
    }

    private void writeEntry(
        final int first, final int bucketNext, final int prev, final int next, final Encoded key, final Encoded value)
    {
        // Into free blocks only: nothing reachable changes until the commit.
        blocks.putInt(first, ENTRY_BUCKET_NEXT, bucketNext);
        blocks.putInt(first, ENTRY_ORDER_PREV, prev);
        blocks.putInt(first, ENTRY_ORDER_NEXT, next);
        blocks.putInt(first, ENTRY_HASH, key.hash());
        blocks.putInt(first, ENTRY_KEY_LENGTH, key.length());
        blocks.putInt(first, ENTRY_VALUE_LENGTH, value.length());
        blocks.write(first, ENTRY_HEADER_LENGTH, key.view(), 0, key.length());
        blocks.write(first, ENTRY_HEADER_LENGTH + key.length(), value.view(), 0, value.length());
    }

    private int entryBlocks(final int entry)
    {
        return (int)blocksFor(ENTRY_HEADER_LENGTH + (long)blocks.getInt(entry, ENTRY_KEY_LENGTH) +
            blocks.getInt(entry, ENTRY_VALUE_LENGTH));
    }

    private int bucketOffset(final int hash)
    {
        return indexOffset + (hash & mask) * Integer.BYTES;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checking

    /**
     * Checks every invariant: no pending record; each entry in the bucket its hash names, reachable once, its
     * chain as long as its lengths say and ending in 0; insertion order listing the same entries, linked both
     * ways; the free list and the entries' chains disjoint and together every block; SIZE and USED_BLOCKS right.
     *
     * @return a summary.
     * @throws IllegalStateException naming the first inconsistency.
     */
    @Override
    String verify()
    {
        if (redo.pending())
        {
            throw inconsistent("a redo record is pending");
        }
        final int total = blocks.total();
        final BitSet used = new BitSet(total + 1);
        final BitSet entries = new BitSet(total + 1);
        int size = 0;
        long usedBlocks = 0;
        for (int bucket = 0; bucket <= mask; bucket++)
        {
            int entry = buffer.getInt(indexOffset + bucket * Integer.BYTES);
            while (entry != 0)
            {
                if (!blocks.isBlock(entry) || entries.get(entry))
                {
                    throw inconsistent("bucket " + bucket + " reaches block " + entry + " twice or out of range");
                }
                if ((blocks.getInt(entry, ENTRY_HASH) & mask) != bucket)
                {
                    throw inconsistent("entry " + entry + " is in bucket " + bucket + ", its hash says another");
                }
                final int keyLength = blocks.getInt(entry, ENTRY_KEY_LENGTH);
                final int valueLength = blocks.getInt(entry, ENTRY_VALUE_LENGTH);
                if (keyLength < 0 || valueLength < 0)
                {
                    throw inconsistent("entry " + entry + " has lengths " + keyLength + " and " + valueLength);
                }
                entries.set(entry);
                usedBlocks += markChain(entry, entryBlocks(entry), used);
                size++;
                entry = blocks.getInt(entry, ENTRY_BUCKET_NEXT);
            }
        }
        if (size != size())
        {
            throw inconsistent("SIZE is " + size() + " but the buckets hold " + size + " entries");
        }
        checkOrder(entries, size);
        if (usedBlocks != blocks.used())
        {
            throw inconsistent("USED_BLOCKS is " + blocks.used() + " but the entries take " + usedBlocks);
        }
        final long free = markFreeList(used, total);
        if (usedBlocks + free != total)
        {
            throw inconsistent(usedBlocks + " used and " + free + " free blocks of " + total);
        }
        return size + " entries, " + usedBlocks + " of " + total + " blocks used, " + redo.repairs() + " repairs";
    }

    private void checkOrder(final BitSet entries, final int size)
    {
        int count = 0;
        int prev = 0;
        int entry = first();
        while (entry != 0)
        {
            if (!blocks.isBlock(entry) || !entries.get(entry) || ++count > size)
            {
                throw inconsistent("insertion order reaches " + entry + ", not an entry, or more than " + size);
            }
            if (blocks.getInt(entry, ENTRY_ORDER_PREV) != prev)
            {
                throw inconsistent("entry " + entry + " has ORDER_PREV " + blocks.getInt(entry, ENTRY_ORDER_PREV) +
                    ", not " + prev);
            }
            prev = entry;
            entry = next(entry);
        }
        if (count != size || buffer.getInt(offset + ORDER_TAIL_OFFSET) != prev)
        {
            throw inconsistent("insertion order lists " + count + " of " + size + " entries, ends at " + prev +
                ", ORDER_TAIL is " + buffer.getInt(offset + ORDER_TAIL_OFFSET));
        }
    }

    private int markChain(final int first, final int count, final BitSet used)
    {
        int block = first;
        for (int i = 0; i < count; i++)
        {
            if (!blocks.isBlock(block) || used.get(block))
            {
                throw inconsistent("entry " + first + ": block " + (i + 1) + " of " + count + " is " + block +
                    ", out of range or used twice");
            }
            used.set(block);
            final int next = blocks.next(block);
            if (i == count - 1 ? next != 0 : next == 0)
            {
                throw inconsistent("entry " + first + " has a chain of other than " + count + " blocks");
            }
            block = next;
        }
        return count;
    }

    private long markFreeList(final BitSet used, final int total)
    {
        long free = 0;
        int block = blocks.freeHead();
        while (block != 0)
        {
            if (!blocks.isBlock(block) || used.get(block) || ++free > total)
            {
                throw inconsistent("free list reaches block " + block + ", out of range or in use");
            }
            used.set(block);
            block = blocks.next(block);
        }
        return free;
    }

    private IllegalStateException inconsistent(final String what)
    {
        return new IllegalStateException(owner + " is inconsistent: " + what);
    }
}
