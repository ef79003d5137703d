package dev.ipckit.pool;

import dev.ipckit.platform.internal.PlainValues;
import org.agrona.ExpandableArrayBuffer;

import java.util.Iterator;

/**
 * Reads a map's items, in order, into CHUNK messages ({@link PoolLayout#MSG_CHUNK}: the function, a count, the
 * items). A chunk ends at {@code chunkSize} items, or earlier when one more item would make the message outgrow what a
 * ring carries. Reads only when asked for the next chunk, so {@code imap} can read an endless input as its results
 * are consumed.
 * <p>
 * Reading stops at the first problem with the input: its iterator throwing, or an item that cannot be encoded. The
 * chunk of the items read before it is still returned, and the problem is kept for the caller to raise after their
 * results ({@link #failure()}), as Python's {@code imap} raises the input's exception from {@code next()}.
 * Not thread safe: one reader, the thread that consumes the results.
 */
final class ChunkFeed
{
    /** Marks "no item carried over to the next chunk" (items may be null). */
    private static final Object NOTHING = new Object();

    private final String poolName;
    private final byte[] functionBytes;
    private final Iterator<?> items;
    private final int chunkSize;
    private final int messageLimit;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    /** An item read that did not fit the previous chunk: the first of the next one. */
    private Object carried = NOTHING;
    private long itemsRead;
    private boolean exhausted;
    private RuntimeException failure;

    ChunkFeed(final String poolName, final byte[] functionBytes, final Iterator<?> items, final int chunkSize,
        final int messageLimit)
    {
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunkSize must be at least 1: " + chunkSize);
        }
        this.poolName = poolName;
        this.functionBytes = functionBytes;
        this.items = items;
        this.chunkSize = chunkSize;
        this.messageLimit = messageLimit;
    }

    /**
     * Whether another chunk may follow: the input has an item not yet sent. Asks the input's {@code hasNext()},
     * whose exception becomes the {@link #failure()}.
     *
     * @return true when {@link #nextChunk()} has items to read.
     */
    boolean hasMoreItems()
    {
        if (carried != NOTHING)
        {
            return true;
        }
        if (exhausted || failure != null)
        {
            return false;
        }
        try
        {
            exhausted = !items.hasNext();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        return !exhausted && failure == null;
    }

    /**
     * Reads the next chunk.
     *
     * @return the CHUNK message's bytes, or null when no item was read (the input ended or failed).
     */
    byte[] nextChunk()
    {
        final int countOffset = ProcessPool.putFunction(buffer, functionBytes);
        int position = countOffset + Integer.BYTES;
        int count = 0;
        while (count < chunkSize && hasMoreItems())
        {
            final Object item;
            if (carried != NOTHING)
            {
                item = carried;
                carried = NOTHING;
            }
            else
            {
                try
                {
                    item = items.next();
                }
                catch (final RuntimeException ex)
                {
                    failure = ex;
                    break;
                }
                itemsRead++;
            }
            final int next;
            try
            {
                next = PlainValues.write(buffer, position, item);
            }
            catch (final IllegalArgumentException ex)
            {
                failure = new IllegalArgumentException("pool '" + poolName + "': item " + (itemsRead - 1) +
                    " of the map: " + ex.getMessage(), ex);
                break;
            }
            if (next > messageLimit && count > 0)
            {
                carried = item;
                break;
            }
            position = next;
            count++;
        }
        if (count == 0)
        {
            return null;
        }
        buffer.putInt(countOffset, count);
        final byte[] payload = new byte[position];
        buffer.getBytes(0, payload);
        return payload;
    }

    /**
     * Ends reading with a problem found while sending a chunk read from this feed (the pool refused it).
     *
     * @param problem what went wrong.
     */
    void fail(final RuntimeException problem)
    {
        if (failure == null)
        {
            failure = problem;
        }
    }

    /**
     * The problem that ended reading: the input's own exception, an item that cannot be encoded, or one given to
     * {@link #fail}.
     *
     * @return the problem, or null while reading went well.
     */
    RuntimeException failure()
    {
        return failure;
    }

    /**
     * @return how many items were taken from the input so far.
     */
    long itemsRead()
    {
        return itemsRead;
    }
}
