package dev.ipckit.manager;

import org.agrona.concurrent.AtomicBuffer;

import java.util.BitSet;

import static dev.ipckit.manager.TableLayout.*;

/**
 * The array of a {@link SharedList} in its region (layout, allocation and redo protocol in {@link TableLayout}): two
 * index arrays of CAPACITY slots, ACTIVE naming the current one, each slot the first block of an element. Every
 * method is called under the list's lock.
 * <p>
 * Appending, replacing and removing the last element change single slots; inserting or removing elsewhere (and
 * reordering) writes the whole new order into the inactive array first, then the commit flips ACTIVE, so a shift of
 * n elements is as crash-safe as a single store. The largest change sets 5 words:
 * <pre>
 *   append   the new chain's last NEXT = 0, the slot at SIZE, FREE_HEAD, SIZE, USED_BLOCKS
 *   insert   the new chain's last NEXT = 0, ACTIVE, FREE_HEAD, SIZE, USED_BLOCKS
 *   set      the new chain's last NEXT = 0, the slot, the old chain's last NEXT (onto the free list), FREE_HEAD,
 *            USED_BLOCKS
 *   remove   ACTIVE (unless the last element), the old chain's last NEXT, FREE_HEAD, SIZE, USED_BLOCKS
 * </pre>
 */
final class ListTable extends Table
{

    ListTable(final AtomicBuffer buffer, final int offset, final Object owner, final java.nio.file.Path path)
    {
        super(buffer, offset, owner, path);
    }

    /** Bytes of a list object. */
    static long length(final int capacity, final long blocks)
    {
        return objectLength(2L * capacity * Integer.BYTES, blocks);
    }

    /** Writes a new, empty list into zeroed memory, before it is published. */
    static void initialize(final AtomicBuffer buffer, final int offset, final int capacity, final int blocks)
    {
        buffer.putInt(offset + CAPACITY_OFFSET, capacity);
        buffer.putInt(offset + SLOTS_OFFSET, capacity);
        buffer.putInt(offset + BLOCKS_OFFSET, blocks);
        buffer.putInt(offset + INDEX_OFFSET_OFFSET, HEADER_LENGTH);
        buffer.putInt(offset + VERSION_OFFSET, VERSION);
        buffer.putInt(offset + BLOCKS_OFFSET_OFFSET, (int)blocksOffset(2L * capacity * Integer.BYTES));
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
        final int blocks = buffer.getInt(offset + BLOCKS_OFFSET);
        final String version = checkVersion(buffer, offset);
        if (version != null)
        {
            return version;
        }
        if (capacity < 1 || capacity > MAX_CAPACITY || buffer.getInt(offset + SLOTS_OFFSET) != capacity ||
            blocks < 1 || buffer.getInt(offset + INDEX_OFFSET_OFFSET) != HEADER_LENGTH ||
            length(capacity, blocks) > objectLength)
        {
            return "capacity " + capacity + ", " + blocks + " blocks in " + objectLength + " bytes";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    /** The first block of element {@code index}, which the caller has checked. */
    int element(final int index)
    {
        return buffer.getInt(slotOffset(active(), index));
    }

    /** Copies an element into {@code out}. */
    void read(final int element, final Encoded out)
    {
        final int length = blocks.getInt(element, ELEMENT_LENGTH);
        out.prepare(length);
        blocks.read(element, ELEMENT_HEADER_LENGTH, out.view(), 0, length);
    }

    /** Whether an element is byte for byte {@code value}. */
    boolean equals(final int element, final Encoded value)
    {
        return blocks.getInt(element, ELEMENT_LENGTH) == value.length() &&
            blocks.equals(element, ELEMENT_HEADER_LENGTH, value.view(), 0, value.length());
    }

    /**
     * The first index from {@code from} in steps of {@code step} (1 or -1) whose element is {@code value}.
     *
     * @return the index, or -1.
     */
    int indexOf(final Encoded value, final int from, final int step)
    {
        final int size = size();
        for (int i = from; i >= 0 && i < size; i += step)
        {
            if (equals(element(i), value))
            {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Changing: stage, then commit

    /**
     * Whether {@code elements} more elements of {@code blocksNeeded} blocks in all fit.
     *
     * @return null when they fit, else why not.
     */
    String room(final int elements, final long blocksNeeded)
    {
        if ((long)size() + elements > capacity)
        {
            return "all " + capacity + " elements would be in use (" + size() + " are)";
        }
        if (blocksNeeded > blocks.free())
        {
            return "the data area has " + blocks.free() + " of " + blocks.total() + " blocks free (" +
                (long)blocks.free() * PAYLOAD_LENGTH + " bytes), " + blocksNeeded + " are needed";
        }
        return null;
    }

    /** Blocks an element of {@code length} encoded bytes takes. */
    static long blocksOf(final int length)
    {
        return blocksFor(ELEMENT_HEADER_LENGTH + (long)length);
    }

    /**
     * Stages inserting {@code value} at {@code index} (0 to SIZE; SIZE appends).
     *
     * @throws IllegalStateException when the list or the data area is full; nothing is changed then.
     */
    void stageInsert(final int index, final Encoded value, final String request)
    {
        final int size = size();
        if (size >= capacity)
        {
            throw new IllegalStateException(owner + " is full: " + request + " needs a new element and all " +
                capacity + " are in use; create it with a larger capacity");
        }
        final int count = blocksNeeded(value, request);
        final int first = blocks.freeHead();
        final int last = blocks.lastOfFree(count);
        final int rest = blocks.next(last);
        writeElement(first, value);
        final int active = active();

        // The new slot lies beyond SIZE, or in the inactive array: nothing reachable changes until the commit.
        final int target;
        if (index == size)
        {
            target = active;
        }
        else
        {
            target = 1 - active;
            copySlots(active, 0, target, 0, index);
            copySlots(active, index, target, index + 1, size - index);
        }
        buffer.putInt(slotOffset(target, index), first);

        redo.begin();
        redo.store(blocks.nextOffset(last), 0);
        if (target != active)
        {
            redo.store(offset + ACTIVE_OFFSET, target);
        }
        redo.store(offset + FREE_HEAD_OFFSET, rest);
        redo.store(offset + SIZE_OFFSET, size + 1);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() + count);
    }

    /**
     * Stages replacing element {@code index}.
     *
     * @throws IllegalStateException when the data area cannot hold the new element next to the old one.
     */
    void stageSet(final int index, final Encoded value, final String request)
    {
        final int count = blocksNeeded(value, request);
        final int first = blocks.freeHead();
        final int last = blocks.lastOfFree(count);
        final int rest = blocks.next(last);
        writeElement(first, value);
        final int old = element(index);
        final int oldCount = elementBlocks(old);

        redo.begin();
        redo.store(blocks.nextOffset(last), 0);
        redo.store(slotOffset(active(), index), first);
        redo.store(blocks.nextOffset(blocks.lastOf(old, oldCount)), rest);
        redo.store(offset + FREE_HEAD_OFFSET, old);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() - oldCount + count);
    }

    /** Stages removing element {@code index}. */
    void stageRemove(final int index)
    {
        final int size = size();
        final int active = active();
        final int old = element(index);
        final int oldCount = elementBlocks(old);

        redo.begin();
        if (index != size - 1)
        {
            final int target = 1 - active;
            copySlots(active, 0, target, 0, index);
            copySlots(active, index + 1, target, index, size - index - 1);
            redo.store(offset + ACTIVE_OFFSET, target);
        }
        redo.store(blocks.nextOffset(blocks.lastOf(old, oldCount)), blocks.freeHead());
        redo.store(offset + FREE_HEAD_OFFSET, old);
        redo.store(offset + SIZE_OFFSET, size - 1);
        redo.store(offset + USED_BLOCKS_OFFSET, blocks.used() - oldCount);
    }

    /**
     * Stages a new order of the same elements: element {@code i} becomes the one now at {@code order[i]}.
     *
     * @param order a permutation of 0 to SIZE - 1.
     */
    void stageReorder(final int[] order)
    {
        final int active = active();
        final int target = 1 - active;
        for (int i = 0; i < order.length; i++)
        {
            buffer.putInt(slotOffset(target, i), element(order[i]));
        }
        redo.begin();
        redo.store(offset + ACTIVE_OFFSET, target);
    }

    /** Commits and applies the staged change. */
    void commit()
    {
        redo.commit();
    }

    @Override
    void reinitialize()
    {
        blocks.initialize();
        buffer.putInt(offset + SIZE_OFFSET, 0);
        buffer.putInt(offset + ACTIVE_OFFSET, 0);
    }

    private int blocksNeeded(final Encoded value, final String request)
    {
        final long count = blocksOf(value.length());
        final int free = blocks.free();
        if (count > free)
        {
            throw new IllegalStateException(owner + ": data area full: " + request + " needs " + count + " blocks (" +
                (ELEMENT_HEADER_LENGTH + (long)value.length()) + " bytes: " + ELEMENT_HEADER_LENGTH + " of header, " +
                value.length() + " of element), " + free + " of " + blocks.total() + " blocks are free (" +
                (long)free * PAYLOAD_LENGTH + " bytes); create it with more data bytes");
        }
        return (int)count;
    }

    private void writeElement(final int first, final Encoded value)
    {
        // Into free blocks only: nothing reachable changes until the commit.
        blocks.putInt(first, ELEMENT_LENGTH, value.length());
        blocks.write(first, ELEMENT_HEADER_LENGTH, value.view(), 0, value.length());
    }

    private void copySlots(final int from, final int fromIndex, final int to, final int toIndex, final int count)
    {
        if (count > 0)
        {
            buffer.putBytes(slotOffset(to, toIndex), buffer, slotOffset(from, fromIndex), count * Integer.BYTES);
        }
    }

    private int elementBlocks(final int element)
    {
        return (int)blocksOf(blocks.getInt(element, ELEMENT_LENGTH));
    }

    private int active()
    {
        return buffer.getInt(offset + ACTIVE_OFFSET);
    }

    private int slotOffset(final int array, final int index)
    {
        return indexOffset + (array * capacity + index) * Integer.BYTES;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checking

    /**
     * Checks every invariant: no pending record; ACTIVE 0 or 1; each element's chain as long as its length says,
     * ending in 0; the free list and the elements' chains disjoint and together every block; USED_BLOCKS right.
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
        final int size = size();
        final int active = active();
        if (size < 0 || size > capacity || (active != 0 && active != 1))
        {
            throw inconsistent("SIZE " + size + ", ACTIVE " + active);
        }
        final int total = blocks.total();
        final BitSet used = new BitSet(total + 1);
        long usedBlocks = 0;
        for (int i = 0; i < size; i++)
        {
            final int element = element(i);
            if (!blocks.isBlock(element) || blocks.getInt(element, ELEMENT_LENGTH) < 0)
            {
                throw inconsistent("element " + i + " is block " + element);
            }
            final int count = elementBlocks(element);
            int block = element;
            for (int b = 0; b < count; b++)
            {
                if (!blocks.isBlock(block) || used.get(block))
                {
                    throw inconsistent("element " + i + ": block " + (b + 1) + " of " + count + " is " + block +
                        ", out of range or used twice");
                }
                used.set(block);
                final int next = blocks.next(block);
                if (b == count - 1 ? next != 0 : next == 0)
                {
                    throw inconsistent("element " + i + " has a chain of other than " + count + " blocks");
                }
                block = next;
            }
            usedBlocks += count;
        }
        if (usedBlocks != blocks.used())
        {
            throw inconsistent("USED_BLOCKS is " + blocks.used() + " but the elements take " + usedBlocks);
        }
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
        if (usedBlocks + free != total)
        {
            throw inconsistent(usedBlocks + " used and " + free + " free blocks of " + total);
        }
        return size + " elements, " + usedBlocks + " of " + total + " blocks used, " + redo.repairs() + " repairs";
    }

    private IllegalStateException inconsistent(final String what)
    {
        return new IllegalStateException(owner + " is inconsistent: " + what);
    }
}
