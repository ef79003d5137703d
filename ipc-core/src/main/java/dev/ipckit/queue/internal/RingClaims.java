package dev.ipckit.queue.internal;

import dev.ipckit.platform.internal.CreationSteps;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * How a ring queue's consumers claim messages without a lock, and how a consumer that dies in the middle of a claim
 * is finished by the others. Public for the jcstress suite that checks it; used by {@code QueueRing}.
 * <p>
 * <b>Words.</b> In the queue's control block, on one cache line: CLAIM (the claim word) and TAKEN. In each consumer
 * row: HELD and HELD_LENGTH. In each row's hold slot, a copy of the message the row holds.
 * <pre>
 * CLAIM  long  (position &gt;&gt;&gt; 3) &lt;&lt; ROW_BITS | (row + 1): the ring position of the next message to claim, and
 *              the row whose claim moved it there and may not be applied yet (0: none, or applied). Positions are
 *              multiples of 8 (Agrona's record alignment), so 59 bits of position stay: 2^59 bytes of messages.
 * TAKEN  long  the highest sequence number claimed; only ever raised (a CAS loop). Messages carry sequence numbers
 *              1, 2, 3... in ring order, so it counts the messages claimed.
 * HELD   long  0: the row holds nothing. p: it holds the message that ends at position p.
 *              p | TENTATIVE: it is claiming that message, and holds it only if CLAIM names the row at p.
 * </pre>
 * A ring record's message is its {@link #SEQUENCE_LENGTH}-byte sequence number followed by the queue's payload.
 * <p>
 * <b>A claim</b> by row r of the record at position p (what CLAIM says), which ends at next:
 * <ol>
 *     <li>If CLAIM names a row, apply that row's claim first ({@link #applyNamedClaim}): a CAS of its HELD from
 *     {@code p | TENTATIVE} to {@code p}.</li>
 *     <li>Copy the message into r's hold slot, store HELD_LENGTH, then HELD = {@code next | TENTATIVE} (release:
 *     the copy before it).</li>
 *     <li>CAS CLAIM from what was read to (next, r): <em>the commit point</em>. It fails when another consumer
 *     claimed first; the copy may then be torn (a producer may have reused the room), which does not matter: only a
 *     claim whose CAS succeeded reads its copy, and a successful CAS means the record stayed unclaimed, so the room
 *     stayed the producers' to leave alone, for the whole copy.</li>
 *     <li>Raise TAKEN to the message's sequence number, store HELD = next, then CAS CLAIM from (next, r) to
 *     (next, none): applied.</li>
 * </ol>
 * Between 3 and 4 the claim is finished by whoever moves CLAIM next (step 1), so a consumer killed there leaves its
 * row holding the message, which a live consumer then redelivers from the hold slot like any message a dead consumer
 * held. The CAS in step 1 cannot apply a stale claim: HELD values never repeat (positions only grow), so a row that
 * already applied, acknowledged or moved on to another claim fails it. A TAKEN not raised by a dead claimer is raised
 * by the next claim (a higher sequence number) or by the adoption of the message it held.
 * <p>
 * <b>The ring's head.</b> Producers reuse room behind Agrona's head position. Consumers raise it (a CAS loop; it never
 * goes back) to a claim's end once it lags that end by {@link #HEAD_LAG_FRACTION} of the capacity, so the line is not
 * passed between consumers and producers for every message; a consumer that finds nothing to claim and a producer
 * that finds no room raise it to CLAIM's position ({@link #raiseHead}), so a lagging head never hides room. The head
 * never passes CLAIM: a record at or after CLAIM's position is never overwritten.
 */
public final class RingClaims
{
    /** Bits of the claim word that name a row (plus one). */
    public static final int ROW_BITS = 8;
    /** The most consumer rows a ring queue can have. */
    public static final int MAX_ROWS = (1 << ROW_BITS) - 1;
    /** HELD's mark of a claim that may not have happened. */
    public static final long TENTATIVE = 1;
    /** Bytes of the sequence number in front of each message's payload. */
    public static final int SEQUENCE_LENGTH = Long.BYTES;
    /** What {@link #claim} and {@link #peek} return when there is no message at the claim position. */
    public static final int EMPTY = -1;
    /** The head is raised once it lags a claim's end by this fraction of the capacity. */
    public static final int HEAD_LAG_FRACTION = 4;
    /** The type of a message record (Agrona's padding type is {@link RingBuffer#PADDING_MSG_TYPE_ID}). */
    public static final int MESSAGE_TYPE = 1;

    private static final long ROW_MASK = (1L << ROW_BITS) - 1;
    private static final int NO_ROW = -1;

    /**
     * Reports a record that cannot be read: a damaged ring.
     */
    @FunctionalInterface
    public interface Damage
    {
        /**
         * @param position the record's position.
         * @param problem  what is wrong with it, in words that follow "the record at position N".
         * @return the exception to throw.
         */
        RuntimeException at(long position, String problem);
    }

    private final AtomicBuffer records;
    private final int capacity;
    private final int mask;
    private final int headIndex;
    private final long headLag;
    private final AtomicBuffer holds;
    private final int holdLength;
    private final AtomicBuffer control;
    private final int claimIndex;
    private final int takenIndex;
    private final int rowsIndex;
    private final int rowLength;
    private final int heldOffset;
    private final int heldLengthOffset;
    private final int rows;
    /** Sequence numbers a record at the claim position can have above TAKEN: the records the ring holds, plus rows. */
    private final long maxAhead;
    private final Damage damage;

    /**
     * @param records          the ring's records and Agrona's trailer.
     * @param capacity         the records' capacity, a power of two.
     * @param holds            the hold slots, {@code holdLength} bytes each, one per row.
     * @param holdLength       a hold slot's length: the ring's largest message, sequence number included.
     * @param control          the buffer of the claim line and the rows.
     * @param claimIndex       CLAIM's index in {@code control}; TAKEN is the next long.
     * @param rowsIndex        the first row's index in {@code control}.
     * @param rowLength        a row's length.
     * @param heldOffset       HELD's offset in a row.
     * @param heldLengthOffset HELD_LENGTH's offset in a row.
     * @param rows             the number of rows, at most {@link #MAX_ROWS}.
     * @param damage           makes the exception for a damaged record.
     */
    public RingClaims(
        final AtomicBuffer records, final int capacity, final AtomicBuffer holds, final int holdLength,
        final AtomicBuffer control, final int claimIndex, final int rowsIndex, final int rowLength, final int heldOffset,
        final int heldLengthOffset, final int rows, final Damage damage)
    {
        if (rows < 1 || rows > MAX_ROWS)
        {
            throw new IllegalArgumentException("a ring queue has 1 to " + MAX_ROWS + " consumer rows, not " + rows);
        }
        this.records = records;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.headIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.headLag = capacity / HEAD_LAG_FRACTION;
        this.holds = holds;
        this.holdLength = holdLength;
        this.control = control;
        this.claimIndex = claimIndex;
        this.takenIndex = claimIndex + Long.BYTES;
        this.rowsIndex = rowsIndex;
        this.rowLength = rowLength;
        this.heldOffset = heldOffset;
        this.heldLengthOffset = heldLengthOffset;
        this.rows = rows;
        this.maxAhead = capacity / (RecordDescriptor.HEADER_LENGTH + SEQUENCE_LENGTH) + rows;
        this.damage = damage;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The claim word

    /** The claim word for the next claim at {@code position} after a claim by {@code row} ({@code -1}: none). */
    public static long claimWord(final long position, final int row)
    {
        return ((position >>> 3) << ROW_BITS) | (row + 1);
    }

    /** The position a claim word names. */
    public static long position(final long claimWord)
    {
        return (claimWord >>> ROW_BITS) << 3;
    }

    /** The row a claim word names, or {@code -1}. */
    public static int row(final long claimWord)
    {
        return (int)(claimWord & ROW_MASK) - 1;
    }

    /** The claim word, acquire. */
    public long claimWord()
    {
        return control.getLongVolatile(claimIndex);
    }

    /** The highest sequence number claimed: the messages claimed, ever. */
    public long taken()
    {
        return control.getLongVolatile(takenIndex);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims

    /**
     * Claims the next message for {@code row}: on return its hold slot holds it (sequence number first) and its HELD
     * names it.
     *
     * @return the length of what the hold slot holds, sequence number included; {@link #EMPTY} when no committed
     * record is at the claim position.
     * @throws RuntimeException from {@link Damage} when the record at the claim position cannot be read.
     */
    public int claim(final int row)
    {
        final int rowIndex = rowIndex(row);
        final int holdIndex = holdIndex(row);
        while (true)
        {
            final long claim = claimWord();
            applyNamedClaim(claim);
            final long position = position(claim);
            final int index = (int)(position & mask);
            final int length = records.getIntVolatile(RecordDescriptor.lengthOffset(index));
            if (length <= 0)
            {
                raiseHead(position);
                return EMPTY;
            }
            final String problem = problem(index, length);
            if (problem != null)
            {
                if (claim == claimWord())
                {
                    throw damage.at(position, problem);
                }
                continue; // a stale read: the record was claimed and its room reused meanwhile
            }
            final long next = position + BitUtil.align(length, RecordDescriptor.ALIGNMENT);
            if (records.getInt(RecordDescriptor.typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID)
            {
                if (control.compareAndSetLong(claimIndex, claim, claimWord(next, NO_ROW)))
                {
                    raiseHeadWhenLagging(next);
                }
                continue;
            }
            final int messageLength = length - RecordDescriptor.HEADER_LENGTH;
            final int messageIndex = RecordDescriptor.encodedMsgOffset(index);
            final long sequence = records.getLong(messageIndex);
            final long taken = taken();
            if (sequence <= taken || sequence - taken > maxAhead)
            {
                if (claim == claimWord())
                {
                    throw damage.at(position, "carries sequence number " + sequence + ", which is not one of the " +
                        "next " + maxAhead + " after the " + taken + " messages taken");
                }
                continue;
            }
            // The copy and its length before the tentative HELD (a release store), all before the commit point.
            holds.putBytes(holdIndex, records, messageIndex, messageLength);
            control.putInt(rowIndex + heldLengthOffset, messageLength);
            control.putLongRelease(rowIndex + heldOffset, next | TENTATIVE);
            if (!control.compareAndSetLong(claimIndex, claim, claimWord(next, row)))
            {
                continue; // another consumer claimed it; the tentative HELD is never applied (CLAIM never names it)
            }
            CreationSteps.reached(CreationSteps.QUEUE_RING_CLAIMED);
            raiseTaken(sequence);
            CreationSteps.reached(CreationSteps.QUEUE_RING_COUNTED);
            control.putLongRelease(rowIndex + heldOffset, next);
            control.compareAndSetLong(claimIndex, claimWord(next, row), claimWord(next, NO_ROW));
            raiseHeadWhenLagging(next);
            return messageLength;
        }
    }

    /**
     * Copies the payload of the next message into {@code into} without claiming it: a snapshot, another consumer may
     * claim it first. Padding is stepped over without moving anything.
     *
     * @param into where the payload goes.
     * @return the payload's length, {@link #EMPTY}, or when {@code into} is too small for it, a value below
     * {@link #EMPTY} from which {@link #neededLength} gives the length.
     */
    public int peek(final MutableDirectBuffer into)
    {
        while (true)
        {
            final long claim = claimWord();
            long position = position(claim);
            while (true)
            {
                final int index = (int)(position & mask);
                final int length = records.getIntVolatile(RecordDescriptor.lengthOffset(index));
                if (length <= 0)
                {
                    return EMPTY;
                }
                final String problem = problem(index, length);
                if (problem != null)
                {
                    if (claim == claimWord())
                    {
                        throw damage.at(position, problem);
                    }
                    break;
                }
                if (records.getInt(RecordDescriptor.typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID)
                {
                    position += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
                    continue;
                }
                final int payloadLength = length - RecordDescriptor.HEADER_LENGTH - SEQUENCE_LENGTH;
                if (payloadLength > into.capacity())
                {
                    return tooSmallFor(payloadLength);
                }
                into.putBytes(0, records, RecordDescriptor.encodedMsgOffset(index) + SEQUENCE_LENGTH, payloadLength);
                // Unclaimed throughout (CLAIM unchanged) means the producers left the record alone throughout.
                if (claim == claimWord())
                {
                    return payloadLength;
                }
                break;
            }
        }
    }

    /** {@link #peek}'s result for a payload of {@code length} bytes that does not fit. */
    private static int tooSmallFor(final int length)
    {
        return EMPTY - 1 - length;
    }

    /** The payload length a {@link #peek} result below {@link #EMPTY} asks room for. */
    public static int neededLength(final int peekResult)
    {
        return EMPTY - 1 - peekResult;
    }

    /** Whether a committed record is at the claim position: a look for waiting consumers. */
    public boolean hasRecord()
    {
        final long position = position(claimWord());
        return records.getIntVolatile(RecordDescriptor.lengthOffset((int)(position & mask))) > 0;
    }

    /**
     * Applies the claim {@code claim} names, if any: a CAS of that row's HELD from tentative to held. Fails harmlessly
     * when the row applied it itself, acknowledged it, or moved on to another claim (HELD values never repeat).
     */
    private void applyNamedClaim(final long claim)
    {
        final int row = row(claim);
        if (row != NO_ROW)
        {
            final long position = position(claim);
            control.compareAndSetLong(rowIndex(row) + heldOffset, position | TENTATIVE, position);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Dead rows, skips and the head

    /**
     * For a row whose thread or process is gone: applies a claim it made and did not apply, clears a tentative claim
     * that never happened, and says what it holds.
     *
     * @return the position after the message it holds, or 0 when it holds nothing.
     */
    public long settleDeadRow(final int row)
    {
        final int heldIndex = rowIndex(row) + heldOffset;
        final long held = control.getLongVolatile(heldIndex);
        if ((held & TENTATIVE) == 0)
        {
            return held;
        }
        final long position = held & ~TENTATIVE;
        if (claimWord() == claimWord(position, row))
        {
            control.compareAndSetLong(heldIndex, held, position);
            return position;
        }
        // CLAIM does not name the row: the claim never happened, or whoever moved CLAIM on applied it first (its
        // CAS of HELD before its CAS of CLAIM, which this thread has seen), and then HELD says so now.
        final long now = control.getLongVolatile(heldIndex);
        if (now == held)
        {
            control.compareAndSetLong(heldIndex, held, 0);
            return 0;
        }
        return now;
    }

    /**
     * The sequence number of the message a row holds, from its hold slot: for raising TAKEN when adopting what a dead
     * consumer held.
     */
    public long heldSequence(final int row)
    {
        return holds.getLong(holdIndex(row));
    }

    /** Raises TAKEN to {@code sequence}; never lowers it. */
    public void raiseTaken(final long sequence)
    {
        raise(control, takenIndex, sequence);
    }

    /**
     * With producers stopped (the put lock held) and the record at the claim position damaged: moves CLAIM to
     * {@code tail} and counts every message up to {@code published} as taken. TAKEN first: a process killed between
     * the two leaves a queue that reports the damage again and loses nothing more on the next skip.
     */
    public void skipTo(final long tail, final long published)
    {
        raiseTaken(published);
        while (true)
        {
            final long claim = claimWord();
            if (position(claim) >= tail)
            {
                return;
            }
            applyNamedClaim(claim);
            if (control.compareAndSetLong(claimIndex, claim, claimWord(tail, NO_ROW)))
            {
                raiseHead(tail);
                return;
            }
        }
    }

    /** Raises the ring's head to the claim position (the room of everything claimed): for a producer with no room. */
    public void raiseHeadToClaims()
    {
        raiseHead(position(claimWord()));
    }

    private void raiseHeadWhenLagging(final long position)
    {
        if (position - records.getLongVolatile(headIndex) >= headLag)
        {
            raiseHead(position);
        }
    }

    /** Raises the head to {@code position}; never lowers it. Producers reuse the room it passes. */
    private void raiseHead(final long position)
    {
        raise(records, headIndex, position);
    }

    /** Raises the long at {@code index} to {@code value} by CAS (a full fence); never lowers it. */
    private static void raise(final AtomicBuffer buffer, final int index, final long value)
    {
        while (true)
        {
            final long current = buffer.getLongVolatile(index);
            if (current >= value || buffer.compareAndSetLong(index, current, value))
            {
                return;
            }
        }
    }

    /** What is wrong with a committed record, or null. */
    private String problem(final int index, final int length)
    {
        final int extent = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        if (length < RecordDescriptor.HEADER_LENGTH || extent > capacity - index)
        {
            return "has length " + length + ", which does not fit the ring's " + capacity + " bytes";
        }
        final int type = records.getInt(RecordDescriptor.typeOffset(index));
        if (type == MESSAGE_TYPE)
        {
            final int messageLength = length - RecordDescriptor.HEADER_LENGTH;
            if (messageLength < SEQUENCE_LENGTH || messageLength > holdLength)
            {
                return "is a message of " + messageLength + " bytes, not between the " + SEQUENCE_LENGTH +
                    " of its sequence number and the ring's limit of " + holdLength;
            }
        }
        else if (type != RingBuffer.PADDING_MSG_TYPE_ID)
        {
            return "has type " + type + ", neither a message nor padding";
        }
        return null;
    }

    private int rowIndex(final int row)
    {
        return rowsIndex + row * rowLength;
    }

    private int holdIndex(final int row)
    {
        return row * holdLength;
    }

    /** The number of rows. */
    public int rows()
    {
        return rows;
    }
}
