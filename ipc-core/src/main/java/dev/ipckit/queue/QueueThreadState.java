package dev.ipckit.queue;

import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * What one thread uses of the queue: Chronicle's appender and tailers are single-thread objects, and so is a
 * consumer row. Created on the thread's first call; closed with the queue.
 */
final class QueueThreadState<E>
{
    private final SharedQueue<E> queue;
    final Thread thread = Thread.currentThread();
    private Bytes<?> scratch = Bytes.allocateElasticOnHeap(SharedQueue.SCRATCH_CAPACITY);
    final TimedWait timedWait;
    private ExcerptAppender appender;
    private ExcerptTailer tailer;
    private ExcerptTailer redeliveryTailer;
    int row = -1;
    private int lastRetentionCycle = Integer.MIN_VALUE;
    /** No excerpt Chronicle writes is longer than its mapping overlap; a longer one is a damaged header. */
    private final long maxDocumentLength;
    private long lastCheckNanos = System.nanoTime() - SharedQueue.CHECK_INTERVAL_NANOS;
    private int callsSinceClock = SharedQueue.CALLS_PER_CLOCK_READ; // a thread's first call checks

    /** On the thread it serves. */
    QueueThreadState(final SharedQueue<E> queue)
    {
        this.queue = queue;
        this.timedWait =
            new TimedWait(queue.options.waitStrategy().newIdleStrategy(), queue.options.waitStrategy().isBusySpin());
        this.maxDocumentLength = queue.journal.overlapSize();
    }

    /**
     * Whether to look for messages of dead consumers and for a dead producer now: every
     * {@link SharedQueue#CHECK_INTERVAL_NANOS}, reading the clock on every call while waiting, and every
     * {@link SharedQueue#CALLS_PER_CLOCK_READ} calls while messages keep coming.
     */
    boolean checkDue(final boolean waiting)
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

    /** Without the claim lock: whether this thread's tailer has an excerpt to read (claimed or not). */
    boolean journalHasMore()
    {
        final ExcerptTailer reader = tailer == null ? tailerAt(queue.control.cursor()) : tailer;
        try (DocumentContext dc = reader.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            dc.rollbackOnClose();
            return true;
        }
    }

    Bytes<?> encode(final E message)
    {
        // The write limit stops a message too large for the journal before the scratch grows to hold it.
        scratch.clear().writeLimit(SharedQueue.MAX_MESSAGE_BYTES);
        try
        {
            queue.codec.encode(message, scratch);
        }
        catch (final RuntimeException ex)
        {
            if (Journal.isOverLimit(ex))
            {
                trimScratch();
                throw Journal.tooLarge("queue '" + queue.name() + "'", Journal.describe(message));
            }
            trimScratch();
            throw new IllegalArgumentException("queue '" + queue.name() + "' cannot encode a " +
                message.getClass().getName() + " with " + queue.codec + ": " + ex.getMessage(), ex);
        }
        return scratch;
    }

    long append(final Bytes<?> payload)
    {
        if (appender == null)
        {
            appender = queue.journal.createAppender();
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(payload, payload.readPosition(), payload.readRemaining());
        }
        return appender.lastIndexAppended();
    }

    E decode()
    {
        try
        {
            return queue.codec.decode(scratch);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("queue '" + queue.name() + "': cannot decode a message with " + queue.codec + ": " +
                ex.getMessage(), ex);
        }
        finally
        {
            trimScratch();
        }
    }

    /** Lets go of a scratch buffer a big message grew, so the thread does not keep its size on the heap. */
    void trimScratch()
    {
        if (scratch.realCapacity() > SharedQueue.SCRATCH_TRIM_BYTES)
        {
            scratch.releaseLast();
            scratch = Bytes.allocateElasticOnHeap(SharedQueue.SCRATCH_CAPACITY);
        }
    }

    void acknowledge()
    {
        if (row >= 0)
        {
            queue.control.acknowledge(row);
        }
    }

    /** Under the claim lock: a message held by a dead consumer (when {@code adopt}), else the next one. */
    boolean claim(final boolean adopt)
    {
        ensureRow();
        if (adopt)
        {
            final long orphan = queue.control.adoptOrphan(row);
            if (orphan != QueueControl.NONE)
            {
                return readAt(orphan);
            }
        }
        final long cursor = queue.control.cursor();
        final ExcerptTailer tailer = tailerAt(cursor);
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                final long index = dc.index();
                if (index <= cursor)
                {
                    continue;
                }
                copy(dc);
                queue.control.claim(row, index);
                applyRetention(index);
                return true;
            }
        }
    }

    /**
     * Under the claim lock, after {@link #claim} found nothing: when the counters say messages were put past the
     * cursor, positions the tailer afresh (another consumer may have skipped damage since this tailer stopped)
     * and reads once more; nothing still is damage. PUBLISHED is read before that second read, so every message
     * it counts was appended before the read (and only here: a read that finds a message never touches the
     * producers' counter line).
     *
     * @return whether a message was claimed.
     * @throws QueueDamagedException when the journal cannot be read where the pending messages should be.
     */
    boolean claimOrReportDamage()
    {
        return readOrReportDamage(false);
    }

    /** {@link #claimOrReportDamage} for {@link #peek}. */
    boolean peekOrReportDamage()
    {
        return readOrReportDamage(true);
    }

    private boolean readOrReportDamage(final boolean peek)
    {
        final long published = queue.control.published();
        if (published - queue.control.taken() <= 0)
        {
            return false;
        }
        final long cursor = queue.control.cursor();
        reposition(cursor);
        if (read(peek) || moveToNextInOrder(cursor) && read(peek))
        {
            return true;
        }
        reportDamage(published);
        return false;
    }

    private boolean read(final boolean peek)
    {
        return peek ? peek() : claim(false);
    }

    /**
     * When sequential reading stopped but Chronicle's index reaches the excerpt right after the cursor (see
     * {@link JournalDamage#nextInOrder}), moves the tailer there: not damage.
     */
    private boolean moveToNextInOrder(final long cursor)
    {
        if (redeliveryTailer == null)
        {
            redeliveryTailer = queue.journal.createTailer();
        }
        final long next = JournalDamage.nextInOrder(queue.journal, redeliveryTailer, cursor);
        return next != QueueControl.NONE && tailerAt(cursor).moveToIndex(next);
    }

    /** Under the claim lock, after a read found nothing: throws when messages are pending (see above). */
    void reportDamage(final long published)
    {
        final long pending = published - queue.control.taken();
        if (pending <= 0)
        {
            return;
        }
        final long cursor = queue.control.cursor();
        final long at = tailer != null && tailer.index() > cursor ? tailer.index() :
            JournalDamage.firstAfter(queue.journal, cursor);
        queue.control.markDamaged(at);
        throw queue.damaged(at, pending);
    }

    /** Under the claim lock: see {@link SharedQueue#skipDamaged()}. */
    long skipDamaged()
    {
        final long published = queue.control.published();
        final long pending = published - queue.control.taken();
        final long cursor = queue.control.cursor();
        if (pending <= 0)
        {
            queue.control.skip(cursor, 0);
            return 0;
        }
        if (redeliveryTailer == null)
        {
            redeliveryTailer = queue.journal.createTailer();
        }
        final long first = JournalDamage.firstAfter(queue.journal, cursor);
        // The last append the counters recorded, not Chronicle's lastIndex(): that one reads the damaged file.
        final long last = queue.control.putIndex();
        // Where a read already failed is damaged whatever a probe finds there: through Chronicle's index a
        // damaged header can read as a long excerpt (up to the 512 MiB mapping overlap of 2 GiB blocks) that
        // the claiming tailer, having read up to it, does not return. Searching from there would skip nothing
        // and the next read would report the same damage again.
        final long from = queue.control.damagedAt() == first ? first + 1 : first;
        final long next = JournalDamage.nextReadable(queue.journal, tailerAt(cursor), from, last);
        if (next == first)
        {
            queue.control.skip(cursor, 0);
            return 0;
        }
        final long lost = next == QueueControl.NONE ? pending :
            Math.min(pending, JournalDamage.between(queue.journal, redeliveryTailer, first, next));
        final long newCursor = next == QueueControl.NONE ? Math.max(cursor, last) : next - 1;
        queue.control.skip(newCursor, lost);
        reposition(newCursor);
        return lost;
    }

    /** Puts the tailer at the cursor (or just after it, when the cursor's own excerpt cannot be found). */
    private void reposition(final long cursor)
    {
        if (tailer == null)
        {
            tailerAt(cursor);
        }
        else if (cursor == QueueControl.NONE)
        {
            tailer.toStart();
        }
        else
        {
            moveTo(tailer, cursor);
        }
    }

    /** Under the claim lock: copies the next unclaimed message without moving past it. */
    boolean peek()
    {
        final long cursor = queue.control.cursor();
        final ExcerptTailer tailer = tailerAt(cursor);
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                if (dc.index() <= cursor)
                {
                    continue;
                }
                copy(dc);
                dc.rollbackOnClose();
                return true;
            }
        }
    }

    private void ensureRow()
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

    private ExcerptTailer tailerAt(final long cursor)
    {
        if (tailer == null)
        {
            tailer = queue.journal.createTailer();
            if (cursor != QueueControl.NONE)
            {
                moveTo(tailer, cursor);
            }
        }
        else if (cursor != QueueControl.NONE)
        {
            final long next = tailer.index();
            if (next < cursor && (queue.rollCycle.toCycle(next) != queue.rollCycle.toCycle(cursor) || cursor - next > SharedQueue.CATCH_UP_JUMP))
            {
                moveTo(tailer, cursor);
            }
        }
        return tailer;
    }

    /**
     * Moves a tailer to the excerpt after the cursor, the next to claim; when that one is not written yet, to the
     * cursor's own. (After {@link #skipDamaged} the cursor names an excerpt in the damaged stretch, which a
     * tailer must not start from.)
     */
    private void moveTo(final ExcerptTailer reader, final long cursor)
    {
        if (!reader.moveToIndex(cursor + 1))
        {
            reader.moveToIndex(cursor);
        }
    }

    private boolean readAt(final long index)
    {
        if (redeliveryTailer == null)
        {
            redeliveryTailer = queue.journal.createTailer();
        }
        if (!redeliveryTailer.moveToIndex(index))
        {
            throw new IllegalStateException("queue '" + queue.name() + "': message " + Long.toHexString(index) +
                " held by a dead consumer is no longer in the queue.journal");
        }
        try (DocumentContext dc = redeliveryTailer.readingDocument())
        {
            if (!dc.isPresent() || dc.index() != index)
            {
                throw queue.damaged(index, queue.control.size());
            }
            copy(dc);
            return true;
        }
    }

    private void copy(final DocumentContext dc)
    {
        final Bytes<?> in = dc.wire().bytes();
        final long length = in.readRemaining();
        if (length > maxDocumentLength)
        {
            // A damaged header: Chronicle takes its length as it is, and copying that many bytes would read past
            // the mapping (a SIGSEGV, seen with random bytes over a .cq4). The tailer stays before it.
            dc.rollbackOnClose();
            queue.control.markDamaged(dc.index());
            throw queue.damaged(dc.index(), queue.control.size());
        }
        scratch.clear();
        scratch.write(in, in.readPosition(), length);
    }

    /** Under the claim lock, when claims reach a new roll cycle: deletes the files every consumer has passed. */
    private void applyRetention(final long claimed)
    {
        final int cycle = queue.rollCycle.toCycle(claimed);
        if (cycle == lastRetentionCycle)
        {
            return;
        }
        lastRetentionCycle = cycle;
        final long oldestHeld = queue.control.oldestHeld();
        final long oldestNeeded = oldestHeld == QueueControl.NONE ? claimed : Math.min(oldestHeld, claimed);
        Retention.deleteCyclesBefore(queue.journal, queue.rollCycle.toCycle(oldestNeeded));
    }

    void close()
    {
        if (row >= 0)
        {
            queue.control.releaseRow(row);
            row = -1;
        }
        closeQuietly(appender);
        closeQuietly(tailer);
        closeQuietly(redeliveryTailer);
    }

    private void closeQuietly(final net.openhft.chronicle.core.io.Closeable closeable)
    {
        if (closeable != null)
        {
            closeable.close();
        }
    }
}
