package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

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
 * Damage: a look that finds nothing compares the tailer's index with the peer's SENT_INDEX (see
 * {@link PipeControl}); a journal that cannot be read up to it is damaged, reported before the end of the stream
 * ({@link #readUpToSent}) and skipped only on request ({@link #skipDamaged}).
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
    /** How many empty looks of a waiting receive pass between two checks of the peer's SENT_INDEX. */
    static final int LOOKS_PER_SENT_CHECK = 64;
    private int looksSinceSentCheck;

    /** The wait of a receive, kept for the next one: a receive that waits allocates nothing after the first. */
    private final AtomicReference<TimedWait> spareWait = new AtomicReference<>();

    // Guarded by lock.
    private Object received;
    private int retainedCycle = Integer.MIN_VALUE;
    private long lastLivenessCheck = System.nanoTime() - LIVENESS_CHECK_NANOS;
    private long deadPeer = ProcessIdentity.NONE;
    /** A second tailer for the damage checks through Chronicle's index; created on the first. */
    private ExcerptTailer probe;
    /** The index a look last reported damaged, {@link QueueControl#NONE} for none: a skip starts past it. */
    private long damagedAt = QueueControl.NONE;

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
        // Only a look that may be the last checks SENT_INDEX at once (see attempt).
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
        wait.begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, connection);
        try
        {
            while (true)
            {
                if (wait.miss() == TimedWait.TIMED_OUT)
                {
                    // The last look: a receive never times out over damage it could have reported.
                    return attempt(mode, into, offset, true);
                }
                final int status = attempt(mode, into, offset, false);
                if (status != NO_MESSAGE)
                {
                    return status;
                }
            }
        }
        finally
        {
            spareWait.set(wait);
        }
    }

    /** One look under the lock that is a receive's only one; see {@link #attempt(int, byte[], int, boolean)}. */
    int attempt(final int mode, final byte[] into, final int offset)
    {
        return attempt(mode, into, offset, true);
    }

    /**
     * One look under the lock, which stays held unless the result is {@link #NO_MESSAGE}. An empty look checks the
     * peer's SENT_INDEX for damage when it is a receive's last ({@code lastLook}), before reporting the end of the
     * stream, and every {@link #LOOKS_PER_SENT_CHECK}-th look of a wait: a receiver reading, on each of its looks, the
     * line the sender stores to on every message would slow both.
     */
    int attempt(final int mode, final byte[] into, final int offset, final boolean lastLook)
    {
        boolean hold = false;
        lock.lock();
        try
        {
            connection.checkOpen();
            int status = readOnce(mode, into, offset);
            if (status == NO_MESSAGE && (lastLook || ++looksSinceSentCheck >= LOOKS_PER_SENT_CHECK))
            {
                looksSinceSentCheck = 0;
                status = readUpToSent(mode, into, offset);
            }
            if (status == NO_MESSAGE && peerGone())
            {
                // The peer closed or died after that miss: what it completed before is visible now (acquire), so
                // look once more before reporting the end.
                status = readOnce(mode, into, offset);
                if (status == NO_MESSAGE)
                {
                    // Damage before the peer's last message comes before the end of the stream.
                    status = readUpToSent(mode, into, offset);
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
     * After a look found nothing: when the peer's SENT_INDEX (acquire) says it sent a message at or past the
     * tailer's, that message was complete before the store, so the look is made again; when Chronicle's index reaches
     * it where sequential reading stopped (a roll whose end marker the tailer has not seen) the tailer moves there;
     * nothing still is damage. Only an empty look reads SENT_INDEX: a flowing pipe's reads never touch it.
     *
     * @throws QueueDamagedException naming the file and the first index that cannot be read.
     */
    private int readUpToSent(final int mode, final byte[] into, final int offset)
    {
        final long sent = control.sentIndex(peer);
        if (sent == QueueControl.NONE)
        {
            return NO_MESSAGE;
        }
        final long next = nextIndex();
        // Not a real index (Chronicle's firstIndex() of a journal whose first cycle file is still being made, seen
        // in a stress run as an index of cycle -2^31): nothing can be judged yet, so look again later.
        if (next <= 0 || next > sent)
        {
            return NO_MESSAGE;
        }
        int status = readOnce(mode, into, offset);
        if (status != NO_MESSAGE)
        {
            return status;
        }
        final long found = JournalDamage.nextInOrderFrom(journal, probe(), next);
        if (found != QueueControl.NONE && tailer.moveToIndex(found))
        {
            status = readOnce(mode, into, offset);
            if (status != NO_MESSAGE)
            {
                return status;
            }
        }
        damagedAt = next;
        final long unreadable = JournalDamage.between(journal, probe(), next, sent) + 1;
        final Path file = JournalDamage.fileOf(journal, next);
        throw new QueueDamagedException(link.describe(end) + ": journal file " + file + " cannot be read at " +
            JournalDamage.describe(journal, next) + " though the other end sent " + unreadable + " message(s) up to " +
            "index 0x" + Long.toHexString(sent) + ": the file is damaged or truncated. Connection.skipDamaged() " +
            "skips the damaged part and reports how many messages were lost", file, next, unreadable);
    }

    /**
     * Moves past a damaged stretch of the journal: the messages from the next one to the first readable one after
     * it (or up to the last one sent, when none after it can be read) are lost; see {@link Connection#skipDamaged}.
     *
     * @return how many messages were lost, 0 when the next message can be read or none is pending.
     */
    long skipDamaged()
    {
        lock.lock();
        try
        {
            connection.checkOpen();
            final long sent = control.sentIndex(peer);
            final long next = nextIndex();
            if (sent == QueueControl.NONE || next > sent)
            {
                damagedAt = QueueControl.NONE;
                return 0;
            }
            // Where a look already failed is damaged whatever the probe finds there (see SharedQueue.skipDamaged).
            final long from = damagedAt == next ? next + 1 : next;
            final long found = JournalDamage.nextReadable(journal, probe(), from, sent);
            if (found == next)
            {
                return 0;
            }
            final long lost = found == QueueControl.NONE ?
                JournalDamage.between(journal, probe(), next, sent) + 1 :
                JournalDamage.between(journal, probe(), next, found);
            final long target = found == QueueControl.NONE ? sent + 1 : found;
            // False for sent + 1, not written yet: the tailer waits at that index all the same.
            tailer.moveToIndex(target);
            control.readIndex(end, target);
            damagedAt = QueueControl.NONE;
            return lost;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The index of the next message this end reads: the tailer's, or the journal's first before any read. */
    private long nextIndex()
    {
        final long index = tailer.index();
        return index != 0 ? index : journal.firstIndex();
    }

    private ExcerptTailer probe()
    {
        if (probe == null)
        {
            probe = journal.createTailer();
            probe.singleThreadedCheckDisabled(true);
        }
        return probe;
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
            if (probe != null)
            {
                probe.close();
            }
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
                    damagedAt = index;
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
