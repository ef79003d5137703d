package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Sends into the Agrona one-to-one ring the peer reads (see {@link PipeLink}): one record per message, its type the
 * message's kind. A full ring makes a send wait, with the connection's wait strategy, until the reader makes room;
 * a reader that closed its end or died makes no more room, so a send that finds the ring full then fails rather than
 * waiting forever. After each record the peer's waiter, if one sleeps, is rung.
 * <p>
 * A sender killed mid-record leaves it uncommitted (Agrona writes a negative length first): the reader stops in front
 * of it and reports the end of the stream once it sees the sender's process dead, never a part of the message.
 */
final class RingPipeWriter extends PipeWriter
{
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(Connection.LIVENESS_CHECK_MILLIS);

    private final PipeLink link;
    private final PipeControl control;
    private final int end;
    private final int peer;
    private final Codec<Object> codec;
    private final WaitStrategy waitStrategy;
    private final OneToOneRingBuffer ring;
    private final int maxMessageBytes;
    /** Wraps the bytes of the message being sent: a byte array, or the scratch bytes' memory. */
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
    /** Created by the first send that finds the ring full, then kept. */
    private TimedWait wait;

    RingPipeWriter(final PipeLink link, final int end, final Codec<Object> codec, final WaitStrategy waitStrategy)
    {
        this.link = link;
        this.control = link.control;
        this.end = end;
        this.peer = PipeControl.peer(end);
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.ring = link.ring(peer);
        this.maxMessageBytes = ring.maxMsgLength();
    }

    @Override
    int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    @Override
    boolean sendObject(final Object message, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        try
        {
            // The write limit stops a message too large for the ring before the scratch grows to hold it.
            scratch.clear().writeLimit(maxMessageBytes);
            try
            {
                codec.encode(message, scratch);
            }
            catch (final RuntimeException ex)
            {
                if (Journal.isOverLimit(ex))
                {
                    throw tooLarge(Journal.describe(message));
                }
                throw ex;
            }
            final int length = (int)scratch.readRemaining();
            source.wrap(scratch.addressForRead(scratch.readPosition()), length);
            return write(Connection.KIND_OBJECT, source, length, timeoutNanos, interruptible);
        }
        finally
        {
            trimScratch();
        }
    }

    @Override
    boolean sendBytes(
        final byte[] buf, final int offset, final int length, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        if (length > maxMessageBytes)
        {
            throw tooLarge("a message of " + length + " bytes");
        }
        source.wrap(buf, offset, length);
        return write(Connection.KIND_BYTES, source, length, timeoutNanos, interruptible);
    }

    private boolean write(
        final int kind, final DirectBuffer message, final int length, final long timeoutNanos,
        final boolean interruptible) throws InterruptedException
    {
        // Agrona commits the record with a release store of its length; ringCommitted then full-fences before it reads
        // the waiter count (Dekker with the reader's CAS of its row and its look), so a reader either sees the record
        // or is rung.
        if (ring.write(kind, message, 0, length))
        {
            control.ringCommitted(end);
            return true;
        }
        checkReaderCanMakeRoom(false);
        if (wait == null)
        {
            wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin());
        }
        wait.begin(timeoutNanos, LIVENESS_CHECK_NANOS,
            interruptible ? TimedWait.Interrupts.THROW : TimedWait.Interrupts.DEFER, this);
        try
        {
            while (true)
            {
                final int next = interruptible ? wait.miss() : wait.missUninterruptibly();
                if (next == TimedWait.TIMED_OUT)
                {
                    return false;
                }
                if (next == TimedWait.CHECK)
                {
                    checkReaderCanMakeRoom(true);
                }
                if (ring.write(kind, message, 0, length))
                {
                    control.ringCommitted(end);
                    return true;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /**
     * With the ring full: fails when nobody will make room, the reading end closed or (when {@code liveness}, on the
     * wait's cadence, since it reads {@code /proc}) its owner process dead.
     */
    private void checkReaderCanMakeRoom(final boolean liveness)
    {
        final String why;
        if (control.isClosed(peer))
        {
            why = " was closed";
        }
        else if (liveness && !ProcessIdentity.isAlive(control.owner(peer)))
        {
            why = "'s process (" + ProcessIdentity.toString(control.owner(peer)) + ") died";
        }
        else
        {
            return;
        }
        throw new IllegalStateException(link.describe(end) + ": the ring to " + link.describe(peer) + " is full and " +
            "that end" + why + ", so nothing will make room; the message was not sent");
    }

    private IllegalArgumentException tooLarge(final String message)
    {
        return Journal.tooLarge(link.describe(end), message, maxMessageBytes,
            " (an eighth of the ring's capacity of " + link.ringCapacity + " bytes; PipeOptions.withRingCapacity)");
    }

    @Override
    void close()
    {
        releaseScratch();
    }

    @Override
    public String toString()
    {
        return "room in the ring of " + link.describe(end);
    }
}
