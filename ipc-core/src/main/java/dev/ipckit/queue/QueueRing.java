package dev.ipckit.queue;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.queue.internal.RingClaims;
import dev.ipckit.queue.internal.RingRepair;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;

/**
 * The ring of a {@link SharedQueue} created with {@link Transport#RING}: an Agrona one-to-one ring and one hold slot
 * per consumer row, objects in the queue's control region beside its {@link QueueControl} block.
 * <pre>
 * Ring object "ring" (ObjectType.RING), capacity + RingBufferDescriptor.TRAILER_LENGTH bytes
 *   0          records   Agrona's records, [int length][int type][message]; type MESSAGE_TYPE or Agrona's padding;
 *                        a message is [long sequence number][payload], sequence numbers 1, 2, 3... in ring order
 *   capacity   trailer   Agrona's tail, head cache, head and counters
 * Hold object "holds" (ObjectType.MESSAGE_HOLDS), rows * holdLength bytes
 *   row * holdLength   the message the row holds, sequence number first (its length in the row's HELD_LENGTH),
 *                      holdLength = capacity / 8
 * </pre>
 * <b>Producers</b> take turns under the queue's put lock (Agrona's one-to-one ring takes one producer at a time; the
 * lock's acquire orders a holder's accesses after the previous holder's) and write with Agrona's
 * {@code tryClaim}/{@code commit}, stamping each message with the sequence number its put will count
 * ({@link QueueControl#recordPut}). <b>Consumers</b> claim without a lock, by a CAS of the claim word in the control
 * block ({@link RingClaims}): each message once, in ring order, finished by the others when its claimer dies.
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

    private final Path path;
    final int capacity;
    /** The largest payload: Agrona's largest message less the sequence number. */
    final int maxMessageBytes;
    final AtomicBuffer records;
    final OneToOneRingBuffer ring;
    private final int tailPositionIndex;
    private final AtomicBuffer holds;
    private final int holdLength;
    final RingClaims claims;
    /** For the pending count a damage report gives. */
    private final QueueControl control;

    private QueueRing(
        final SharedRegion region, final int capacity, final int rows, final QueueControl control,
        final AtomicBuffer controlBuffer, final int controlOffset)
    {
        this.path = region.path();
        this.control = control;
        this.capacity = capacity;
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
        if (rows > RingClaims.MAX_ROWS)
        {
            throw new IllegalStateException("queue region " + path + " is damaged: its ring has " + rows +
                " consumer rows, more than the " + RingClaims.MAX_ROWS + " a ring queue takes");
        }
        this.records = new UnsafeBuffer(region.buffer(), ringEntry.offset(), ringLength);
        this.ring = new OneToOneRingBuffer(records);
        this.holdLength = ring.maxMsgLength();
        this.maxMessageBytes = holdLength - RingClaims.SEQUENCE_LENGTH;
        this.tailPositionIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        this.holds = new UnsafeBuffer(region.buffer(), holdsEntry.offset(), (int)holdsLength);
        this.claims = new RingClaims(records, capacity, holds, holdLength, controlBuffer,
            controlOffset + QueueControl.CURSOR_OFFSET, controlOffset + QueueControl.ROWS_START, QueueControl.ROW_LENGTH,
            QueueControl.ROW_HELD_OFFSET, QueueControl.ROW_HELD_LENGTH_OFFSET, rows, this::damaged);
    }

    /**
     * Attaches to the ring objects of a queue whose control block (at {@code controlOffset} of {@code controlBuffer})
     * says it has a ring of {@code capacity} bytes; by that control block's constructor.
     */
    static QueueRing attach(
        final SharedRegion region, final int capacity, final int rows, final QueueControl control,
        final AtomicBuffer controlBuffer, final int controlOffset)
    {
        return new QueueRing(region, capacity, rows, control, controlBuffer, controlOffset);
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

    /**
     * Writes one message record stamped with {@code sequence}; when the ring has no room, raises the head to what
     * consumers have claimed (it lags them, see {@link RingClaims}) and tries once more.
     *
     * @return false when the ring has no room for it now.
     */
    boolean write(final long sequence, final DirectBuffer payload, final int length)
    {
        int index = ring.tryClaim(RingClaims.MESSAGE_TYPE, RingClaims.SEQUENCE_LENGTH + length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            claims.raiseHeadToClaims();
            index = ring.tryClaim(RingClaims.MESSAGE_TYPE, RingClaims.SEQUENCE_LENGTH + length);
            if (index == RingBuffer.INSUFFICIENT_CAPACITY)
            {
                return false;
            }
        }
        records.putLong(index, sequence);
        records.putBytes(index + RingClaims.SEQUENCE_LENGTH, payload, 0, length);
        ring.commit(index);
        return true;
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
    // Hold slots

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

    QueueDamagedException damaged(final long position, final String problem)
    {
        return new QueueDamagedException("queue region " + path + " is damaged: the ring's record at position " +
            position + " " + problem + ". SharedQueue.skipDamaged() empties the ring and reports how many messages " +
            "were lost", path, position, control.size());
    }
}
