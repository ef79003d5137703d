package dev.ipckit.queue;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.text.ParseException;

/**
 * Finding and skipping damage in a journal. Chronicle reads a damaged or truncated stretch of a {@code .cq4} file
 * as the end of the journal (a tailer's read returns nothing, no exception), so damage is known only by comparing
 * what can be read with what the queue's counters say was put; these helpers run only after a read returned nothing.
 * Skipping relies on Chronicle's index (every {@code indexSpacing}-th excerpt's position, kept apart from the data):
 * {@code moveToIndex} reaches excerpts past a damaged stretch, which sequential reading cannot.
 */
final class JournalDamage
{
    private JournalDamage()
    {
    }

    /** The {@code .cq4} file that holds {@code index}. */
    static Path fileOf(final SingleChronicleQueue journal, final long index)
    {
        final RollCycle rollCycle = journal.rollCycle();
        return journal.file().toPath().resolve(Retention.fileName(rollCycle, rollCycle.toCycle(index))).toAbsolutePath();
    }

    /** Words for an index: hex as Chronicle prints it, with its cycle and sequence. */
    static String describe(final SingleChronicleQueue journal, final long index)
    {
        final RollCycle rollCycle = journal.rollCycle();
        return "index 0x" + Long.toHexString(index) + " (cycle " + rollCycle.toCycle(index) + ", sequence " +
            rollCycle.toSequenceNumber(index) + ")";
    }

    /** The first index after {@code cursor} ({@link QueueControl#NONE}: the journal's first). */
    static long firstAfter(final SingleChronicleQueue journal, final long cursor)
    {
        return cursor == QueueControl.NONE ? journal.firstIndex() : cursor + 1;
    }

    /**
     * Whether the excerpt at {@code index} can be read; leaves {@code probe} anywhere.
     */
    static boolean readable(final ExcerptTailer probe, final long index)
    {
        if (!probe.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = probe.readingDocument())
        {
            dc.rollbackOnClose();
            return dc.isPresent() && dc.index() == index &&
                dc.wire().bytes().readRemaining() <= ((SingleChronicleQueue)probe.queue()).overlapSize();
        }
    }

    /**
     * The excerpt right after {@code cursor}, when Chronicle's index reaches it though sequential reading stopped:
     * the cursor's own cycle has no excerpt after it and the next cycle's first can be read (a roll whose end-of-cycle
     * marker a tailer has not seen), or the cursor's next sequence can be read. Never a later one: skipping is
     * {@link SharedQueue#skipDamaged}'s, never a read's.
     *
     * @return the index, or {@link QueueControl#NONE}.
     */
    static long nextInOrder(final SingleChronicleQueue journal, final ExcerptTailer probe, final long cursor)
    {
        final long first = firstAfter(journal, cursor);
        if (cursor == QueueControl.NONE)
        {
            return first > 0 && readable(probe, first) ? first : QueueControl.NONE;
        }
        return nextInOrderFrom(journal, probe, first);
    }

    /**
     * {@link #nextInOrder} given the index that should come next ({@code first}): that one when Chronicle's index
     * reaches it, else the next cycle's first when {@code first}'s cycle has no excerpt at {@code first}.
     *
     * @return the index, or {@link QueueControl#NONE}.
     */
    static long nextInOrderFrom(final SingleChronicleQueue journal, final ExcerptTailer probe, final long first)
    {
        if (first <= 0)
        {
            return QueueControl.NONE; // no real index: its cycle would be out of range (see PipeReader.readUpToSent)
        }
        if (readable(probe, first))
        {
            return first;
        }
        final RollCycle rollCycle = journal.rollCycle();
        final int cycle = rollCycle.toCycle(first);
        if (rollCycle.toSequenceNumber(first) < probe.excerptsInCycle(cycle))
        {
            return QueueControl.NONE;
        }
        final int next = nextCycle(journal, cycle);
        final long nextFirst = next < 0 ? QueueControl.NONE : rollCycle.toIndex(next, 0);
        return nextFirst != QueueControl.NONE && readable(probe, nextFirst) ? nextFirst : QueueControl.NONE;
    }

    /**
     * The first readable index from {@code from} to {@code last}, moving to the next cycle when one's excerpts are
     * passed.
     *
     * @return the index, or {@link QueueControl#NONE} when nothing from {@code from} on can be read.
     */
    static long nextReadable(
        final SingleChronicleQueue journal, final ExcerptTailer probe, final long from, final long last)
    {
        final RollCycle rollCycle = journal.rollCycle();
        long index = from;
        while (index > 0 && index <= last)
        {
            if (readable(probe, index))
            {
                return index;
            }
            final int cycle = rollCycle.toCycle(index);
            if (cycle < rollCycle.toCycle(last) && rollCycle.toSequenceNumber(index) + 1 >= probe.excerptsInCycle(cycle))
            {
                final int next = nextCycle(journal, cycle);
                if (next < 0)
                {
                    return QueueControl.NONE;
                }
                index = rollCycle.toIndex(next, 0);
            }
            else
            {
                index++;
            }
        }
        return QueueControl.NONE;
    }

    /** Excerpts from {@code from} (inclusive) to {@code to} (exclusive), across cycles. */
    static long between(final SingleChronicleQueue journal, final ExcerptTailer probe, final long from, final long to)
    {
        final RollCycle rollCycle = journal.rollCycle();
        final int fromCycle = rollCycle.toCycle(from);
        final int toCycle = rollCycle.toCycle(to);
        if (fromCycle == toCycle)
        {
            return Math.max(0, to - from);
        }
        long count = Math.max(0, probe.excerptsInCycle(fromCycle) - rollCycle.toSequenceNumber(from));
        for (int cycle = nextCycle(journal, fromCycle); cycle >= 0 && cycle < toCycle; cycle = nextCycle(journal, cycle))
        {
            count += Math.max(0, probe.excerptsInCycle(cycle));
        }
        return count + rollCycle.toSequenceNumber(to);
    }

    /**
     * Counts the excerpts a tailer reads in order after {@code cursor}, up to {@code limit}: fewer than the counters'
     * pending messages means damage.
     */
    static long countReadableAfter(final ExcerptTailer tailer, final long cursor, final long limit)
    {
        if (cursor != QueueControl.NONE && !tailer.moveToIndex(cursor))
        {
            tailer.moveToIndex(cursor + 1);
        }
        long count = 0;
        while (count < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                if (dc.index() > cursor)
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static int nextCycle(final SingleChronicleQueue journal, final int cycle)
    {
        try
        {
            return journal.nextCycle(cycle, TailerDirection.FORWARD);
        }
        catch (final ParseException ex)
        {
            return -1;
        }
    }
}
