package dev.ipckit.net.internal;

import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.WaitStrategy;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One connection's two directions on Aeron: frames out on an exclusive publication, frames in from one image (the
 * peer's publication as this side's subscription sees it), in the layout of {@link Frames}. A message longer than the
 * publication's largest is sent as chunks flagged {@link Frames#FLAG_MORE} and put together again here, up to a
 * limit; Aeron's own fragments of each frame are put together by an {@link ImageControlledFragmentAssembler}.
 * <p>
 * Receiving stops at each complete message ({@link ControlledFragmentHandler.Action#BREAK}), which stays in
 * {@link #message()} until {@link #consume()}. Not thread-safe: the connection serializes sends and receives with
 * locks of its own (a send and a receive may run at once: they share nothing).
 */
public final class Link implements ControlledFragmentHandler
{
    /** A frame of a type not allowed now, or longer than allowed, or a chunk of another message's type. */
    public static final class ProtocolException extends Exception
    {
        private static final long serialVersionUID = 1L;

        ProtocolException(final String message)
        {
            super(message);
        }
    }

    private final String peer;
    private final ImageControlledFragmentAssembler assembler;
    private ExclusivePublication publication;
    private Image image;
    private int chunkPayload;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[Frames.HEADER_LENGTH]);
    private final ExpandableDirectByteBuffer received = new ExpandableDirectByteBuffer(256);
    private final TimedWait sendWait;

    private int receiveLimit;
    private long allowedTypes;
    private int receivedLength;
    private byte chunkType;
    private byte readyType;
    private String violation;

    /**
     * A link whose publication and image come later ({@link #publication(ExclusivePublication)},
     * {@link #image(Image)}): each side learns of the other's during the handshake.
     *
     * @param peer         the peer's address, for messages.
     * @param receiveLimit the longest message accepted.
     * @param allowedTypes the frame types accepted ({@link #allow}).
     * @param sendStrategy how a send waits for room.
     */
    public Link(final String peer, final int receiveLimit, final long allowedTypes, final WaitStrategy sendStrategy)
    {
        this.peer = peer;
        this.assembler = new ImageControlledFragmentAssembler(this);
        this.receiveLimit = receiveLimit;
        this.allowedTypes = allowedTypes;
        this.sendWait = new TimedWait(sendStrategy.newIdleStrategy(), sendStrategy.isBusySpin());
    }

    /** @return the bit of {@code type} in a set of allowed types. */
    public static long allow(final byte type)
    {
        return 1L << type;
    }

    /**
     * Changes what is accepted from now on (the handshake accepts little; a connection more).
     *
     * @param limit the longest message.
     * @param types the frame types ({@link #allow}).
     */
    public void accept(final int limit, final long types)
    {
        receiveLimit = limit;
        allowedTypes = types;
    }

    /** @return the peer's address. */
    public String peer()
    {
        return peer;
    }

    /** @return the publication, or null before it is known. */
    public ExclusivePublication publication()
    {
        return publication;
    }

    /**
     * Sets the publication frames go out on.
     *
     * @param out the publication.
     */
    public void publication(final ExclusivePublication out)
    {
        publication = out;
        chunkPayload = out.maxMessageLength() - Frames.HEADER_LENGTH;
    }

    /** @return the image, or null before it is known. */
    public Image image()
    {
        return image;
    }

    /**
     * Sets the image frames come in from.
     *
     * @param in the image.
     */
    public void image(final Image in)
    {
        image = in;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Reads what has arrived, up to the end of the next complete message.
     *
     * @return the type of the complete message now in {@link #message()}, or 0 when none is complete yet.
     * @throws ProtocolException when the peer sent what is not allowed; the link is unusable after it.
     */
    public byte poll() throws ProtocolException
    {
        if (readyType == 0 && violation == null)
        {
            // What the image holds first; only when no message is complete there, the embedded driver's cycle:
            // what reached this host's socket is in the image after it, and what this side sent goes out.
            if (image != null)
            {
                image.controlledPoll(assembler, Integer.MAX_VALUE);
            }
            if (readyType == 0 && violation == null && NetDriver.invoke() > 0 && image != null)
            {
                image.controlledPoll(assembler, Integer.MAX_VALUE);
            }
        }
        if (violation != null)
        {
            throw new ProtocolException(violation);
        }
        return readyType;
    }

    /** @return the complete message's payload (without the frame header), valid until {@link #consume()}. */
    public MutableDirectBuffer message()
    {
        return received;
    }

    /** @return its length. */
    public int messageLength()
    {
        return receivedLength;
    }

    /** Lets the next message in. */
    public void consume()
    {
        readyType = 0;
        receivedLength = 0;
    }

    /**
     * @return whether the peer is gone: its publication closed and everything it sent was read, or it was silent past
     *         the liveness timeout.
     */
    public boolean peerGone()
    {
        return image != null && (image.isClosed() || image.isEndOfStream());
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header frameHeader)
    {
        if (readyType != 0)
        {
            return Action.ABORT;
        }
        if (length < Frames.HEADER_LENGTH)
        {
            return violate("a frame of " + length + " bytes, shorter than a header");
        }
        final byte type = buffer.getByte(offset + Frames.TYPE_OFFSET);
        final byte flags = buffer.getByte(offset + Frames.FLAGS_OFFSET);
        if (type <= 0 || type >= Long.SIZE || (allowedTypes & allow(type)) == 0)
        {
            return violate("a frame of type " + type + ", not allowed now");
        }
        if ((flags & ~Frames.FLAG_MORE) != 0 || (chunkType != 0 && chunkType != type))
        {
            return violate("a frame with flags " + flags + " of type " + type + " inside a message of type " + chunkType);
        }
        final int payload = length - Frames.HEADER_LENGTH;
        if ((long)receivedLength + payload > receiveLimit)
        {
            return violate("a message longer than " + receiveLimit + " bytes");
        }
        received.putBytes(receivedLength, buffer, offset + Frames.HEADER_LENGTH, payload);
        receivedLength += payload;
        if ((flags & Frames.FLAG_MORE) != 0)
        {
            chunkType = type;
            return Action.CONTINUE;
        }
        chunkType = 0;
        readyType = type;
        return Action.BREAK;
    }

    private Action violate(final String what)
    {
        violation = peer + " sent " + what;
        return Action.BREAK;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends one message, in chunks when it is longer than the publication's largest.
     *
     * @param type         its frame type.
     * @param payload      its bytes.
     * @param offset       where they start.
     * @param length       how many.
     * @param timeoutNanos how long to wait for room before the first chunk; {@link TimedWait#FOREVER}. Once the first
     *                     chunk is out, the rest is sent whatever the time (a message is never left half sent).
     * @return false when there was no room for the whole timeout (nothing was sent).
     * @throws IllegalStateException when the peer is gone or the publication closed.
     * @throws InterruptedException  when interrupted while waiting for room before the first chunk.
     */
    public boolean send(final byte type, final DirectBuffer payload, final int offset, final int length,
        final long timeoutNanos) throws InterruptedException
    {
        header.putByte(Frames.TYPE_OFFSET, type);
        int sent = 0;
        do
        {
            final int chunk = Math.min(chunkPayload, length - sent);
            final boolean more = sent + chunk < length;
            header.putByte(Frames.FLAGS_OFFSET, more ? Frames.FLAG_MORE : 0);
            if (!offer(payload, offset + sent, chunk, sent == 0 ? timeoutNanos : TimedWait.FOREVER, sent == 0))
            {
                return false;
            }
            sent += chunk;
        }
        while (sent < length);
        return true;
    }

    private boolean offer(final DirectBuffer payload, final int offset, final int length, final long timeoutNanos,
        final boolean interruptible) throws InterruptedException
    {
        sendWait.begin(timeoutNanos, TimedWait.NO_CHECK,
            interruptible ? TimedWait.Interrupts.THROW : TimedWait.Interrupts.DEFER, this);
        try
        {
            while (true)
            {
                final long result = publication.offer(header, 0, Frames.HEADER_LENGTH, payload, offset, length, null);
                if (result > 0)
                {
                    // Sent by the driver's next cycle: this thread's next wait runs it at once (a request waits for
                    // its answer), a stream of sends leaves it to the background invoker, which sends in batches.
                    return true;
                }
                // The embedded driver's cycle: a full window learns of room.
                NetDriver.invoke();
                if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED)
                {
                    throw new IllegalStateException("cannot send to " + peer + ": it is gone (it closed its end, its " +
                        "process died, or it was silent past the liveness timeout)");
                }
                if (result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new IllegalStateException("cannot send to " + peer + ": the stream reached its end");
                }
                // BACK_PRESSURED or ADMIN_ACTION: the peer's window is full, or the log is rotating.
                if (sendWait.miss() == TimedWait.TIMED_OUT)
                {
                    return false;
                }
            }
        }
        finally
        {
            sendWait.end();
        }
    }

    /** Closes the publication (the peer's image ends); the image goes with its subscription. */
    public void closePublication()
    {
        NetDriver.closeUninterrupted(publication);
    }

    @Override
    public String toString()
    {
        return "the connection with " + peer;
    }
}
