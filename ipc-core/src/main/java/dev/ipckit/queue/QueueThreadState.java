package dev.ipckit.queue;

import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import net.openhft.chronicle.bytes.Bytes;

/**
 * What one thread uses of the queue: its encode/decode scratch, its wait and its consumer row, and what its transport
 * keeps per thread ({@link JournalQueueThreadState}: Chronicle's appender and tailers, single-thread objects;
 * {@link RingQueueThreadState}: a view of the ring's bytes). Created on the thread's first call; closed with the
 * queue. The methods marked "under the put lock" or "under the claim lock" are called only with that lock held.
 */
abstract class QueueThreadState<E>
{
    /** What {@link #append} returns when there is no room for the message now. */
    static final long NO_ROOM = -1;

    final SharedQueue<E> queue;
    final Thread thread = Thread.currentThread();
    /** The encoded message being put, or the copy of the message being taken; see {@link #trimScratch}. */
    Bytes<?> scratch;
    final TimedWait timedWait;
    int row = -1;
    private long lastCheckNanos = System.nanoTime() - SharedQueue.CHECK_INTERVAL_NANOS;
    private int callsSinceClock = SharedQueue.CALLS_PER_CLOCK_READ; // a thread's first call checks

    /** On the thread it serves. */
    QueueThreadState(final SharedQueue<E> queue)
    {
        this.queue = queue;
        this.scratch = newScratch();
        this.timedWait =
            new TimedWait(queue.options.waitStrategy().newIdleStrategy(), queue.options.waitStrategy().isBusySpin());
    }

    /** A new, small scratch buffer of the kind the transport copies to and from. */
    abstract Bytes<?> newScratch();

    /** The largest message, encoded, the transport carries. */
    abstract int maxMessageBytes();

    /** Why {@link #maxMessageBytes()} is what it is, for the error a larger message gets. */
    abstract String maxMessageReason();

    /**
     * Whether to look for messages of dead consumers and for a dead producer now: every
     * {@link SharedQueue#CHECK_INTERVAL_NANOS}, reading the clock on every call while waiting, and every
     * {@link SharedQueue#CALLS_PER_CLOCK_READ} calls while messages keep coming.
     */
    final boolean checkDue(final boolean waiting)
    {
        if (!waiting && ++callsSinceClock < SharedQueue.CALLS_PER_CLOCK_READ)
        {
            return false;
        }
        callsSinceClock = 0;
        final long now = System.nanoTime();
        if (now - lastCheckNanos < SharedQueue.CHECK_INTERVAL_NANOS)
        {
            return false;
        }
        lastCheckNanos = now;
        return true;
    }

    /**
     * Whether {@link #claim} without {@code adopt} and {@link #peek} need no claim lock (the ring's claims are a CAS).
     */
    boolean claimsWithoutLock()
    {
        return false;
    }

    /**
     * Without the claim lock: whether the transport has something past what this thread last saw (claimed or not),
     * read where a bare consumer of the transport would look, without touching the producers' counters.
     */
    abstract boolean hasMore();

    final Bytes<?> encode(final E message)
    {
        // The write limit stops a message too large for the transport before the scratch grows to hold it.
        scratch.clear().writeLimit(maxMessageBytes());
        try
        {
            queue.codec.encode(message, scratch);
        }
        catch (final RuntimeException ex)
        {
            trimScratch();
            if (Journal.isOverLimit(ex))
            {
                throw Journal.tooLarge("queue '" + queue.name() + "'", Journal.describe(message), maxMessageBytes(),
                    maxMessageReason());
            }
            throw new IllegalArgumentException("queue '" + queue.name() + "' cannot encode a " +
                message.getClass().getName() + " with " + queue.codec + ": " + ex.getMessage(), ex);
        }
        return scratch;
    }

    /**
     * Under the put lock: appends the encoded message.
     *
     * @return where the transport is after it, for {@link QueueControl#recordPut} (a journal index, a ring tail;
     * positive), or {@link #NO_ROOM} when nothing was written (the ring is full, or Chronicle's write lock could not be
     * had): the caller waits and tries again.
     */
    abstract long append(Bytes<?> payload);

    /**
     * Under the put lock, after taking it over from a dead producer: finishes or undoes what it left.
     *
     * @return true when something was repaired.
     */
    abstract boolean repairPut();

    final E decode()
    {
        try
        {
            return queue.codec.decode(scratch);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("queue '" + queue.name() + "': cannot decode a message with " + queue.codec +
                ": " + ex.getMessage(), ex);
        }
        finally
        {
            trimScratch();
        }
    }

    /** Lets go of a scratch buffer a big message grew, so the thread does not keep its size. */
    final void trimScratch()
    {
        if (scratch.realCapacity() > SharedQueue.SCRATCH_TRIM_BYTES)
        {
            scratch.releaseLast();
            scratch = newScratch();
        }
    }

    final void acknowledge()
    {
        if (row >= 0)
        {
            queue.control.acknowledge(row);
        }
    }

    /**
     * Under the claim lock (unless {@link #claimsWithoutLock} and not {@code adopt}): claims a message held by a dead
     * consumer (when {@code adopt}), else the next one, and copies it into the scratch for {@link #decode}.
     *
     * @return whether a message was claimed.
     */
    abstract boolean claim(boolean adopt);

    /**
     * Under the claim lock, after {@link #claim} found nothing: reads once more where the counters say messages are
     * pending, and reports damage when there is still nothing.
     *
     * @return whether a message was claimed.
     * @throws QueueDamagedException when the transport cannot be read where the pending messages should be.
     */
    abstract boolean claimOrReportDamage();

    /**
     * Under the claim lock (unless {@link #claimsWithoutLock}): copies the next unclaimed message into the scratch
     * without claiming it.
     */
    abstract boolean peek();

    /** {@link #claimOrReportDamage} for {@link SharedQueue#peek}. */
    abstract boolean peekOrReportDamage();

    /** Under the claim lock (and for a ring, the put lock): see {@link SharedQueue#skipDamaged()}. */
    abstract long skipDamaged();

    final void ensureRow()
    {
        if (row < 0)
        {
            row = queue.control.acquireRow(ProcessIdentity.current(), thread.getId());
            if (row < 0 && queue.releaseRowsOfEndedThreads() > 0)
            {
                row = queue.control.acquireRow(ProcessIdentity.current(), thread.getId());
            }
            if (row < 0)
            {
                throw new IllegalStateException("queue '" + queue.name() + "': all " + queue.control.rows() +
                    " consumer rows are in use by live threads; create the queue with a larger " +
                    "QueueOptions.withMaxConsumers");
            }
        }
    }

    /** Frees the row (what it holds counts as acknowledged) and what the transport keeps for this thread. */
    void close()
    {
        if (row >= 0)
        {
            queue.control.releaseRow(row);
            row = -1;
        }
        if (scratch.refCount() > 0)
        {
            scratch.releaseLast();
        }
    }
}
