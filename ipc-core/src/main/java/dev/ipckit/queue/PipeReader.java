package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.IdleStrategy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving side of a {@link Connection}: the tailer of the journal its end reads, the receive lock, the
 * end-of-stream check and retention.
 * <p>
 * End of stream: a look that finds no message checks whether the peer closed its end (an acquire load of the flag
 * the peer stored with release after its last message was complete) or whether the peer's owner process died; if
 * so it looks once more, and only then reports the end, so every message completed before is read first. An excerpt
 * a dead peer left incomplete is never returned by the tailer: it ends in end of stream, not a hang. Liveness reads
 * {@code /proc}, so it is checked at most every {@link Connection#LIVENESS_CHECK_MILLIS} ms per connection, and a
 * peer process seen dead stays dead.
 * <p>
 * Retention: this is the only reader of its journal, so when its tailer enters a new cycle the roll files before
 * that cycle are passed for good and deleted.
 * <p>
 * Locking: each look holds the receive lock, and a waiter releases it while it idles. A look that finds a message,
 * or the end of the stream, returns with the lock still held, so the caller takes the result ({@link #take},
 * {@link #takeLength}, {@link #unlock}) before another thread reads; a look that finds nothing releases it.
 */
final class PipeReader
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

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(Connection.LIVENESS_CHECK_MILLIS);

    private final Connection connection;
    private final PipeLink link;
    private final PipeControl control;
    private final int end;
    private final int peer;
    private final Codec<Object> codec;
    private final WaitStrategy waitStrategy;
    private final SingleChronicleQueue journal;
    private final ExcerptTailer tailer;
    /** No excerpt Chronicle writes is longer than its mapping overlap; a longer one is a damaged header. */
    private final long maxDocumentLength;
    private final ReentrantLock lock = new ReentrantLock();
    /** One idle strategy kept for the next wait, so a single waiting thread allocates none. */
    /** How many empty looks a receiver makes between two reads of the clock for the peer's liveness check. */
    static final int LOOKS_PER_CLOCK_READ = 64;
    private int looksSinceClockRead;

    private final AtomicReference<IdleStrategy> spareIdle = new AtomicReference<>();

    // Guarded by lock.
    private Object received;
    private int retainedCycle = Integer.MIN_VALUE;
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
        this.journal = link.journal(end);
        this.tailer = journal.createTailer();
        this.maxDocumentLength = journal.overlapSize();
        try
        {
            // The receive lock makes the tailer single-threaded and publishes its state from one receiving thread to
            // the next; Chronicle's own check would reject a second thread.
            tailer.singleThreadedCheckDisabled(true);
            moveToReadIndex();
        }
        catch (final RuntimeException ex)
        {
            tailer.close();
            throw ex;
        }
    }

    /**
     * Looks for a message until one is read, the stream ends, or the timeout passes (zero or less: one look).
     * Returns holding the lock unless the result is {@link #NO_MESSAGE}.
     */
    int await(final int mode, final byte[] into, final int offset, final long timeoutNanos)
        throws InterruptedException
    {
        final int first = attempt(mode, into, offset);
        if (first != NO_MESSAGE || timeoutNanos <= 0)
        {
            return first;
        }
        final long start = System.nanoTime();
        IdleStrategy idle = spareIdle.getAndSet(null);
        if (idle == null)
        {
            idle = waitStrategy.newIdleStrategy();
        }
        else
        {
            idle.reset();
        }
        try
        {
            while (true)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while waiting for a message on " + connection);
                }
                idle.idle();
                final int status = attempt(mode, into, offset);
                if (status != NO_MESSAGE || (timeoutNanos != FOREVER && System.nanoTime() - start >= timeoutNanos))
                {
                    return status;
                }
            }
        }
        finally
        {
            spareIdle.set(idle);
        }
    }

    /** One look under the lock, which stays held unless the result is {@link #NO_MESSAGE}. */
    int attempt(final int mode, final byte[] into, final int offset)
    {
        boolean hold = false;
        lock.lock();
        try
        {
            connection.checkOpen();
            int status = readOnce(mode, into, offset);
            if (status == NO_MESSAGE && peerGone())
            {
                // The peer closed or died after that miss: what it completed before is visible now (acquire), so
                // look once more before reporting the end.
                status = readOnce(mode, into, offset);
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
                moveToReadIndex();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Closes the tailer once no thread is looking; the connection is marked closed already. */
    void close()
    {
        lock.lock();
        try
        {
            tailer.close();
            received = null;
        }
        finally
        {
            lock.unlock();
        }
    }

    private int readOnce(final int mode, final byte[] into, final int offset)
    {
        boolean consumed = false;
        try
        {
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    return NO_MESSAGE;
                }
                if (document.wire().bytes().readRemaining() > maxDocumentLength)
                {
                    // A damaged header (no excerpt Chronicle writes is longer than its mapping overlap): copying
                    // that many bytes would read past the mapping. The tailer stays before it.
                    document.rollbackOnClose();
                    final long index = document.index();
                    final Path file = JournalDamage.fileOf(journal, index);
                    throw new QueueDamagedException(link.describe(end) + ": journal file " + file + " is damaged at " +
                        JournalDamage.describe(journal, index) + " (an excerpt of " +
                        document.wire().bytes().readRemaining() + " bytes)", file, index, 0);
                }
                if (mode == PEEK)
                {
                    document.rollbackOnClose();
                    return 0;
                }
                consumed = true;
                final Bytes<?> bytes = document.wire().bytes();
                final byte kind = bytes.readByte();
                if (kind != Connection.KIND_OBJECT && kind != Connection.KIND_BYTES)
                {
                    throw new IllegalStateException(link.describe(end) + ": message of unknown kind " + kind +
                        " at index " + Long.toHexString(document.index()));
                }
                final int length = (int)bytes.readRemaining();
                if (mode == INTO)
                {
                    if (length > into.length - offset)
                    {
                        received = copy(bytes, length);
                        return TOO_SHORT;
                    }
                    bytes.read(into, offset, length);
                }
                else if (mode == OBJECT && kind == Connection.KIND_OBJECT)
                {
                    received = codec.decode(bytes);
                }
                else
                {
                    received = copy(bytes, length);
                }
                return length;
            }
        }
        finally
        {
            // The document is closed by now, so the tailer has moved past the message (even when decoding failed).
            if (consumed)
            {
                afterConsumed();
            }
        }
    }

    private void afterConsumed()
    {
        control.readIndex(end, tailer.index());
        final int cycle = tailer.cycle();
        if (cycle != retainedCycle)
        {
            retainedCycle = cycle;
            try
            {
                Retention.deleteCyclesBefore(journal, cycle);
            }
            catch (final UncheckedIOException ex)
            {
                // Left for the next cycle change, which deletes every file before it; the message is not lost.
            }
        }
    }

    private boolean peerGone()
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
        if (++looksSinceClockRead < LOOKS_PER_CLOCK_READ)
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

    private void moveToReadIndex()
    {
        final long readIndex = control.readIndex(end);
        if (readIndex != 0)
        {
            // False when that message is not written yet; the tailer then waits at that index all the same.
            tailer.moveToIndex(readIndex);
        }
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

    private static byte[] copy(final Bytes<?> bytes, final int length)
    {
        final byte[] copy = new byte[length];
        bytes.read(copy, 0, length);
        return copy;
    }
}
