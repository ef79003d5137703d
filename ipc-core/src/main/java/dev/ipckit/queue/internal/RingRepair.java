package dev.ipckit.queue.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * What a producer killed inside Agrona's one-to-one {@code write} leaves in a ring, and how a ring queue's next
 * producer steps over it (see {@code QueueRing}). Public for the jcstress suite that checks its memory ordering.
 * <p>
 * Agrona's write stores the new tail first, zeroes the header after its record (the next record's), then writes the
 * record's header with a negative length, the message, and the positive length last (a release store). A producer
 * killed anywhere in that leaves, between the tail of the last counted put and the tail: records with a zero or
 * negative length (never committed: its message, or the padding in front of it at the end of the buffer), or a
 * committed record it did not count, and perhaps a stale header after the tail.
 */
public final class RingRepair
{
    private RingRepair()
    {
    }

    /**
     * Turns every uncommitted record from {@code from} to {@code tail} into padding, which a consumer steps over. The
     * caller is the only producer (it holds the put lock); a consumer may read concurrently.
     *
     * @param records  the ring's records and trailer.
     * @param capacity the records' capacity, a power of two.
     * @param from     the tail after the last counted put.
     * @param tail     the ring's tail now; at most {@code capacity} past {@code from}.
     * @return whether a committed message record is there (the dead producer wrote it and did not count it).
     * @throws IllegalStateException when a committed record's length does not fit the ring (damage).
     */
    public static boolean padUncommitted(final AtomicBuffer records, final int capacity, final long from, final long tail)
    {
        final int mask = capacity - 1;
        // First zero the header after the tail, as Agrona's claim does before its commit: the dead producer may have
        // died before it did, and a consumer stepping over the padding below must find no record there. The padding's
        // length is a release store after this plain one, and the consumer reads that length with acquire first.
        records.putLong((int)(tail & mask), 0L);
        boolean committedMessage = false;
        long position = from;
        while (position < tail)
        {
            final int index = (int)(position & mask);
            final int length = records.getIntVolatile(RecordDescriptor.lengthOffset(index));
            final int extent;
            if (length > 0)
            {
                extent = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
                if (length < RecordDescriptor.HEADER_LENGTH || extent > capacity - index)
                {
                    throw new IllegalStateException("the ring's record at position " + position + " has length " +
                        length + ", which does not fit the ring's " + capacity + " bytes");
                }
                committedMessage |= records.getInt(RecordDescriptor.typeOffset(index)) != RingBuffer.PADDING_MSG_TYPE_ID;
            }
            else
            {
                // Not committed: the dead producer's message, or the padding in front of it, which runs to the end of
                // the buffer. Consumers stop in front of it until the padding's length (release) lets them step over.
                extent = (int)Math.min(tail - position, capacity - index);
                records.putInt(RecordDescriptor.typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
                records.putIntRelease(RecordDescriptor.lengthOffset(index), extent);
            }
            position += extent;
        }
        return committedMessage;
    }
}
