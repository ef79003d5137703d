package dev.ipckit.queue;

import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.internal.WaiterTable;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.queue.internal.RingClaims;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;

/**
 * The control block of a {@link SharedQueue} in its control region: what turns Chronicle's broadcast journal into a
 * queue with competing consumers.
 * <pre>
 * Line 0: producers, written under the put lock
 *   0    PUBLISHED      long  messages appended, ever. Release store after the append is recorded; consumers and
 *                             size() read it with acquire.
 *   8    PUT_SEQUENCE   long  the PUBLISHED value an append in progress will store (redo record, see below)
 *   16   PUT_INDEX      long  journal index of the last recorded append
 * Line 1: consumers, written under the claim lock
 *   64   CURSOR         long  journal index of the last claimed message, 0 before the first claim; with a ring, the
 *                             claim word (RingClaims), CAS
 *   72   TAKEN          long  messages claimed, ever. Release store; read with acquire outside the lock. With a
 *                             ring, the highest sequence number claimed, raised by CAS
 *   80   REDELIVERED    long  messages delivered again because the consumer holding them died
 *   88   CLAIM_PENDING  int   1 while a claim's redo record (the next three words) is valid
 *   92   CLAIM_ROW      int   row of the claim in progress; SKIP_ROW (-1) for a skip past damage
 *   96   CLAIM_INDEX    long  journal index being claimed
 *   104  CLAIM_TAKEN    long  TAKEN after the claim
 * Line 2
 *   128  DONE           long  JoinableQueue: taskDone calls, ever; CAS
 *   136  DAMAGED_AT     long  journal index a consumer found unreadable with messages pending, 0 for none: set
 *                             (release) when a read reports damage, cleared by skipDamaged; size() reads it
 * Line 3: configuration, written once by the creator before the region entry is published, and the shutdown state
 *   192  CAPACITY       long  0 for unbounded
 *   200  ROWS           int   number of consumer rows
 *   204  FLAGS          int   FLAG_JOINABLE, FLAG_RING, FLAG_CLAIM_WORD (set with FLAG_RING: records carry sequence
 *                             numbers and consumers claim by the claim word; a ring without it is an older
 *                             ipckit's and is refused); no other bit may be set
 *   208  SHUTDOWN       int   OPEN, SHUT_DOWN or SHUT_DOWN_IMMEDIATELY; one release store, which only ever raises it
 *   212  RING_CAPACITY  int   with FLAG_RING, the ring's capacity in bytes (see QueueRing); 0 without
 * From 256: consumer rows, ROW_LENGTH bytes each, written under the claim lock (HELD is also cleared by its owner
 * without the lock: an acknowledgement)
 *   0    OWNER          long  ProcessIdentity of the consuming process, 0 when free
 *   8    THREAD         long  id of the consuming thread
 *   16   HELD           long  journal index of the message delivered to it and not yet acknowledged, 0 for none;
 *                             with a ring, the ring position after that message (never 0), | TENTATIVE while
 *                             claiming it (written by the claiming consumer, applied by CAS by others: RingClaims)
 *   24   HELD_LENGTH    int   with a ring, the length of the held message with its sequence number, a copy of which
 *                             is in the row's hold slot
 *   28   (reserved)
 * </pre>
 * <b>The ring transport.</b> With FLAG_RING the messages are in a {@link QueueRing} instead of a journal. Producers
 * keep the words above with ring positions for journal indices (PUT_INDEX is the ring's tail after the last recorded
 * put). Consumers claim without the claim lock and without the redo record ({@link RingClaims}): CURSOR is the claim
 * word (the position of the next message and the row whose claim may still need applying), TAKEN the highest
 * sequence number claimed (raised by CAS), a row's HELD the position after the message it holds, marked TENTATIVE
 * while its claim may not have happened, and a copy of that message is in the row's hold slot: once claimed a
 * producer may overwrite it, and a message held by a dead consumer is redelivered from there. The claim lock still
 * orders adoptions of what dead consumers held and skips past damage.
 * Process death: every update of several words is made redoable. A claim writes its redo record (CLAIM_ROW,
 * CLAIM_INDEX, CLAIM_TAKEN), then CLAIM_PENDING = 1 (the commit point), then applies it (row HELD, CURSOR, TAKEN)
 * and clears CLAIM_PENDING; whoever takes the claim lock over from a dead holder re-applies a pending record, which
 * is idempotent. A skip past damage ({@link #skip}) uses the same record with CLAIM_ROW = SKIP_ROW: CURSOR, TAKEN and
 * DAMAGED_AT. A put appends to the journal, then stores PUT_SEQUENCE, PUT_INDEX and PUBLISHED in that order;
 * whoever takes the put lock over from a dead holder compares the journal's last index with PUT_INDEX to learn
 * whether the append happened (see {@link #repairPut}). A killed process's stores up to the kill are all visible to
 * the next lock holder (the kill and the takeover CAS order them), so the redo logic sees a prefix of program order.
 */
final class QueueControl
{
    static final int PUBLISHED_OFFSET = 0;
    static final int PUT_SEQUENCE_OFFSET = 8;
    static final int PUT_INDEX_OFFSET = 16;
    static final int CURSOR_OFFSET = 64;
    static final int TAKEN_OFFSET = 72;
    static final int REDELIVERED_OFFSET = 80;
    static final int CLAIM_PENDING_OFFSET = 88;
    static final int CLAIM_ROW_OFFSET = 92;
    static final int CLAIM_INDEX_OFFSET = 96;
    static final int CLAIM_TAKEN_OFFSET = 104;
    static final int DONE_OFFSET = 128;
    static final int DAMAGED_AT_OFFSET = 136;
    static final int CAPACITY_OFFSET = 192;
    static final int ROWS_OFFSET = 200;
    static final int FLAGS_OFFSET = 204;
    static final int SHUTDOWN_OFFSET = 208;
    static final int RING_CAPACITY_OFFSET = 212;
    static final int ROWS_START = 256;

    static final int ROW_OWNER_OFFSET = 0;
    static final int ROW_THREAD_OFFSET = 8;
    static final int ROW_HELD_OFFSET = 16;
    static final int ROW_HELD_LENGTH_OFFSET = 24;
    static final int ROW_LENGTH = 32;

    static final int FLAG_JOINABLE = 1;
    static final int FLAG_RING = 2;
    static final int FLAG_CLAIM_WORD = 4;
    static final int KNOWN_FLAGS = FLAG_JOINABLE | FLAG_RING | FLAG_CLAIM_WORD;

    /** SHUTDOWN: the queue takes messages. */
    static final int OPEN = 0;
    /** SHUTDOWN: puts fail; consumers take what is left, then fail. */
    static final int SHUT_DOWN = 1;
    /** SHUTDOWN: puts fail; what is left is dropped (never delivered), consumers fail at once. */
    static final int SHUT_DOWN_IMMEDIATELY = 2;

    /** CLAIM_ROW of a redo record that is a {@link #skip} past damage, not a claim for a row. */
    static final int SKIP_ROW = -1;

    /** Journal index meaning "none": Chronicle's indices of real excerpts are positive. */
    static final long NONE = 0;

    private final AtomicBuffer buffer;
    private final int offset;
    private final int rows;
    private final Path path;
    private final WaiterTable waiters;
    /** The queue's ring with the ring transport, null with the journal. */
    private final QueueRing ring;

    QueueControl(final SharedRegion region, final RegionEntry entry)
    {
        this.path = region.path();
        this.buffer = region.buffer();
        this.waiters = region.waiters();
        this.offset = entry.offset();
        // Checked against the block's length: a damaged ROWS never places a row outside the block.
        this.rows = RegionChecks.intInRange(region.path(), "queue control ROWS", buffer.getInt(offset + ROWS_OFFSET),
            1, (int)((entry.length() - ROWS_START) / ROW_LENGTH));
        final int flags = buffer.getInt(offset + FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            throw new IllegalStateException("queue region " + path + " is damaged or from a newer ipckit: its control " +
                "block's FLAGS word is " + flags + " (known bits: " + KNOWN_FLAGS + ")");
        }
        final int ringCapacity = buffer.getInt(offset + RING_CAPACITY_OFFSET);
        if ((flags & FLAG_RING) != 0)
        {
            if ((flags & FLAG_CLAIM_WORD) == 0)
            {
                throw new IllegalStateException("queue region " + path + " is a ring queue made by an older ipckit " +
                    "(its records carry no sequence numbers, its consumers claim under a lock): this one cannot share " +
                    "it. Let the processes of the older version finish, and create the queue again");
            }
            try
            {
                PipeOptions.checkRingCapacity(ringCapacity);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalStateException("queue region " + path + " is damaged: its control block's " +
                    "RING_CAPACITY: " + ex.getMessage(), ex);
            }
            // Handed this block for the pending count of a damage report, which it reads only later.
            this.ring = QueueRing.attach(region, ringCapacity, rows, this, buffer, offset);
        }
        else if ((flags & FLAG_CLAIM_WORD) != 0)
        {
            throw new IllegalStateException("queue region " + path + " is damaged: its control block's FLAGS word " +
                "marks a claim word but no ring");
        }
        else if (ringCapacity != 0)
        {
            throw new IllegalStateException("queue region " + path + " is damaged: its control block records a ring " +
                "capacity of " + ringCapacity + " bytes but no ring");
        }
        else
        {
            this.ring = null;
        }
    }

    static int length(final int rows)
    {
        return ROWS_START + rows * ROW_LENGTH;
    }

    /**
     * @param ringCapacity the ring's capacity in bytes with the ring transport (its objects already allocated), 0 with
     *                     the journal.
     */
    static void initialize(
        final AtomicBuffer buffer, final int offset, final long capacity, final int rows, final boolean joinable,
        final int ringCapacity)
    {
        buffer.putLong(offset + CAPACITY_OFFSET, capacity);
        buffer.putInt(offset + ROWS_OFFSET, rows);
        buffer.putInt(offset + FLAGS_OFFSET,
            (joinable ? FLAG_JOINABLE : 0) | (ringCapacity != 0 ? FLAG_RING | FLAG_CLAIM_WORD : 0));
        buffer.putInt(offset + RING_CAPACITY_OFFSET, ringCapacity);
    }

    /** @return the queue's ring, or null with the journal transport. */
    QueueRing ring()
    {
        return ring;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration

    long capacity()
    {
        return buffer.getLong(offset + CAPACITY_OFFSET);
    }

    int rows()
    {
        return rows;
    }

    boolean isJoinable()
    {
        return (buffer.getInt(offset + FLAGS_OFFSET) & FLAG_JOINABLE) != 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shutdown: one word, so a process killed while shutting a queue down leaves it open or shut, never half

    /**
     * The shutdown state, with acquire: a consumer that sees it also sees every put counted before it.
     *
     * @return {@link #OPEN}, {@link #SHUT_DOWN} or {@link #SHUT_DOWN_IMMEDIATELY}.
     * @throws dev.ipckit.memory.RegionException CORRUPT when the word holds anything else.
     */
    int shutdownState()
    {
        return RegionChecks.intInRange(path, "queue control SHUTDOWN", buffer.getIntVolatile(offset + SHUTDOWN_OFFSET),
            OPEN, SHUT_DOWN_IMMEDIATELY);
    }

    /** Whether the SHUTDOWN word is set, unchecked: for {@code toString}, which must not throw. */
    boolean shutdownRequested()
    {
        return buffer.getIntVolatile(offset + SHUTDOWN_OFFSET) != OPEN;
    }

    /**
     * Raises the shutdown state to {@code state}; never lowers it (an immediate shutdown stays immediate).
     *
     * @param state {@link #SHUT_DOWN} or {@link #SHUT_DOWN_IMMEDIATELY}.
     */
    void shutDown(final int state)
    {
        while (true)
        {
            final int current = shutdownState();
            if (current >= state)
            {
                return;
            }
            if (buffer.compareAndSetInt(offset + SHUTDOWN_OFFSET, current, state))
            {
                waiters.wake(offset);
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Waiters asleep in Waiting.any until a take would not block (key: the block's offset)

    /** @return whether the region's waiter table took the bell (see {@link WaiterTable#add}). */
    boolean ringWhenReady(final int bell)
    {
        return waiters.add(offset, bell);
    }

    void stopRinging(final int bell)
    {
        waiters.remove(offset, bell);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Counters read without a lock

    long published()
    {
        return buffer.getLongVolatile(offset + PUBLISHED_OFFSET);
    }

    long taken()
    {
        return buffer.getLongVolatile(offset + TAKEN_OFFSET);
    }

    long done()
    {
        return buffer.getLongVolatile(offset + DONE_OFFSET);
    }

    long redelivered()
    {
        return buffer.getLongVolatile(offset + REDELIVERED_OFFSET);
    }

    /** Messages put and not yet claimed; never negative; 0 once shut down immediately (the rest is dropped). */
    long size()
    {
        if (buffer.getIntVolatile(offset + SHUTDOWN_OFFSET) == SHUT_DOWN_IMMEDIATELY)
        {
            return 0;
        }
        // TAKEN first: it only grows, and a claim never overtakes the PUBLISHED that preceded it, so reading it
        // before PUBLISHED keeps the difference from going below zero except across a producer's repair.
        final long taken = taken();
        return Math.max(0, published() - taken);
    }

    boolean isFull()
    {
        final long capacity = capacity();
        return capacity > 0 && published() - taken() >= capacity;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producers, under the put lock

    /** Under the put lock: the sequence number the next put will count (a ring stamps it on the message). */
    long nextSequence()
    {
        return buffer.getLong(offset + PUBLISHED_OFFSET) + 1;
    }

    /** Records an append at {@code index}; the PUBLISHED store releases it to lock-free readers. */
    void recordPut(final long index)
    {
        final long next = buffer.getLong(offset + PUBLISHED_OFFSET) + 1;
        buffer.putLong(offset + PUT_SEQUENCE_OFFSET, next);
        buffer.putLong(offset + PUT_INDEX_OFFSET, index);
        buffer.putLongOrdered(offset + PUBLISHED_OFFSET, next);
        waiters.wake(offset);
    }

    /**
     * After taking the put lock over from a dead producer: finishes what it recorded, or records the append it
     * made but did not record.
     *
     * @param journalLastIndex the journal's last complete index.
     * @return true when something was repaired.
     */
    boolean repairPut(final long journalLastIndex)
    {
        final long published = buffer.getLong(offset + PUBLISHED_OFFSET);
        if (journalLastIndex > buffer.getLong(offset + PUT_INDEX_OFFSET))
        {
            // The dead producer appended and died before storing PUT_INDEX (so before PUBLISHED too).
            buffer.putLong(offset + PUT_SEQUENCE_OFFSET, published + 1);
            buffer.putLong(offset + PUT_INDEX_OFFSET, journalLastIndex);
            buffer.putLongOrdered(offset + PUBLISHED_OFFSET, published + 1);
            waiters.wake(offset);
            return true;
        }
        final long sequence = buffer.getLong(offset + PUT_SEQUENCE_OFFSET);
        if (sequence == published + 1)
        {
            // It stored PUT_INDEX but died before PUBLISHED.
            buffer.putLongOrdered(offset + PUBLISHED_OFFSET, sequence);
            waiters.wake(offset);
            return true;
        }
        return false;
    }

    /**
     * {@link #repairPut} for the ring: after taking the put lock over from a dead producer, turns what it left
     * uncommitted in the ring into padding ({@link QueueRing#repairPut}) and counts a message it committed and did
     * not count.
     *
     * @return true when something was repaired.
     */
    boolean repairRingPut()
    {
        final long published = buffer.getLong(offset + PUBLISHED_OFFSET);
        final long recordedTail = buffer.getLong(offset + PUT_INDEX_OFFSET);
        final long tail = ring.tail();
        if (ring.repairPut(recordedTail))
        {
            // A committed message past the recorded tail: the dead producer died before storing PUT_INDEX.
            buffer.putLong(offset + PUT_SEQUENCE_OFFSET, published + 1);
            buffer.putLong(offset + PUT_INDEX_OFFSET, tail);
            buffer.putLongOrdered(offset + PUBLISHED_OFFSET, published + 1);
            waiters.wake(offset);
            return true;
        }
        // Later walks start after the padding made here (or after a live producer's padding that found no room).
        buffer.putLong(offset + PUT_INDEX_OFFSET, tail);
        final long sequence = buffer.getLong(offset + PUT_SEQUENCE_OFFSET);
        if (sequence == published + 1)
        {
            // It stored PUT_INDEX but died before PUBLISHED.
            buffer.putLongOrdered(offset + PUBLISHED_OFFSET, sequence);
            waiters.wake(offset);
            return true;
        }
        return tail != recordedTail;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consumers, under the claim lock

    long cursor()
    {
        return buffer.getLong(offset + CURSOR_OFFSET);
    }

    /** Claims {@code index} for {@code row}: redo record, commit point, apply, clear. */
    void claim(final int row, final long index)
    {
        final long taken = buffer.getLong(offset + TAKEN_OFFSET) + 1;
        buffer.putInt(offset + CLAIM_ROW_OFFSET, row);
        buffer.putLong(offset + CLAIM_INDEX_OFFSET, index);
        buffer.putLong(offset + CLAIM_TAKEN_OFFSET, taken);
        buffer.putIntOrdered(offset + CLAIM_PENDING_OFFSET, 1);
        applyClaim(row, index, taken);
        buffer.putIntOrdered(offset + CLAIM_PENDING_OFFSET, 0);
    }

    private void applyClaim(final int row, final long index, final long taken)
    {
        if (row == SKIP_ROW)
        {
            // A skip past damage: no row holds the index, and the damage mark goes with it.
            buffer.putLong(offset + CURSOR_OFFSET, index);
            CreationSteps.reached(CreationSteps.QUEUE_SKIP_CURSOR_MOVED);
            buffer.putLongOrdered(offset + TAKEN_OFFSET, taken);
            buffer.putLongOrdered(offset + DAMAGED_AT_OFFSET, NONE);
            return;
        }
        buffer.putLongOrdered(rowOffset(row) + ROW_HELD_OFFSET, index);
        buffer.putLong(offset + CURSOR_OFFSET, index);
        buffer.putLongOrdered(offset + TAKEN_OFFSET, taken);
    }

    /** Applies the pending redo record and clears it. */
    private void applyPending()
    {
        // Checked before it places a write: a damaged CLAIM_ROW never writes outside the rows.
        applyClaim(
            RegionChecks.intInRange(path, "queue control CLAIM_ROW", buffer.getInt(offset + CLAIM_ROW_OFFSET),
                SKIP_ROW, rows - 1),
            buffer.getLong(offset + CLAIM_INDEX_OFFSET),
            buffer.getLong(offset + CLAIM_TAKEN_OFFSET));
        buffer.putIntOrdered(offset + CLAIM_PENDING_OFFSET, 0);
    }

    /**
     * After taking the claim lock over from a dead consumer: re-applies its pending claim.
     *
     * @return true when a claim was completed.
     */
    boolean repairClaim()
    {
        if (buffer.getInt(offset + CLAIM_PENDING_OFFSET) == 0)
        {
            return false;
        }
        applyPending();
        return true;
    }

    /**
     * Takes a free row, or one whose process died holding nothing, for the calling thread.
     *
     * @return the row, or -1 when every row is in use.
     */
    int acquireRow(final long owner, final long threadId)
    {
        for (int row = 0; row < rows; row++)
        {
            final int rowOffset = rowOffset(row);
            final long current = buffer.getLong(rowOffset + ROW_OWNER_OFFSET);
            if (current == ProcessIdentity.NONE || (!ProcessIdentity.isAlive(current) && deadRowHeld(row) == NONE))
            {
                buffer.putLong(rowOffset + ROW_THREAD_OFFSET, threadId);
                buffer.putLongOrdered(rowOffset + ROW_HELD_OFFSET, NONE);
                buffer.putLongOrdered(rowOffset + ROW_OWNER_OFFSET, owner);
                return row;
            }
        }
        return -1;
    }

    /** Frees a row of this process (closing a view): what it holds counts as acknowledged. */
    void releaseRow(final int row)
    {
        final int rowOffset = rowOffset(row);
        buffer.putLongOrdered(rowOffset + ROW_HELD_OFFSET, NONE);
        buffer.putLong(rowOffset + ROW_THREAD_OFFSET, 0);
        buffer.putLongOrdered(rowOffset + ROW_OWNER_OFFSET, ProcessIdentity.NONE);
    }

    /** Acknowledges what a row holds; by its owner, with or without the claim lock. */
    void acknowledge(final int row)
    {
        buffer.putLongOrdered(rowOffset(row) + ROW_HELD_OFFSET, NONE);
    }

    /**
     * With a ring: the length of the message a row holds, checked against its hold slot.
     *
     * @throws IllegalStateException when a damaged word says more than the slot holds.
     */
    int heldLength(final int row)
    {
        final int length = buffer.getInt(rowOffset(row) + ROW_HELD_LENGTH_OFFSET);
        if (length < 0 || length > ring.holdLength())
        {
            throw new IllegalStateException("queue region " + path + " is damaged: consumer row " + row + " holds a " +
                "message of " + length + " bytes, its hold slot " + ring.holdLength());
        }
        return length;
    }

    long held(final int row)
    {
        return buffer.getLongVolatile(rowOffset(row) + ROW_HELD_OFFSET);
    }

    long rowOwner(final int row)
    {
        return buffer.getLongVolatile(rowOffset(row) + ROW_OWNER_OFFSET);
    }

    /**
     * Finds a message held by a consumer whose process died and moves it to {@code toRow}; frees the dead rows it
     * passes that hold nothing.
     *
     * @return the orphaned message's index, or {@link #NONE}.
     */
    long adoptOrphan(final int toRow)
    {
        for (int row = 0; row < rows; row++)
        {
            final int rowOffset = rowOffset(row);
            final long owner = buffer.getLong(rowOffset + ROW_OWNER_OFFSET);
            if (owner == ProcessIdentity.NONE || row == toRow || ProcessIdentity.isAlive(owner))
            {
                continue;
            }
            final long held = deadRowHeld(row);
            if (held != NONE)
            {
                // Move first, then free: a death between the two leaves the message held twice, delivered again
                // at most once more (at-least-once), never lost. With a ring the copy moves first, then its length,
                // then HELD (release) makes it the row's; TAKEN is raised to its sequence number, in case the dead
                // consumer died before it did.
                if (ring != null)
                {
                    final int length = heldLength(row);
                    ring.moveHeld(row, toRow, length);
                    buffer.putInt(rowOffset(toRow) + ROW_HELD_LENGTH_OFFSET, length);
                    ring.claims.raiseTaken(ring.claims.heldSequence(row));
                }
                buffer.putLongOrdered(rowOffset(toRow) + ROW_HELD_OFFSET, held);
                buffer.putLongOrdered(offset + REDELIVERED_OFFSET, buffer.getLong(offset + REDELIVERED_OFFSET) + 1);
            }
            buffer.putLongOrdered(rowOffset + ROW_HELD_OFFSET, NONE);
            buffer.putLongOrdered(rowOffset + ROW_OWNER_OFFSET, ProcessIdentity.NONE);
            if (held != NONE)
            {
                return held;
            }
        }
        return NONE;
    }

    /**
     * What a row whose thread or process is gone holds; with a ring, a claim it made and did not apply is applied
     * first, and a tentative one that never happened is cleared ({@link RingClaims#settleDeadRow}).
     */
    private long deadRowHeld(final int row)
    {
        return ring != null ? ring.claims.settleDeadRow(row) : buffer.getLongVolatile(rowOffset(row) + ROW_HELD_OFFSET);
    }

    /** The oldest index still held by some row, or {@link #NONE}. */
    long oldestHeld()
    {
        long oldest = NONE;
        for (int row = 0; row < rows; row++)
        {
            final long held = held(row);
            if (held != NONE && (oldest == NONE || held < oldest))
            {
                oldest = held;
            }
        }
        return oldest;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Damage

    /**
     * Journal index of the last recorded append, {@link #NONE} before the first. A volatile read: the put lock's
     * holder (the producer repair) and consumers judging damage outside it both read it.
     */
    long putIndex()
    {
        return buffer.getLongVolatile(offset + PUT_INDEX_OFFSET);
    }

    /** The journal index a consumer found unreadable, or {@link #NONE}. */
    long damagedAt()
    {
        return buffer.getLongVolatile(offset + DAMAGED_AT_OFFSET);
    }

    /** Records that {@code index} cannot be read although messages are pending. */
    void markDamaged(final long index)
    {
        buffer.putLongOrdered(offset + DAMAGED_AT_OFFSET, index);
        waiters.wake(offset);
    }

    /**
     * Under the claim lock: moves the cursor past a damaged stretch and counts its {@code lost} messages as taken,
     * so the counters agree with what can be read. Redoable like a claim: the redo record names no row
     * ({@link #SKIP_ROW}), so a consumer killed between the stores leaves a record the next claim-lock holder
     * re-applies (CURSOR, TAKEN and the cleared DAMAGED_AT together).
     */
    void skip(final long newCursor, final long lost)
    {
        recordSkip(newCursor, lost);
        CreationSteps.reached(CreationSteps.QUEUE_SKIP_RECORDED);
        applyPending();
    }

    /** The first half of {@link #skip}: the redo record and its commit point. */
    void recordSkip(final long newCursor, final long lost)
    {
        buffer.putInt(offset + CLAIM_ROW_OFFSET, SKIP_ROW);
        buffer.putLong(offset + CLAIM_INDEX_OFFSET, newCursor);
        buffer.putLong(offset + CLAIM_TAKEN_OFFSET, buffer.getLong(offset + TAKEN_OFFSET) + lost);
        buffer.putIntOrdered(offset + CLAIM_PENDING_OFFSET, 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // JoinableQueue

    /**
     * Counts one finished task.
     *
     * @throws IllegalStateException when every taken message was already counted done.
     */
    void taskDone(final String queueName)
    {
        while (true)
        {
            final long done = done();
            if (done >= taken())
            {
                throw new IllegalStateException("taskDone() called more times than messages were taken from queue '" +
                    queueName + "' (" + done + " done, " + taken() + " taken)");
            }
            if (buffer.compareAndSetLong(offset + DONE_OFFSET, done, done + 1))
            {
                return;
            }
        }
    }

    /**
     * Messages put and not yet counted done; once shut down immediately, only those taken and not yet done (the
     * dropped ones are never done, and {@code join} does not wait for them).
     */
    long unfinished()
    {
        final long done = done();
        final long counted = buffer.getIntVolatile(offset + SHUTDOWN_OFFSET) == SHUT_DOWN_IMMEDIATELY ?
            taken() : published();
        return Math.max(0, counted - done);
    }

    private int rowOffset(final int row)
    {
        return offset + ROWS_START + row * ROW_LENGTH;
    }
}
