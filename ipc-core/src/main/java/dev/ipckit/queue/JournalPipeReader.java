package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The receiving side of a {@link Connection} whose pipe is carried by Chronicle journals: the tailer of the journal its
 * end reads, the damage checks and retention. The lock, the wait and the end of the stream are {@link PipeReader}'s.
 * <p>
 * An excerpt a dead peer left incomplete is never returned by the tailer: it ends in end of stream, not a hang.
 * <p>
 * Damage: a look that finds nothing compares the tailer's index with the peer's SENT_INDEX (see
 * {@link PipeControl}); a journal that cannot be read up to it is damaged, reported before the end of the stream
 * ({@link #readUpToSent}) and skipped only on request ({@link #skipDamaged}).
 * <p>
 * Retention: this is the only reader of its journal, so when its tailer enters a new cycle the roll files before
 * that cycle are passed for good and deleted.
 */
final class JournalPipeReader extends PipeReader
{
    /** How many empty looks of a waiting receive pass between two checks of the peer's SENT_INDEX. */
    static final int LOOKS_PER_SENT_CHECK = 64;

    private final SingleChronicleQueue journal;
    private final ExcerptTailer tailer;
    /** No excerpt Chronicle writes is longer than its mapping overlap; a longer one is a damaged header. */
    private final long maxDocumentLength;

    // Guarded by lock.
    private int looksSinceSentCheck;
    private int retainedCycle = Integer.MIN_VALUE;
    /** A second tailer for the damage checks through Chronicle's index; created on the first. */
    private ExcerptTailer probe;
    /** The index a look last reported damaged, {@link QueueControl#NONE} for none: a skip starts past it. */
    private long damagedAt = QueueControl.NONE;

    JournalPipeReader(
        final Connection connection, final PipeLink link, final int end, final Codec<Object> codec,
        final WaitStrategy waitStrategy)
    {
        super(connection, link, end, codec, waitStrategy);
        this.journal = link.journal(end);
        this.tailer = journal.createTailer();
        this.maxDocumentLength = journal.overlapSize();
        try
        {
            // The receive lock makes the tailer single-threaded and publishes its state from one receiving thread to
            // the next; Chronicle's own check would reject a second thread.
            tailer.singleThreadedCheckDisabled(true);
            moveToReadPosition();
        }
        catch (final RuntimeException ex)
        {
            tailer.close();
            throw ex;
        }
    }

    /**
     * An empty look checks the peer's SENT_INDEX for damage when it is a receive's last ({@code lastLook}), before
     * reporting the end of the stream, and every {@link #LOOKS_PER_SENT_CHECK}-th look of a wait: a receiver reading,
     * on each of its looks, the line the sender stores to on every message would slow both.
     */
    @Override
    int readUpToSent(final int mode, final byte[] into, final int offset, final boolean lastLook)
    {
        if (!lastLook && ++looksSinceSentCheck < LOOKS_PER_SENT_CHECK)
        {
            return NO_MESSAGE;
        }
        looksSinceSentCheck = 0;
        return readUpToSent(mode, into, offset);
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
    @Override
    long skipDamagedLocked()
    {
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

    @Override
    void closeSource()
    {
        tailer.close();
        if (probe != null)
        {
            probe.close();
        }
    }

    @Override
    int readOnce(final int mode, final byte[] into, final int offset)
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

    @Override
    void moveToReadPosition()
    {
        final long readIndex = control.readIndex(end);
        if (readIndex != 0)
        {
            // False when that message is not written yet; the tailer then waits at that index all the same.
            tailer.moveToIndex(readIndex);
        }
    }

    private static byte[] copy(final Bytes<?> bytes, final int length)
    {
        final byte[] copy = new byte[length];
        bytes.read(copy, 0, length);
        return copy;
    }
}
