package dev.ipckit.queue;

import dev.ipckit.queue.internal.RingClaims;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one thread uses of a ring queue ({@link QueueRing}): a direct scratch buffer the ring's bytes are copied to
 * and from, and views of it for Agrona.
 * <p>
 * A claim needs no lock ({@link RingClaims#claim}): the message is copied into the row's hold slot, the claim word's
 * CAS commits it, and the payload is copied from the hold slot into the scratch. A consumer killed before the CAS
 * leaves the message in the ring; one killed after it has its claim applied by the next consumer, and the message
 * redelivered from the hold slot once its death is seen (an adoption, under the claim lock).
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
        return " (an eighth of the ring's capacity of " + ring.capacity + " bytes, less " + RingClaims.SEQUENCE_LENGTH +
            " for the sequence number; QueueOptions.withRingCapacity)";
    }

    @Override
    boolean claimsWithoutLock()
    {
        return true;
    }

    @Override
    boolean hasMore()
    {
        return ring.claims.hasRecord();
    }

    @Override
    long append(final Bytes<?> payload)
    {
        final int length = (int)payload.readRemaining();
        scratchView.wrap(payload.addressForRead(payload.readPosition()), length);
        return ring.write(queue.control.nextSequence(), scratchView, length) ? ring.tail() : NO_ROOM;
    }

    @Override
    boolean repairPut()
    {
        return queue.control.repairRingPut();
    }

    /** Without a lock; with {@code adopt}, under the claim lock. */
    @Override
    boolean claim(final boolean adopt)
    {
        ensureRow();
        if (adopt && queue.control.adoptOrphan(row) != QueueControl.NONE)
        {
            // Moved into this row's hold slot: taken from there.
            copyPayloadToScratch(queue.control.heldLength(row));
            return true;
        }
        final int length = ring.claims.claim(row);
        if (length == RingClaims.EMPTY)
        {
            return false;
        }
        copyPayloadToScratch(length);
        return true;
    }

    /** Without a lock: a snapshot of the next message. */
    @Override
    boolean peek()
    {
        scratch.clear();
        while (true)
        {
            final int room = (int)Math.min(scratch.realCapacity(), ring.maxMessageBytes);
            scratchView.wrap(scratch.addressForWrite(0), room);
            final int length = ring.claims.peek(scratchView);
            if (length == RingClaims.EMPTY)
            {
                return false;
            }
            if (length >= 0)
            {
                scratch.writeSkip(length);
                return true;
            }
            scratch.ensureCapacity(RingClaims.neededLength(length));
        }
    }

    /** Copies the payload this row holds (what follows the sequence number in its hold slot) into the scratch. */
    private void copyPayloadToScratch(final int heldLength)
    {
        final int length = heldLength - RingClaims.SEQUENCE_LENGTH;
        scratch.clear();
        scratch.ensureCapacity(length);
        scratchView.wrap(scratch.addressForWrite(0), length);
        ring.holds().getBytes(ring.holdOffset(row) + RingClaims.SEQUENCE_LENGTH, scratchView, 0, length);
        scratch.writeSkip(length);
    }

    /**
     * Nothing to read though the counters may say otherwise: a producer between its commit and its count, or one
     * that died there (repaired by whoever takes the put lock over), or a claim not yet counted. A ring holds no files
     * to be damaged; a damaged record is reported by {@link RingClaims} as it is read.
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
     * Under the put and claim locks: when the record at the claim position is damaged, empties the ring (nothing after
     * a record whose length cannot be trusted can be found) and counts what it held as lost.
     */
    @Override
    long skipDamaged()
    {
        final QueueControl control = queue.control;
        try
        {
            peek();
            return 0;
        }
        catch (final QueueDamagedException damaged)
        {
            final long published = control.published();
            final long lost = Math.max(0, published - control.taken());
            ring.claims.skipTo(ring.tail(), published);
            return lost;
        }
        finally
        {
            trimScratch();
        }
    }
}
