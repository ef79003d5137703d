package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.WaitStrategy;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving side of a {@link Connection}, whatever carries its messages: the receive lock, the wait, the
 * end-of-stream check and the hand-over of what a look found. {@link JournalPipeReader} reads a Chronicle journal,
 * {@link RingPipeReader} an Agrona ring in the pipe's region.
 * <p>
 * End of stream: a look that finds no message checks whether the peer closed its end (an acquire load of the flag
 * the peer stored with release after its last message was complete) or whether the peer's owner process died; if
 * so it looks once more, and only then reports the end, so every message completed before is read first. A message
 * a dead peer left half-written is never returned: it ends in end of stream, not a hang. Liveness reads
 * {@code /proc}, so it is checked at most every {@link Connection#LIVENESS_CHECK_MILLIS} ms per connection, and a
 * peer process seen dead stays dead.
 * <p>
 * Locking: each look holds the receive lock, and a waiter releases it while it idles. A look that finds a message,
 * or the end of the stream, returns with the lock still held, so the caller takes the result ({@link #take},
 * {@link #takeLength}, {@link #unlock}) before another thread reads; a look that finds nothing releases it.
 */
abstract class PipeReader
{
    // What a look does with a message.
    static final int OBJECT = 0;
    static final int BYTES = 1;
    static final int INTO = 2;
    static final int PEEK = 3;

    // What a look found; zero or more is a message's length.
    static final int NO_MESSAGE = -1;
    static final int PEER_GONE = -2;
    static final int TOO_SHORT = -3;

    static final long FOREVER = Long.MAX_VALUE;

    /** How many empty looks a receiver makes between two reads of the clock for the peer's liveness check. */
    static final int LOOKS_PER_CLOCK_READ = 64;

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(Connection.LIVENESS_CHECK_MILLIS);

    final Connection connection;
    final PipeLink link;
    final PipeControl control;
    final int end;
    final int peer;
    final Codec<Object> codec;
    private final WaitStrategy waitStrategy;
    final ReentrantLock lock = new ReentrantLock();

    /** The wait of a receive, kept for the next one: a receive that waits allocates nothing after the first. */
    private final AtomicReference<TimedWait> spareWait = new AtomicReference<>();

    // Guarded by lock.
    /** What the last look consumed: the decoded object or the copied bytes, until taken. */
    Object received;
    private int looksSinceClockRead;
    private long lastLivenessCheck = System.nanoTime() - LIVENESS_CHECK_NANOS;
    private long deadPeer = ProcessIdentity.NONE;

    PipeReader(
        final Connection connection, final PipeLink link, final int end, final Codec<Object> codec,
        final WaitStrategy waitStrategy)
    {
        this.connection = connection;
        this.link = link;
        this.control = link.control;
        this.end = end;
        this.peer = PipeControl.peer(end);
        this.codec = codec;
        this.waitStrategy = waitStrategy;
    }

    /**
     * Looks once for the next message, under the lock: {@link #NO_MESSAGE}, or the message's length after consuming
     * it as {@code mode} says ({@link #TOO_SHORT} for {@link #INTO} when it does not fit: it is consumed into
     * {@link #received}), or 0 for {@link #PEEK}, which consumes nothing.
     */
    abstract int readOnce(int mode, byte[] into, int offset);

    /**
     * After a look found nothing: whether the transport knows of a message the look should have found (a journal
     * compares its reading position with what the peer says it sent). Returns what a look then found, or
     * {@link #NO_MESSAGE}; throws {@link QueueDamagedException} when the message cannot be read.
     *
     * @param lastLook whether this is a receive's last look (before a timeout or the end of the stream): a transport
     *                 whose check is costly may make it only then, and on a cadence.
     */
    abstract int readUpToSent(int mode, byte[] into, int offset, boolean lastLook);

    /** Under the lock: moves past damage; see {@link Connection#skipDamaged}. */
    abstract long skipDamagedLocked();

    /** Under the lock: moves to where the end's last reader stopped, as this process takes the end back. */
    abstract void moveToReadPosition();

    /** Under the lock, once: lets go of what the transport holds for this reader. */
    abstract void closeSource();

    /**
     * Looks for a message until one is read, the stream ends, or the timeout passes (zero or less: one look).
     * Returns holding the lock unless the result is {@link #NO_MESSAGE}.
     */
    int await(final int mode, final byte[] into, final int offset, final long timeoutNanos)
        throws InterruptedException
    {
        final int first = attempt(mode, into, offset, timeoutNanos <= 0);
        if (first != NO_MESSAGE || timeoutNanos <= 0)
        {
            return first;
        }
        TimedWait wait = spareWait.getAndSet(null);
        if (wait == null)
        {
            wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin());
        }
        // The connection rings: once spun and yielded, the wait sleeps until the peer sends or closes.
        wait.begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, connection, connection);
        try
        {
            while (true)
            {
                if (wait.miss() == TimedWait.TIMED_OUT)
                {
                    // The last look: a receive never times out over damage it could have reported.
                    return attempt(mode, into, offset, true);
                }
                // Once the wait sleeps, looks are far apart: each may read the clock for the liveness check.
                final int status = attempt(mode, into, offset, false, !wait.isSpinning());
                if (status != NO_MESSAGE)
                {
                    return status;
                }
            }
        }
        finally
        {
            wait.end();
            spareWait.set(wait);
        }
    }

    /** One look under the lock that is a receive's only one; see {@link #attempt(int, byte[], int, boolean)}. */
    int attempt(final int mode, final byte[] into, final int offset)
    {
        return attempt(mode, into, offset, true);
    }

    /** A look of a spinning wait, or a single one; see {@link #attempt(int, byte[], int, boolean, boolean)}. */
    int attempt(final int mode, final byte[] into, final int offset, final boolean lastLook)
    {
        return attempt(mode, into, offset, lastLook, false);
    }

    /**
     * One look under the lock, which stays held unless the result is {@link #NO_MESSAGE}. An empty look asks the
     * transport whether it missed a message ({@link #readUpToSent}), then whether the peer is gone.
     *
     * @param lastLook whether this is a receive's last look (before a timeout or the end of the stream).
     * @param slow     whether looks are far apart (a wait that yields, parks or sleeps): the checks made only every
     *                 so many looks of a spinning wait (the clock for the peer's liveness, SENT_INDEX) are made on
     *                 this one, so a sleeping receiver notices a dead peer within its 100 ms sleeps.
     */
    int attempt(final int mode, final byte[] into, final int offset, final boolean lastLook, final boolean slow)
    {
        boolean hold = false;
        lock.lock();
        try
        {
            connection.checkOpen();
            int status = readOnce(mode, into, offset);
            if (status == NO_MESSAGE)
            {
                status = readUpToSent(mode, into, offset, lastLook || slow);
            }
            if (status == NO_MESSAGE && peerGone(slow))
            {
                // The peer closed or died after that miss: what it completed before is visible now (acquire), so
                // look once more before reporting the end.
                status = readOnce(mode, into, offset);
                if (status == NO_MESSAGE)
                {
                    // Damage before the peer's last message comes before the end of the stream.
                    status = readUpToSent(mode, into, offset, true);
                }
                if (status == NO_MESSAGE)
                {
                    status = PEER_GONE;
                }
            }
            hold = status != NO_MESSAGE;
            return status;
        }
        finally
        {
            if (!hold)
            {
                lock.unlock();
            }
        }
    }

    /**
     * Moves past a damaged stretch of what this end reads; see {@link Connection#skipDamaged}.
     *
     * @return how many messages were lost, 0 when the next message can be read or none is pending.
     */
    long skipDamaged()
    {
        lock.lock();
        try
        {
            connection.checkOpen();
            return skipDamagedLocked();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Takes what a look found as an object or array, and releases the lock. */
    Object take(final int status) throws EOFException
    {
        try
        {
            if (status == PEER_GONE)
            {
                throw endOfStream();
            }
            final Object message = received;
            received = null;
            return message;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Takes what a look into {@code buf} at {@code offset} found, and releases the lock. */
    int takeLength(final int status, final byte[] buf, final int offset) throws IOException
    {
        try
        {
            if (status == PEER_GONE)
            {
                throw endOfStream();
            }
            if (status == TOO_SHORT)
            {
                final byte[] message = (byte[])received;
                received = null;
                throw new BufferTooShortException("message of " + message.length + " bytes does not fit the " +
                    (buf.length - offset) + " bytes after offset " + offset + " of a " + buf.length + "-byte buffer",
                    message);
            }
            return status;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Releases the lock a look kept (after a peek). */
    void unlock()
    {
        lock.unlock();
    }

    /** Moves to where the end's last reader stopped: this process takes the end back from another one. */
    void resume()
    {
        lock.lock();
        try
        {
            if (!connection.isClosed())
            {
                moveToReadPosition();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Lets go of the transport once no thread is looking; the connection is marked closed already. */
    void close()
    {
        lock.lock();
        try
        {
            closeSource();
            received = null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether the peer closed its end or its owner process died (checked on a cadence, see the class comment).
     *
     * @param slow whether looks are far apart: the clock is read on this one, not only on every
     *             {@link #LOOKS_PER_CLOCK_READ}-th.
     */
    boolean peerGone(final boolean slow)
    {
        if (control.isClosed(peer))
        {
            return true;
        }
        final long owner = control.owner(peer);
        if (owner == deadPeer)
        {
            return true;
        }
        // The clock is read every LOOKS_PER_CLOCK_READ looks, not on each: a spinning receiver looks every few
        // hundred nanoseconds, and the liveness check is due only every 100 ms.
        if (!slow && ++looksSinceClockRead < LOOKS_PER_CLOCK_READ)
        {
            return false;
        }
        looksSinceClockRead = 0;
        final long now = System.nanoTime();
        if (now - lastLivenessCheck < LIVENESS_CHECK_NANOS)
        {
            return false;
        }
        lastLivenessCheck = now;
        if (ProcessIdentity.isAlive(owner))
        {
            return false;
        }
        deadPeer = owner;
        return true;
    }

    private EOFException endOfStream()
    {
        if (control.isClosed(peer))
        {
            return new EOFException(link.describe(peer) + " was closed and every message it sent is read");
        }
        return new EOFException(link.describe(peer) + " is gone: its process (" +
            ProcessIdentity.toString(control.owner(peer)) + ") died, and every message it completed is read");
    }
}
