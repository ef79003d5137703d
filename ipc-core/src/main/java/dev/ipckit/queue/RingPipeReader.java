package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The receiving side of a {@link Connection} whose pipe is carried by rings: reads the Agrona one-to-one ring its end
 * reads (see {@link PipeLink}), one record per look.
 * <p>
 * A message is consumed when Agrona moves the ring's head past it, after it was copied out or decoded: a reader that
 * dies before that (say while the codec decodes) leaves it for the process that takes the end over, which receives it
 * again. A message the codec cannot decode is consumed all the same, and the codec's exception thrown. A
 * record a dying sender left uncommitted is never read (its length is not positive): the end of the stream follows
 * once the sender's process is seen dead. There is no damage to skip: the ring lives in memory, not in files a
 * process could truncate, and Agrona's records carry their own lengths.
 */
final class RingPipeReader extends PipeReader implements ControlledMessageHandler
{
    private static final int SCRATCH_CAPACITY = 256;

    private final OneToOneRingBuffer ring;
    /** Where an object message is copied to be decoded after the record is consumed. */
    private final Bytes<?> decodeScratch;
    /** Wraps {@link #decodeScratch}'s memory for Agrona's copy. */
    private final UnsafeBuffer copyTarget = new UnsafeBuffer(new byte[0]);

    // Guarded by the lock: the look in progress, read by onMessage.
    private int mode;
    private byte[] into;
    private int offset;
    private int status;
    /** What the codec threw while decoding the message just consumed, rethrown once the read is over. */
    private RuntimeException decodeFailure;

    RingPipeReader(
        final Connection connection, final PipeLink link, final int end, final Codec<Object> codec,
        final WaitStrategy waitStrategy)
    {
        super(connection, link, end, codec, waitStrategy);
        this.ring = link.ring(end);
        this.decodeScratch = Bytes.allocateElasticDirect(SCRATCH_CAPACITY);
        // The receive lock makes the scratch bytes single-threaded; Chronicle's own check would reject a second thread.
        decodeScratch.singleThreadedCheckDisabled(true);
    }

    @Override
    int readOnce(final int mode, final byte[] into, final int offset)
    {
        this.mode = mode;
        this.into = into;
        this.offset = offset;
        status = NO_MESSAGE;
        try
        {
            ring.controlledRead(this, 1);
            if (status == NO_MESSAGE)
            {
                // A padding record at the end of the ring ends Agrona's contiguous block: that read consumed it and
                // stopped, so the next message, at the ring's start, takes a second read.
                ring.controlledRead(this, 1);
            }
        }
        finally
        {
            this.into = null;
        }
        if (decodeFailure != null)
        {
            final RuntimeException failure = decodeFailure;
            decodeFailure = null;
            throw failure;
        }
        return status;
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (mode == PEEK)
        {
            status = 0;
            return Action.ABORT;
        }
        if (msgTypeId != Connection.KIND_OBJECT && msgTypeId != Connection.KIND_BYTES)
        {
            // Consumed (Agrona moves the head past a record whose handler throws), so the next receive goes on.
            throw new IllegalStateException(link.describe(end) + ": message of unknown kind " + msgTypeId +
                " in the ring: the pipe's region was written by something other than ipckit");
        }
        if (mode == INTO)
        {
            if (length > into.length - offset)
            {
                received = copy(buffer, index, length);
                status = TOO_SHORT;
            }
            else
            {
                buffer.getBytes(index, into, offset, length);
                status = length;
            }
        }
        else if (mode == OBJECT && msgTypeId == Connection.KIND_OBJECT)
        {
            decodeScratch.clear();
            decodeScratch.ensureCapacity(length);
            copyTarget.wrap(decodeScratch.addressForWrite(0), length);
            buffer.getBytes(index, copyTarget, 0, length);
            decodeScratch.writeSkip(length);
            status = length;
            try
            {
                received = codec.decode(decodeScratch);
            }
            catch (final RuntimeException ex)
            {
                // Consumed all the same (CONTINUE), as with the journal; thrown once Agrona moved the head.
                decodeFailure = ex;
            }
        }
        else
        {
            received = copy(buffer, index, length);
            status = length;
        }
        return Action.CONTINUE;
    }

    @Override
    int readUpToSent(final int mode, final byte[] into, final int offset, final boolean lastLook)
    {
        return NO_MESSAGE;
    }

    @Override
    long skipDamagedLocked()
    {
        return 0;
    }

    @Override
    void moveToReadPosition()
    {
        // The ring's head is in the shared region: a process taking the end over reads on from it.
    }

    @Override
    void closeSource()
    {
        if (decodeScratch.refCount() > 0)
        {
            decodeScratch.releaseLast();
        }
    }

    private static byte[] copy(final MutableDirectBuffer buffer, final int index, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(index, copy);
        return copy;
    }
}
