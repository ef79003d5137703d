package dev.ipckit.queue;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.queue.internal.RingRepair;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;

/**
 * The ring of a {@link SharedQueue} created with {@link Transport#RING}: an Agrona one-to-one ring and one hold slot
 * per consumer row, objects in the queue's control region beside its {@link QueueControl} block.
 * <pre>
 * Ring object "ring" (ObjectType.RING), capacity + RingBufferDescriptor.TRAILER_LENGTH bytes
 *   0          records   Agrona's records, [int length][int type][message]; type MESSAGE_TYPE or Agrona's padding
 *   capacity   trailer   Agrona's tail, head cache, head and counters
 * Hold object "holds" (ObjectType.MESSAGE_HOLDS), rows * holdLength bytes
 *   row * holdLength   the message the row holds (its length in the row's HELD_LENGTH), holdLength = capacity / 8
 * </pre>
 * <b>One writer, one reader.</b> Agrona's one-to-one ring takes one producer and one consumer at a time; the queue's
 * put lock makes producers take turns and its claim lock does the same for consumers, and each lock's acquire orders
 * a holder's accesses after the previous holder's. Producers write with Agrona's {@code write}; consumers read the
 * records themselves ({@link #recordLength}, {@link #recordType}) and move the head as a claim's redo record says
 * ({@link QueueControl#claim}), because a claim must copy the message into its row's hold slot and record it before
 * the head passes it: once past, a producer may overwrite it.
 * <p>
 * <b>A producer killed mid-write.</b> Agrona stores the new tail first, then the record's header (a negative length),
 * the message, and the positive length last; it also zeroes the header after the record before that commit. The
 * producer that takes the put lock over from a dead one calls {@link #repairPut}: every record the dead producer left
 * uncommitted between the last recorded put ({@code PUT_INDEX}, the tail after it) and the tail becomes padding,
 * which consumers step over ({@link RingRepair}); a committed one is counted. Nothing a dead producer left can stop the ring.
 */
final class QueueRing
{
    static final String RING_NAME = "ring";
    static final String HOLDS_NAME = "holds";
    /** The type of a message record (Agrona's padding type is {@link RingBuffer#PADDING_MSG_TYPE_ID}). */
    static final int MESSAGE_TYPE = 1;

    private final Path path;
    final int capacity;
    private final int mask;
    final int maxMessageBytes;
    final AtomicBuffer records;
    final OneToOneRingBuffer ring;
    private final int headPositionIndex;
    private final int tailPositionIndex;
    private final AtomicBuffer holds;
    private final int holdLength;
    /** For the pending count a damage report gives. */
    private final QueueControl control;

    private QueueRing(final SharedRegion region, final int capacity, final int rows, final QueueControl control)
    {
        this.path = region.path();
        this.control = control;
        this.capacity = capacity;
        this.mask = capacity - 1;
        final RegionEntry ringEntry = region.find(RING_NAME, ObjectType.RING);
        final int ringLength = ringLength(capacity);
        final RegionEntry holdsEntry = region.find(HOLDS_NAME, ObjectType.MESSAGE_HOLDS);
        final long holdsLength = holdsLength(capacity, rows);
        if (ringEntry.length() != ringLength || holdsEntry.length() != holdsLength)
        {
            throw new IllegalStateException("queue region " + path + " is damaged: its ring is " + ringEntry.length() +
                " bytes and its hold slots " + holdsEntry.length() + " bytes, not the " + ringLength + " and " +
                holdsLength + " a ring capacity of " + capacity + " bytes and " + rows + " consumer rows need");
        }
        this.records = new UnsafeBuffer(region.buffer(), ringEntry.offset(), ringLength);
        this.ring = new OneToOneRingBuffer(records);
        this.maxMessageBytes = ring.maxMsgLength();
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.tailPositionIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        this.holdLength = maxMessageBytes;
        this.holds = new UnsafeBuffer(region.buffer(), holdsEntry.offset(), (int)holdsLength);
    }

    /**
     * Attaches to the ring objects of a queue whose control block says it has a ring of {@code capacity} bytes; by
     * that control block's constructor.
     */
    static QueueRing attach(final SharedRegion region, final int capacity, final int rows, final QueueControl control)
    {
        return new QueueRing(region, capacity, rows, control);
    }

    /** The ring object's length: the records and Agrona's trailer, as a pipe's ring. */
    static int ringLength(final int capacity)
    {
        return PipeLink.ringLength(capacity);
    }

    /** The hold object's length: one slot of the largest message per consumer row. */
    static long holdsLength(final int capacity, final int rows)
    {
        return (long)rows * (capacity / 8);
    }

    /** What a queue's control region needs beyond its control block for a ring of {@code capacity} bytes. */
    static long regionLength(final int capacity, final int rows)
    {
        // Each object starts on a slot boundary (128 bytes): one slot of slack per object.
        return ringLength(capacity) + 128L + holdsLength(capacity, rows) + 128L;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producers, under the put lock

    /** Writes one message record; false when the ring has no room for it now. */
    boolean write(final DirectBuffer message, final int length)
    {
        return ring.write(MESSAGE_TYPE, message, 0, length);
    }

    /** The tail position: where the next record goes. */
    long tail()
    {
        return records.getLongVolatile(tailPositionIndex);
    }

    /**
     * After taking the put lock over from a dead producer: makes every record it left uncommitted from
     * {@code recordedTail} (the tail after the last recorded put) to the tail into padding.
     *
     * @return whether a committed message was found there, which the dead producer wrote and did not count.
     */
    boolean repairPut(final long recordedTail)
    {
        final long tail = tail();
        if (recordedTail > tail || tail - recordedTail > capacity)
        {
            throw new IllegalStateException("queue region " + path + " is damaged: its last recorded put ends at " +
                recordedTail + ", the ring's tail is " + tail);
        }
        try
        {
            return RingRepair.padUncommitted(records, capacity, recordedTail, tail);
        }
        catch (final IllegalStateException ex)
        {
            throw damaged(recordedTail, "begins what a dead producer left, and " + ex.getMessage().replace(
                "the ring's record at position", "the record at"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consumers, under the claim lock

    /** The head position: the next record to read. */
    long head()
    {
        return records.getLong(headPositionIndex);
    }

    /** Moves the head (a claim or a skip applying, or a step over padding); release: producers may reuse the room. */
    void moveHead(final long position)
    {
        records.putLongRelease(headPositionIndex, position);
    }

    /** Whether a committed record is at the head: a look without the claim lock (acquire of its length). */
    boolean hasRecord()
    {
        return records.getIntVolatile(RecordDescriptor.lengthOffset((int)(records.getLongVolatile(headPositionIndex) &
            mask))) > 0;
    }

    /**
     * The length of the record at {@code position}, acquire: 0 or less when none is committed there.
     *
     * @throws QueueDamagedException when a committed record's length does not fit the ring.
     */
    int recordLength(final long position)
    {
        final int length = records.getIntVolatile(RecordDescriptor.lengthOffset((int)(position & mask)));
        if (length > 0)
        {
            checkedExtent(position, length);
        }
        return length;
    }

    /** A committed record's type: {@link #MESSAGE_TYPE} or padding. */
    int recordType(final long position)
    {
        final int type = records.getInt(RecordDescriptor.typeOffset((int)(position & mask)));
        if (type == MESSAGE_TYPE)
        {
            final int length = records.getInt(RecordDescriptor.lengthOffset((int)(position & mask)));
            if (length - RecordDescriptor.HEADER_LENGTH > maxMessageBytes)
            {
                throw damaged(position, "is a message of " + (length - RecordDescriptor.HEADER_LENGTH) +
                    " bytes, more than the ring's limit of " + maxMessageBytes);
            }
        }
        else if (type != RingBuffer.PADDING_MSG_TYPE_ID)
        {
            throw damaged(position, "has type " + type + ", neither a message nor padding");
        }
        return type;
    }

    /** The record after the committed one at {@code position}, whose length is {@code length}. */
    static long next(final long position, final int length)
    {
        return position + BitUtil.align(length, RecordDescriptor.ALIGNMENT);
    }

    /** Offset in {@link #records} of the message of the record at {@code position}. */
    int messageOffset(final long position)
    {
        return RecordDescriptor.encodedMsgOffset((int)(position & mask));
    }

    /** Copies {@code length} message bytes at {@code offset} of the ring into {@code row}'s hold slot. */
    void hold(final int row, final int offset, final int length)
    {
        holds.putBytes(holdOffset(row), records, offset, length);
    }

    /** Copies what {@code fromRow} holds into {@code toRow}'s hold slot. */
    void moveHeld(final int fromRow, final int toRow, final int length)
    {
        holds.putBytes(holdOffset(toRow), holds, holdOffset(fromRow), length);
    }

    /** The hold slots, for reading what a row holds. */
    AtomicBuffer holds()
    {
        return holds;
    }

    int holdOffset(final int row)
    {
        return row * holdLength;
    }

    int holdLength()
    {
        return holdLength;
    }

    private int checkedExtent(final long position, final int length)
    {
        final int index = (int)(position & mask);
        final int extent = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        if (length < RecordDescriptor.HEADER_LENGTH || extent > capacity - index)
        {
            throw damaged(position, "has length " + length + ", which does not fit the ring's " + capacity + " bytes");
        }
        return extent;
    }

    QueueDamagedException damaged(final long position, final String problem)
    {
        return new QueueDamagedException("queue region " + path + " is damaged: the ring's record at position " +
            position + " " + problem + ". SharedQueue.skipDamaged() empties the ring and reports how many messages " +
            "were lost", path, position, control.size());
    }
}
