package dev.ipckit.manager;

import dev.ipckit.memory.internal.RegionChecks;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;

import static dev.ipckit.manager.TableLayout.*;

/**
 * The data area of a table: {@link TableLayout#BLOCK_LENGTH}-byte blocks chained by their NEXT words, free ones in
 * one free list. Reads and writes the bytes of a chain as one sequence through the payloads. Used under the table's
 * lock only; changes to links and counters go through the {@link RedoLog}, never through here.
 */
final class Blocks
{
    private final AtomicBuffer buffer;
    private final int objectOffset;
    private final int blocksOffset;
    private final int blocks;

    /** The region file, named when a block number read from it is out of range; null while initialising. */
    private final Path path;

    Blocks(final AtomicBuffer buffer, final int objectOffset)
    {
        this(buffer, objectOffset, null);
    }

    Blocks(final AtomicBuffer buffer, final int objectOffset, final Path path)
    {
        this.path = path;
        this.buffer = buffer;
        this.objectOffset = objectOffset;
        this.blocksOffset = objectOffset + buffer.getInt(objectOffset + BLOCKS_OFFSET_OFFSET);
        this.blocks = buffer.getInt(objectOffset + BLOCKS_OFFSET);
    }

    /** Links every block into the free list, in order, and empties the area's counters: creation and clear. */
    void initialize()
    {
        for (int block = 1; block < blocks; block++)
        {
            buffer.putInt(nextOffset(block), block + 1);
        }
        buffer.putInt(nextOffset(blocks), 0);
        buffer.putInt(objectOffset + FREE_HEAD_OFFSET, 1);
        buffer.putInt(objectOffset + USED_BLOCKS_OFFSET, 0);
    }

    int total()
    {
        return blocks;
    }

    int used()
    {
        return buffer.getInt(objectOffset + USED_BLOCKS_OFFSET);
    }

    int free()
    {
        return blocks - used();
    }

    int freeHead()
    {
        return buffer.getInt(objectOffset + FREE_HEAD_OFFSET);
    }

    int next(final int block)
    {
        return buffer.getInt(nextOffset(block));
    }

    /** Region offset of a block's NEXT word. */
    int nextOffset(final int block)
    {
        checkBlock(block);
        return blocksOffset + (block - 1) * BLOCK_LENGTH + NEXT_OFFSET;
    }

    /** Region offset of a byte in the payload of a block. */
    int payloadOffset(final int block, final int at)
    {
        checkBlock(block);
        return blocksOffset + (block - 1) * BLOCK_LENGTH + PAYLOAD_OFFSET + at;
    }

    /**
     * Block numbers are read from the region (links, heads, entries): one outside 1..blocks is damage, reported
     * before it places a read or a write outside the block area.
     */
    private void checkBlock(final int block)
    {
        if (block < 1 || block > blocks)
        {
            throw RegionChecks.corrupt(path, "block number", block, "outside 1.." + blocks);
        }
    }

    boolean isBlock(final int block)
    {
        return block >= 1 && block <= blocks;
    }

    /**
     * The last of the first {@code count} blocks of the free list: an allocation of {@code count} blocks is the
     * chain from the free head to it. The caller has checked that {@code count} blocks are free.
     */
    int lastOfFree(final int count)
    {
        int block = freeHead();
        for (int i = 1; i < count; i++)
        {
            block = next(block);
        }
        return block;
    }

    /** The last block of a chain of {@code count} blocks. */
    int lastOf(final int first, final int count)
    {
        int block = first;
        for (int i = 1; i < count; i++)
        {
            block = next(block);
        }
        return block;
    }

    int getInt(final int first, final int at)
    {
        return buffer.getInt(payloadOffset(first, at));
    }

    void putInt(final int first, final int at, final int value)
    {
        buffer.putInt(payloadOffset(first, at), value);
    }

    /**
     * Copies bytes into a chain from its byte {@code at}; follows the NEXT words, never writes them.
     *
     * @param first  the chain's first block.
     * @param at     byte position in the chain.
     * @param src    the bytes.
     * @param index  first byte in {@code src}.
     * @param length bytes to copy.
     */
    void write(final int first, final int at, final DirectBuffer src, final int index, final int length)
    {
        int block = skip(first, at);
        int position = at % PAYLOAD_LENGTH;
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(length - done, PAYLOAD_LENGTH - position);
            buffer.putBytes(payloadOffset(block, position), src, index + done, chunk);
            done += chunk;
            position = 0;
            if (done < length)
            {
                block = next(block);
            }
        }
    }

    /** Copies bytes out of a chain from its byte {@code at}. */
    void read(final int first, final int at, final MutableDirectBuffer dst, final int index, final int length)
    {
        int block = skip(first, at);
        int position = at % PAYLOAD_LENGTH;
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(length - done, PAYLOAD_LENGTH - position);
            buffer.getBytes(payloadOffset(block, position), dst, index + done, chunk);
            done += chunk;
            position = 0;
            if (done < length)
            {
                block = next(block);
            }
        }
    }

    /** Whether the chain's bytes from {@code at} equal {@code length} bytes of {@code src}. */
    boolean equals(final int first, final int at, final DirectBuffer src, final int index, final int length)
    {
        int block = skip(first, at);
        int position = at % PAYLOAD_LENGTH;
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(length - done, PAYLOAD_LENGTH - position);
            if (!rangeEquals(payloadOffset(block, position), src, index + done, chunk))
            {
                return false;
            }
            done += chunk;
            position = 0;
            if (done < length)
            {
                block = next(block);
            }
        }
        return true;
    }

    private boolean rangeEquals(final int offset, final DirectBuffer src, final int index, final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i) != src.getLong(index + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (buffer.getByte(offset + i) != src.getByte(index + i))
            {
                return false;
            }
        }
        return true;
    }

    private int skip(final int first, final int at)
    {
        int block = first;
        for (int i = at / PAYLOAD_LENGTH; i > 0; i--)
        {
            block = next(block);
        }
        return block;
    }
}
