package dev.ipckit.queue;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * What one thread uses of a ring queue ({@link QueueRing}): a direct scratch buffer the ring's bytes are copied to
 * and from, and views of it for Agrona.
 * <p>
 * A claim, under the claim lock: read the record at the ring's head (stepping over padding), copy its message into
 * the scratch and into the row's hold slot, then {@link QueueControl#claim} records the row as holding it and moves
 * the head past it, redoably. A consumer killed before that record leaves the message in the ring; one killed after
 * it has the claim finished by the next consumer, and the message redelivered from the hold slot once its death is
 * seen.
 */
final class RingQueueThreadState<E> extends QueueThreadState<E>
{
    private final QueueRing ring;
    /** Wraps the scratch's memory for Agrona's copies. */
    private final UnsafeBuffer scratchView = new UnsafeBuffer(new byte[0]);

    /** On the thread it serves. */
    RingQueueThreadState(final SharedQueue<E> queue, final QueueRing ring)
    {
        super(queue);
        this.ring = ring;
    }

    @Override
    Bytes<?> newScratch()
    {
        final Bytes<?> bytes = Bytes.allocateElasticDirect(SharedQueue.SCRATCH_CAPACITY);
        // Used by one thread at a time; closed by whichever thread closes the queue.
        bytes.singleThreadedCheckDisabled(true);
        return bytes;
    }

    @Override
    int maxMessageBytes()
    {
        return ring.maxMessageBytes;
    }

    @Override
    String maxMessageReason()
    {
        return " (an eighth of the ring's capacity of " + ring.capacity + " bytes; QueueOptions.withRingCapacity)";
    }

    @Override
    boolean hasMore()
    {
        return ring.hasRecord();
    }

    @Override
    long append(final Bytes<?> payload)
    {
        final int length = (int)payload.readRemaining();
        scratchView.wrap(payload.addressForRead(payload.readPosition()), length);
        return ring.write(scratchView, length) ? ring.tail() : NO_ROOM;
    }

    @Override
    boolean repairPut()
    {
        return queue.control.repairRingPut();
    }

    @Override
    boolean claim(final boolean adopt)
    {
        ensureRow();
        if (adopt && queue.control.adoptOrphan(row) != QueueControl.NONE)
        {
            // Moved into this row's hold slot: taken from there.
            final int length = queue.control.heldLength(row);
            copyToScratch(ring.holds(), ring.holdOffset(row), length);
            return true;
        }
        return read(false);
    }

    @Override
    boolean peek()
    {
        return read(true);
    }

    /**
     * Reads the record at the head: padding is stepped over (the head moves, no redo needed: a step repeated is the
     * same step); a message is copied out and, unless {@code peek}, claimed.
     */
    private boolean read(final boolean peek)
    {
        final QueueControl control = queue.control;
        long head = ring.head();
        while (true)
        {
            final int length = ring.recordLength(head);
            if (length <= 0)
            {
                return false;
            }
            final long next = QueueRing.next(head, length);
            if (ring.recordType(head) == RingBuffer.PADDING_MSG_TYPE_ID)
            {
                ring.moveHead(next);
                head = next;
                continue;
            }
            final int messageLength = length - RecordDescriptor.HEADER_LENGTH;
            final int messageOffset = ring.messageOffset(head);
            copyToScratch(ring.records, messageOffset, messageLength);
            if (!peek)
            {
                // The hold copy and its length before the redo record: a claim that commits holds a whole message.
                ring.hold(row(), messageOffset, messageLength);
                control.setHeldLength(row, messageLength);
                control.claim(row, next);
            }
            return true;
        }
    }

    private int row()
    {
        ensureRow();
        return row;
    }

    private void copyToScratch(final DirectBuffer source, final int offset, final int length)
    {
        scratch.clear();
        scratch.ensureCapacity(length);
        scratchView.wrap(scratch.addressForWrite(0), length);
        source.getBytes(offset, scratchView, 0, length);
        scratch.writeSkip(length);
    }

    /**
     * Nothing to read though the counters may say otherwise: a producer between its commit and its count, or one
     * that died there (repaired by whoever takes the put lock over). A ring holds no files to be damaged; a damaged
     * record is reported by {@link QueueRing#recordLength} as it is read.
     */
    @Override
    boolean claimOrReportDamage()
    {
        return false;
    }

    @Override
    boolean peekOrReportDamage()
    {
        return false;
    }

    /**
     * Under the put and claim locks: when the record at the head is damaged, empties the ring (nothing after a
     * record whose length cannot be trusted can be found) and counts what it held as lost.
     */
    @Override
    long skipDamaged()
    {
        final QueueControl control = queue.control;
        try
        {
            final long head = ring.head();
            final int length = ring.recordLength(head);
            if (length > 0)
            {
                ring.recordType(head);
            }
            return 0;
        }
        catch (final QueueDamagedException damaged)
        {
            final long lost = Math.max(0, control.published() - control.taken());
            control.skip(ring.tail(), lost);
            return lost;
        }
    }
}
