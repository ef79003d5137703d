package dev.ipckit.queue;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.UnrecoverableTimeoutException;

/**
 * What one thread keeps of a journal queue: Chronicle's appender and tailers, single-thread objects.
 */
final class JournalQueueThreadState<E> extends QueueThreadState<E>
{
    private final SingleChronicleQueue journal;
    private final RollCycle rollCycle;
    private ExcerptAppender appender;
    private ExcerptTailer tailer;
    private ExcerptTailer redeliveryTailer;
    private int lastRetentionCycle = Integer.MIN_VALUE;
    /** No excerpt Chronicle writes is longer than its mapping overlap; a longer one is a damaged header. */
    private final long maxDocumentLength;

    /** On the thread it serves. */
    JournalQueueThreadState(final SharedQueue<E> queue, final SingleChronicleQueue journal)
    {
        super(queue);
        this.journal = journal;
        this.rollCycle = journal.rollCycle();
        this.maxDocumentLength = journal.overlapSize();
    }

    @Override
    Bytes<?> newScratch()
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(SharedQueue.SCRATCH_CAPACITY);
        // Used by one thread at a time; closed by whichever thread closes the queue.
        bytes.singleThreadedCheckDisabled(true);
        return bytes;
    }

    @Override
    int maxMessageBytes()
    {
        return SharedQueue.MAX_MESSAGE_BYTES;
    }

    @Override
    String maxMessageReason()
    {
        return " (512 MiB - 1)";
    }

    /** Without the claim lock: whether this thread's tailer has an excerpt to read (claimed or not). */
    @Override
    boolean hasMore()
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

    /**
     * A producer killed mid-append holds Chronicle's write lock until Chronicle breaks it, which it does only once the
     * process is gone: a killed process its parent has not reaped yet (a zombie) still counts as alive there, though it
     * no longer does for the put lock. Chronicle then gives up after its write-lock timeout having written nothing:
     * {@link #NO_ROOM}, and the caller waits and tries again.
     */
    @Override
    long append(final Bytes<?> payload)
    {
        try
        {
            if (appender == null)
            {
                // Creating the appender can take the write lock too.
                appender = journal.createAppender();
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(payload, payload.readPosition(), payload.readRemaining());
            }
        }
        catch (final UnrecoverableTimeoutException ex)
        {
            return NO_ROOM;
        }
        return appender.lastIndexAppended();
    }

    @Override
    boolean repairPut()
    {
        return queue.control.repairPut(lastCompleteIndex());
    }

    /**
     * The index of the journal's last complete excerpt, read forward from the last recorded put (a dead producer
     * appended at most one after it). Not {@code journal.lastIndex()}: that reads backward, and when the last excerpt
     * is one a killed producer left half-written (likely for a big message, which takes long to write) Chronicle
     * cannot find the end of the journal (an {@code AssertionError} under {@code -ea}, the journal's first index
     * without).
     */
    private long lastCompleteIndex()
    {
        final long recorded = queue.control.putIndex();
        try (ExcerptTailer reader = journal.createTailer())
        {
            if (recorded != QueueControl.NONE && !reader.moveToIndex(recorded))
            {
                return journal.lastIndex();
            }
            long last = recorded;
            while (true)
            {
                try (DocumentContext dc = reader.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return last;
                    }
                    last = dc.index();
                }
            }
        }
    }

    @Override
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
        return readNext(false);
    }

    /**
     * Under the claim lock: copies the next unclaimed message into the scratch and, unless {@code peek}, claims it;
     * a peek leaves the tailer in front of it.
     */
    private boolean readNext(final boolean peek)
    {
        if (!peek)
        {
            ensureRow();
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
                if (peek)
                {
                    dc.rollbackOnClose();
                }
                else
                {
                    queue.control.claim(row, index);
                    applyRetention(index);
                }
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
    @Override
    boolean claimOrReportDamage()
    {
        return readOrReportDamage(false);
    }

    @Override
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
        if (readNext(peek) || moveToNextInOrder(cursor) && readNext(peek))
        {
            return true;
        }
        reportDamage(published);
        return false;
    }

    /**
     * When sequential reading stopped but Chronicle's index reaches the excerpt right after the cursor (see
     * {@link JournalDamage#nextInOrder}), moves the tailer there: not damage.
     */
    private boolean moveToNextInOrder(final long cursor)
    {
        if (redeliveryTailer == null)
        {
            redeliveryTailer = journal.createTailer();
        }
        final long next = JournalDamage.nextInOrder(journal, redeliveryTailer, cursor);
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
            JournalDamage.firstAfter(journal, cursor);
        queue.control.markDamaged(at);
        throw queue.damaged(at, pending);
    }

    @Override
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
            redeliveryTailer = journal.createTailer();
        }
        final long first = JournalDamage.firstAfter(journal, cursor);
        // The last append the counters recorded, not Chronicle's lastIndex(): that one reads the damaged file.
        final long last = queue.control.putIndex();
        // Where a read already failed is damaged whatever a probe finds there: through Chronicle's index a
        // damaged header can read as a long excerpt (up to the 512 MiB mapping overlap of 2 GiB blocks) that
        // the claiming tailer, having read up to it, does not return. Searching from there would skip nothing
        // and the next read would report the same damage again.
        final long from = queue.control.damagedAt() == first ? first + 1 : first;
        final long next = JournalDamage.nextReadable(journal, tailerAt(cursor), from, last);
        if (next == first)
        {
            queue.control.skip(cursor, 0);
            return 0;
        }
        final long lost = next == QueueControl.NONE ? pending :
            Math.min(pending, JournalDamage.between(journal, redeliveryTailer, first, next));
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

    @Override
    boolean peek()
    {
        return readNext(true);
    }

    private ExcerptTailer tailerAt(final long cursor)
    {
        if (tailer == null)
        {
            tailer = journal.createTailer();
            if (cursor != QueueControl.NONE)
            {
                moveTo(tailer, cursor);
            }
        }
        else if (cursor != QueueControl.NONE)
        {
            final long next = tailer.index();
            if (next < cursor && (rollCycle.toCycle(next) != rollCycle.toCycle(cursor) || cursor - next > SharedQueue.CATCH_UP_JUMP))
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
            redeliveryTailer = journal.createTailer();
        }
        if (!redeliveryTailer.moveToIndex(index))
        {
            throw new IllegalStateException("queue '" + queue.name() + "': message " + Long.toHexString(index) +
                " held by a dead consumer is no longer in the journal");
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
        final int cycle = rollCycle.toCycle(claimed);
        if (cycle == lastRetentionCycle)
        {
            return;
        }
        lastRetentionCycle = cycle;
        final long oldestHeld = queue.control.oldestHeld();
        final long oldestNeeded = oldestHeld == QueueControl.NONE ? claimed : Math.min(oldestHeld, claimed);
        Retention.deleteCyclesBefore(journal, rollCycle.toCycle(oldestNeeded));
    }

    @Override
    void close()
    {
        super.close();
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
