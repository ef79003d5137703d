package dev.ipckit.queue;

import dev.ipckit.memory.internal.WaiterTable;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A pipe's control block ({@code ObjectType.PIPE}) in its control region: the state of its two ends.
 * <pre>
 * Control block, {@link #LENGTH} bytes; each group of words on its own cache line
 *   0    VERSION       int   layout version of this block, {@link #VERSION}
 *   4    FLAGS         int   bit 0: duplex; bit 1: the ring transport (else the journal)
 *   8    RING_CAPACITY int   with the ring transport, each direction's ring capacity in bytes (a power of two within
 *                            PipeOptions' bounds), checked on every attach against the ring objects' lengths; else 0
 *   64   end 1 state, read by its peer while it waits
 *   64     OWNER       long  ProcessIdentity of the process that owns end 1: its creator, then the last process that
 *                            attached a handle to it. Volatile store by the adopter, volatile load by the peer.
 *   72     CLOSED      long  1 once end 1's owner closed it. Release store after its last message was complete;
 *                            the peer's acquire load then sees that message.
 *   128  end 2 state: the same words
 *   192  end 1 reading position, written by end 1's reader after every message it consumes
 *   192    READ_INDEX  long  Chronicle index of the next message end 1 reads, 0 before the first. Ordered store;
 *                            a process that adopts end 1 starts its tailer there, so nothing is read twice.
 *   256  end 2 reading position: the same word
 *   320  end 1 sending position, written by end 1's sender after every message it sends (its own line: the peer
 *        reads CLOSED on every empty look, and a store per message beside it would cost every one of those looks)
 *   320    SENT_INDEX  long  Chronicle index of the last message end 1 sent, 0 before the first. Release store after
 *                            each append; the peer reads it (acquire) only on some looks that find nothing (a
 *                            receive's last, the one before reporting the end of the stream, and every
 *                            {@code PipeReader.LOOKS_PER_SENT_CHECK}-th of a wait): a journal that cannot be read up
 *                            to it is damage, not "no message yet".
 *   384  end 2 sending position: the same word
 * </pre>
 * The words above are written once, before the region is published, and never change.
 * <p>
 * A receiver asleep in {@code Waiting.any} waits in the region's waiter table under its peer's SENT_INDEX offset:
 * a send (after its SENT_INDEX store, or its ring commit) and a close (after CLOSED) wake that key. With the ring
 * transport READ_INDEX and SENT_INDEX stay 0: the ring's own head and tail say where each side is.
 * <p>
 * End numbers are 1 and 2; journals are named after the end that reads them ({@code to-end1}, {@code to-end2}).
 */
final class PipeControl
{
    /**
     * 3: the ring transport (FLAGS bit 1, RING_CAPACITY); a version 2 reader would take a ring pipe for a journal one.
     * 2: SENT_INDEX lines added (a version 1 block is shorter: refused, not read past its end).
     */
    static final int VERSION = 3;
    static final int VERSION_OFFSET = 0;
    static final int FLAGS_OFFSET = 4;
    static final int RING_CAPACITY_OFFSET = 8;
    static final int FLAG_DUPLEX = 1;
    static final int FLAG_RING = 2;
    static final int KNOWN_FLAGS = FLAG_DUPLEX | FLAG_RING;
    static final int CACHE_LINE = 64;
    static final int END_STATE_OFFSET = CACHE_LINE;
    static final int OWNER_OFFSET = 0;
    static final int CLOSED_OFFSET = 8;
    static final int READ_INDEX_OFFSET = 3 * CACHE_LINE;
    static final int SENT_INDEX_OFFSET = 5 * CACHE_LINE;
    static final int LENGTH = 7 * CACHE_LINE;

    static final int END1 = 1;
    static final int END2 = 2;

    private final AtomicBuffer buffer;
    private final int offset;
    private final WaiterTable waiters;

    PipeControl(final AtomicBuffer buffer, final int offset, final WaiterTable waiters)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.waiters = waiters;
        final int version = buffer.getInt(offset + VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new IllegalStateException("pipe control block has layout version " + version + ", not " + VERSION);
        }
        final int flags = buffer.getInt(offset + FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            throw new IllegalStateException("pipe control block has unknown flags 0x" + Integer.toHexString(flags));
        }
        final int capacity = buffer.getInt(offset + RING_CAPACITY_OFFSET);
        if ((flags & FLAG_RING) != 0)
        {
            try
            {
                PipeOptions.checkRingCapacity(capacity);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalStateException("pipe control block is damaged: " + ex.getMessage(), ex);
            }
        }
        else if (capacity != 0)
        {
            throw new IllegalStateException("pipe control block is damaged: a journal pipe with a ring capacity of " +
                capacity);
        }
    }

    /**
     * Writes a new block (the region zeroed it): both ends owned by {@code owner}, open.
     *
     * @param ringCapacity each direction's ring capacity, 0 for the journal transport.
     */
    static void initialize(
        final AtomicBuffer buffer, final int offset, final boolean duplex, final int ringCapacity, final long owner)
    {
        buffer.putInt(offset + VERSION_OFFSET, VERSION);
        buffer.putInt(offset + FLAGS_OFFSET, (duplex ? FLAG_DUPLEX : 0) | (ringCapacity != 0 ? FLAG_RING : 0));
        buffer.putInt(offset + RING_CAPACITY_OFFSET, ringCapacity);
        buffer.putLong(stateOffset(offset, END1) + OWNER_OFFSET, owner);
        buffer.putLong(stateOffset(offset, END2) + OWNER_OFFSET, owner);
    }

    static int peer(final int end)
    {
        return 3 - end;
    }

    boolean duplex()
    {
        return (buffer.getInt(offset + FLAGS_OFFSET) & FLAG_DUPLEX) != 0;
    }

    /** Each direction's ring capacity in bytes; 0 for a journal pipe. */
    int ringCapacity()
    {
        return (buffer.getInt(offset + FLAGS_OFFSET) & FLAG_RING) != 0 ? buffer.getInt(offset + RING_CAPACITY_OFFSET) : 0;
    }

    long owner(final int end)
    {
        return buffer.getLongVolatile(stateOffset(offset, end) + OWNER_OFFSET);
    }

    void owner(final int end, final long identity)
    {
        buffer.putLongVolatile(stateOffset(offset, end) + OWNER_OFFSET, identity);
    }

    boolean isClosed(final int end)
    {
        // Acquire: pairs with markClosed's release, so the closing end's last message is visible after this load.
        return buffer.getLongAcquire(stateOffset(offset, end) + CLOSED_OFFSET) != 0;
    }

    void markClosed(final int end)
    {
        // Release: every excerpt this end completed before is visible to a peer that sees the flag.
        buffer.putLongRelease(stateOffset(offset, end) + CLOSED_OFFSET, 1);
        waiters.wake(sentKey(end));
    }

    /** The index of the last message {@code end} sent, 0 for none; acquire (see the layout). */
    long sentIndex(final int end)
    {
        return buffer.getLongAcquire(offset + SENT_INDEX_OFFSET + (end - 1) * CACHE_LINE);
    }

    /** After an append by {@code end}: release, so a peer that sees the index sees the message complete. */
    void sentIndex(final int end, final long index)
    {
        buffer.putLongRelease(offset + SENT_INDEX_OFFSET + (end - 1) * CACHE_LINE, index);
        waiters.wake(sentKey(end));
    }

    /**
     * After a ring commit by {@code end}: wakes a receiver asleep on it (the waiter table's fence orders the commit
     * before its look at the waiter count).
     */
    void ringCommitted(final int end)
    {
        waiters.wake(sentKey(end));
    }

    /**
     * Asks the region's waiter table to ring {@code bell} when {@code end} may have something to receive: its peer
     * sent a message or closed. The key is the peer's SENT_INDEX offset, one per direction.
     *
     * @return whether the table took the bell.
     */
    boolean ringWhenReceivable(final int end, final int bell)
    {
        return waiters.add(sentKey(peer(end)), bell);
    }

    void stopRinging(final int end, final int bell)
    {
        waiters.remove(sentKey(peer(end)), bell);
    }

    private int sentKey(final int sendingEnd)
    {
        return offset + SENT_INDEX_OFFSET + (sendingEnd - 1) * CACHE_LINE;
    }

    long readIndex(final int end)
    {
        return buffer.getLongVolatile(offset + READ_INDEX_OFFSET + (end - 1) * CACHE_LINE);
    }

    void readIndex(final int end, final long index)
    {
        buffer.putLongOrdered(offset + READ_INDEX_OFFSET + (end - 1) * CACHE_LINE, index);
    }

    private static int stateOffset(final int offset, final int end)
    {
        return offset + END_STATE_OFFSET + (end - 1) * CACHE_LINE;
    }
}
