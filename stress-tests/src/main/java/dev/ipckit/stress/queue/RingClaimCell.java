package dev.ipckit.stress.queue;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.queue.internal.RingClaims;
import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedByteArray;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One ring queue's consumer side in a {@link MirroredPool} cell, for the {@link RingClaims} suites: a 64-byte ring
 * holding two committed messages (sequence numbers 1 and 2, 8-byte payloads 101 and 102), a claim line and two
 * consumer rows laid out as a queue's control block lays them out, and two hold slots.
 * <pre>
 * 0          ring records (64 bytes) and Agrona's trailer
 * CONTROL    CLAIM, TAKEN                                       (QueueControl's CURSOR and TAKEN)
 * ROWS       two rows of ROW_LENGTH bytes: HELD at 16, HELD_LENGTH at 24
 * HOLDS      two hold slots of HOLD_LENGTH bytes
 * </pre>
 */
final class RingClaimCell
{
    static final int CAPACITY = 64;
    static final int RING_LENGTH = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
    static final int CONTROL = RING_LENGTH;
    static final int ROWS = CONTROL + 64;
    static final int ROW_LENGTH = 32;
    static final int HELD_OFFSET = 16;
    static final int HELD_LENGTH_OFFSET = 24;
    static final int HOLDS = ROWS + 2 * ROW_LENGTH;
    static final int HOLD_LENGTH = 16;
    static final int LENGTH = HOLDS + 2 * HOLD_LENGTH;
    /** Each record: 8 header, 8 sequence number, 8 payload. */
    static final int RECORD_LENGTH = RecordDescriptor.HEADER_LENGTH + RingClaims.SEQUENCE_LENGTH + Long.BYTES;

    static final MirroredPool<RingClaimCell> POOL = MirroredPool.create(
        RingClaimCell.class, MirroredPool.CELLS, 1, LENGTH + 128,
        (region, prefix) -> cell(region, SharedByteArray.createRaw(region, prefix + "c", LENGTH), prefix),
        (region, prefix) -> cell(region, SharedByteArray.open(region, prefix + "c"), prefix));

    final AtomicBuffer buffer;
    final RingClaims claims;

    private RingClaimCell(final AtomicBuffer buffer)
    {
        this.buffer = buffer;
        this.claims = new RingClaims(new UnsafeBuffer(buffer, 0, RING_LENGTH), CAPACITY,
            new UnsafeBuffer(buffer, HOLDS, 2 * HOLD_LENGTH), HOLD_LENGTH, buffer, CONTROL, ROWS, ROW_LENGTH,
            HELD_OFFSET, HELD_LENGTH_OFFSET, 2, (position, problem) -> new IllegalStateException(
                "the record at " + position + " " + problem));
    }

    private static RingClaimCell cell(final SharedRegion region, final SharedByteArray array, final String prefix)
    {
        return new RingClaimCell(
            new UnsafeBuffer(region.buffer(), region.lookup(prefix + "c").orElseThrow().offset(), LENGTH));
    }

    /** Empties the cell and commits the two messages. */
    void reset()
    {
        buffer.setMemory(0, LENGTH, (byte)0);
        record(0, 1, 101);
        record(RECORD_LENGTH, 2, 102);
    }

    private void record(final int index, final long sequence, final long payload)
    {
        buffer.putInt(RecordDescriptor.typeOffset(index), RingClaims.MESSAGE_TYPE);
        buffer.putLong(RecordDescriptor.encodedMsgOffset(index), sequence);
        buffer.putLong(RecordDescriptor.encodedMsgOffset(index) + RingClaims.SEQUENCE_LENGTH, payload);
        buffer.putInt(RecordDescriptor.lengthOffset(index), RECORD_LENGTH);
    }

    /**
     * Makes row 0 look like a consumer that claimed message 1 up to the commit point or not, and died: its hold slot
     * and HELD_LENGTH filled, HELD tentative; CLAIM names the row at the message's end when {@code committed}.
     */
    void deadClaimOfFirstMessage(final boolean committed)
    {
        buffer.putBytes(HOLDS, buffer, RecordDescriptor.encodedMsgOffset(0), HOLD_LENGTH);
        buffer.putInt(ROWS + HELD_LENGTH_OFFSET, HOLD_LENGTH);
        buffer.putLong(ROWS + HELD_OFFSET, RECORD_LENGTH | RingClaims.TENTATIVE);
        if (committed)
        {
            buffer.putLong(CONTROL, RingClaims.claimWord(RECORD_LENGTH, 0));
        }
    }

    /** Claims for {@code row}: the sequence number claimed, or -1. */
    int claim(final int row)
    {
        final int length = claims.claim(row);
        return length == RingClaims.EMPTY ? -1 : (int)buffer.getLong(HOLDS + row * HOLD_LENGTH);
    }

    long held(final int row)
    {
        return buffer.getLongVolatile(ROWS + row * ROW_LENGTH + HELD_OFFSET);
    }

    /** Whether {@code row} holds the message of sequence number {@code sequence} (1 or 2), applied, payload intact. */
    boolean holds(final int row, final int sequence)
    {
        return held(row) == (long)sequence * RECORD_LENGTH &&
            buffer.getLong(HOLDS + row * HOLD_LENGTH) == sequence &&
            buffer.getLong(HOLDS + row * HOLD_LENGTH + RingClaims.SEQUENCE_LENGTH) == 100 + sequence &&
            buffer.getInt(ROWS + row * ROW_LENGTH + HELD_LENGTH_OFFSET) == HOLD_LENGTH;
    }
}
