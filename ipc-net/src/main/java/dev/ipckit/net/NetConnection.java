package dev.ipckit.net;

import dev.ipckit.codec.Codec;
import dev.ipckit.net.internal.Frames;
import dev.ipckit.net.internal.Link;
import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.wait.Waitable;
import dev.ipckit.wait.Waiting;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a connection between two processes, on this host or another (Python's
 * {@code multiprocessing.connection.Connection} from a {@link Listener} or a {@link Client}): the methods of a local
 * pipe's end ({@link dev.ipckit.queue.Connection}), so code written for a pipe works over the network.
 * <p>
 * Messages keep their kind: {@link #send} encodes an object with the connection's codec ({@link NetOptions#codec()}),
 * {@link #sendBytes} sends bytes as they are; {@link #recv} returns a bytes message as a {@code byte[]}, and
 * {@link #recvBytes} an object message as the bytes its codec wrote. Each message arrives whole, once, in the order
 * sent (Aeron retransmits what the network lost and reorders what it swapped). A message may be up to
 * {@link #maxMessageBytes()}; a longer one is refused before anything is sent.
 * <p>
 * End of stream: once the other end closed, its process died, or it was silent past the liveness timeout
 * ({@link Network#setLivenessTimeout}), every receive throws {@link EOFException} as soon as the messages that
 * arrived before are read, and a send throws {@link IllegalStateException}.
 * <p>
 * Traffic is authenticated (both ends proved they hold the authkey before any message), not encrypted: see
 * {@code docs/network.md} for where TLS or IPsec goes. Flow control: a send waits while the peer's receive window is
 * full, so a message longer than the window goes out only as the peer reads. Thread safety: sends are serialized by
 * one lock and receives by another; one thread may send while another receives. A receiver blocked when another thread
 * closes the connection gets {@link IllegalStateException}; a close never waits for a sender stuck on a full window.
 * <p>
 * {@link Waiting#any} waits for network connections beside pipes, queues, events and sentinels (Python's
 * {@code connection.wait}); it looks at them after short parks (at most 200 µs), as for any object that cannot ring a
 * waiter's doorbell.
 */
public final class NetConnection implements AutoCloseable, Waitable
{
    private static final int SCRATCH_CAPACITY = 256;

    private final Link link;
    private final Codec<Object> codec;
    private final int maxMessageBytes;
    private final Runnable onClose;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** On the heap: nothing to release, whichever thread closes the connection and whenever. */
    private final Bytes<byte[]> encodeScratch = Bytes.allocateElasticOnHeap(SCRATCH_CAPACITY);
    private final UnsafeBuffer sendView = new UnsafeBuffer(0, 0);
    private final TimedWait receiveWait;
    private volatile boolean closed;
    private boolean peerClosed;

    NetConnection(final Link link, final NetOptions options, final Runnable onClose)
    {
        this.link = link;
        this.codec = options.codec();
        this.maxMessageBytes = options.maxMessageBytes();
        this.onClose = onClose;
        this.receiveWait = new TimedWait(options.waitStrategy().newIdleStrategy(), options.waitStrategy().isBusySpin());
        // The send lock makes the scratch bytes single-threaded; Chronicle's own check would reject a second thread.
        encodeScratch.singleThreadedCheckDisabled(true);
        link.accept(maxMessageBytes,
            Link.allow(Frames.OBJECT) | Link.allow(Frames.BYTES) | Link.allow(Frames.CLOSE));
        NetDriver.opened(this);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends an object, encoded by the connection's codec, waiting for room as long as it takes.
     *
     * @param message the message.
     * @throws IllegalArgumentException when its encoding is longer than {@link #maxMessageBytes()}.
     * @throws IllegalStateException    when this end is closed or the other end is gone.
     */
    public void send(final Object message)
    {
        sendUninterruptibly(Frames.OBJECT, Objects.requireNonNull(message, "message"), null, 0, 0);
    }

    /**
     * Sends an object, waiting at most {@code timeout} for room (the peer reads slower than this end sends).
     *
     * @return false when there was no room in time (nothing was sent).
     * @throws IllegalArgumentException when its encoding is longer than {@link #maxMessageBytes()}.
     * @throws IllegalStateException    when this end is closed or the other end is gone.
     * @throws InterruptedException     when interrupted while waiting for room.
     */
    public boolean send(final Object message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return send(Frames.OBJECT, Objects.requireNonNull(message, "message"), null, 0, 0, unit.toNanos(timeout));
    }

    /**
     * Sends a byte array as one message.
     *
     * @throws IllegalArgumentException when it is longer than {@link #maxMessageBytes()}.
     * @throws IllegalStateException    when this end is closed or the other end is gone.
     */
    public void sendBytes(final byte[] buf)
    {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code length} bytes of {@code buf} from {@code offset} as one message.
     *
     * @throws IllegalArgumentException when it is longer than {@link #maxMessageBytes()}.
     * @throws IllegalStateException    when this end is closed or the other end is gone.
     */
    public void sendBytes(final byte[] buf, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, buf.length);
        sendUninterruptibly(Frames.BYTES, null, buf, offset, length);
    }

    /**
     * Sends bytes as one message, waiting at most {@code timeout} for room.
     *
     * @return false when there was no room in time (nothing was sent).
     * @throws InterruptedException when interrupted while waiting for room.
     */
    public boolean sendBytes(final byte[] buf, final int offset, final int length, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, buf.length);
        return send(Frames.BYTES, null, buf, offset, length, unit.toNanos(timeout));
    }

    /** @return the longest message this end sends and accepts. */
    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    /** @return the other end's address, as {@code host:port}. */
    public String peer()
    {
        return link.peer();
    }

    private void sendUninterruptibly(final byte type, final Object message, final byte[] buf, final int offset,
        final int length)
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    send(type, message, buf, offset, length, TimedWait.FOREVER);
                    return;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean send(final byte type, final Object message, final byte[] buf, final int offset, final int length,
        final long timeoutNanos) throws InterruptedException
    {
        sendLock.lockInterruptibly();
        try
        {
            requireOpen("send");
            if (message != null)
            {
                encodeScratch.clear();
                codec.encode(message, encodeScratch);
                final long encoded = encodeScratch.readRemaining();
                if (encoded > maxMessageBytes)
                {
                    throw tooLong(message.getClass().getName() + " encoded", encoded);
                }
                sendView.wrap(encodeScratch.underlyingObject(), (int)encodeScratch.readPosition(), (int)encoded);
                return link.send(type, sendView, 0, (int)encoded, timeoutNanos);
            }
            if (length > maxMessageBytes)
            {
                throw tooLong("a byte message", length);
            }
            sendView.wrap(buf, offset, length);
            return link.send(type, sendView, 0, length, timeoutNanos);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private IllegalArgumentException tooLong(final String what, final long length)
    {
        return new IllegalArgumentException(what + " is " + length + " bytes, longer than the " + maxMessageBytes +
            " this connection takes (NetOptions.withMaxMessageBytes); nothing was sent");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Receives the next message, waiting as long as it takes.
     *
     * @return the object, or a {@code byte[]} for a bytes message.
     * @throws EOFException         when the other end is gone and every message is read.
     * @throws IOException          when the peer broke the protocol (the connection is closed).
     * @throws InterruptedException when interrupted while waiting.
     */
    public Object recv() throws IOException, InterruptedException
    {
        return receive(TimedWait.FOREVER, false);
    }

    /**
     * Receives the next message, waiting at most {@code timeout}.
     *
     * @throws TimeoutException when no message came in time.
     */
    public Object recv(final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final Object message = receive(unit.toNanos(timeout), false);
        if (message == NOTHING)
        {
            throw new TimeoutException("no message from " + link.peer() + " within " + timeout + " " + unit);
        }
        return message;
    }

    /**
     * Receives the next message as bytes (an object message as the bytes its codec wrote).
     *
     * @throws EOFException when the other end is gone and every message is read.
     */
    public byte[] recvBytes() throws IOException, InterruptedException
    {
        return (byte[])receive(TimedWait.FOREVER, true);
    }

    /**
     * Receives the next message as bytes, waiting at most {@code timeout}.
     *
     * @throws TimeoutException when no message came in time.
     */
    public byte[] recvBytes(final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final Object message = receive(unit.toNanos(timeout), true);
        if (message == NOTHING)
        {
            throw new TimeoutException("no message from " + link.peer() + " within " + timeout + " " + unit);
        }
        return (byte[])message;
    }

    /**
     * Receives the next message into {@code buf} from {@code offset}.
     *
     * @return its length.
     * @throws dev.ipckit.queue.BufferTooShortException when it does not fit: the message is consumed, and the
     *                                                  exception holds it (Python's {@code BufferTooShort}).
     * @throws EOFException when the other end is gone and every message is read.
     */
    public int recvBytesInto(final byte[] buf, final int offset) throws IOException, InterruptedException
    {
        Objects.checkIndex(offset, buf.length + 1);
        receiveLock.lockInterruptibly();
        try
        {
            requireOpen("receive");
            next(TimedWait.FOREVER);
            final int length = link.messageLength();
            if (length > buf.length - offset)
            {
                final byte[] whole = new byte[length];
                link.message().getBytes(0, whole);
                link.consume();
                throw new dev.ipckit.queue.BufferTooShortException("a message of " + length + " bytes does not fit " +
                    (buf.length - offset) + " bytes from offset " + offset, whole);
            }
            link.message().getBytes(0, buf, offset, length);
            link.consume();
            return length;
        }
        finally
        {
            receiveLock.unlock();
        }
    }

    /** {@link #recvBytesInto(byte[], int)} from offset 0. */
    public int recvBytesInto(final byte[] buf) throws IOException, InterruptedException
    {
        return recvBytesInto(buf, 0);
    }

    /**
     * @return whether a receive would not block: a message is ready or the other end is gone.
     * @throws IOException when the peer broke the protocol.
     */
    public boolean poll() throws IOException
    {
        try
        {
            return poll(0, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits at most {@code timeout} until a receive would not block. Never consumes a message.
     *
     * @return true when a message is ready or the other end is gone; false when the time passed.
     * @throws IOException when the peer broke the protocol.
     */
    public boolean poll(final long timeout, final TimeUnit unit) throws IOException, InterruptedException
    {
        receiveLock.lockInterruptibly();
        try
        {
            requireOpen("poll");
            return next(unit.toNanos(timeout)) != 0;
        }
        catch (final EOFException ex)
        {
            return true;
        }
        finally
        {
            receiveLock.unlock();
        }
    }

    /**
     * For {@link Waiting#any}: whether a receive would not block, as {@link #poll()} tells, looked at without
     * waiting. While another thread receives on this connection it is not ready for anyone else (false); a peer that
     * broke the protocol makes it ready (the receive throws).
     *
     * @return true when a message is ready or the other end is gone.
     * @throws IllegalStateException when this end is closed.
     */
    @Override
    public boolean isReady()
    {
        if (!receiveLock.tryLock())
        {
            return false;
        }
        try
        {
            requireOpen("poll");
            return next(0) != 0;
        }
        catch (final IOException ex)
        {
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // the waiting loop sees it
            return false;
        }
        finally
        {
            receiveLock.unlock();
        }
    }

    /** @return whether this end was closed. */
    public boolean isClosed()
    {
        return closed;
    }

    private static final Object NOTHING = new Object();

    /** @return the message (decoded object, or bytes), or {@link #NOTHING} when the time passed. */
    private Object receive(final long timeoutNanos, final boolean asBytes) throws IOException, InterruptedException
    {
        receiveLock.lockInterruptibly();
        try
        {
            requireOpen("receive");
            final byte type = next(timeoutNanos);
            if (type == 0)
            {
                return NOTHING;
            }
            final int length = link.messageLength();
            final byte[] bytes = new byte[length];
            link.message().getBytes(0, bytes);
            link.consume();
            if (asBytes || type == Frames.BYTES)
            {
                return bytes;
            }
            // The codec applies the same rules to what comes from the network as to a pipe's messages (its filters).
            final Bytes<byte[]> in = Bytes.wrapForRead(bytes);
            try
            {
                return codec.decode(in);
            }
            finally
            {
                in.releaseLast();
            }
        }
        finally
        {
            receiveLock.unlock();
        }
    }

    /**
     * Waits until a message is complete in the link (left there), the end, or the timeout.
     *
     * @return the message's type; 0 when the time passed.
     * @throws EOFException when the other end is gone and every message it sent before was read.
     */
    private byte next(final long timeoutNanos) throws IOException, InterruptedException
    {
        receiveWait.begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, this);
        try
        {
            while (true)
            {
                if (closed)
                {
                    throw new IllegalStateException("this connection with " + link.peer() + " was closed while " +
                        "receiving");
                }
                byte type = pollLink();
                if (type != 0)
                {
                    return type;
                }
                if (!peerClosed && link.peerGone())
                {
                    // What arrived before the end is read first.
                    type = pollLink();
                    if (type != 0)
                    {
                        return type;
                    }
                    peerClosed = true;
                }
                if (peerClosed)
                {
                    throw new EOFException(link.peer() + " closed its end, its process died, or it was silent past " +
                        "the liveness timeout; every message it sent before was read");
                }
                if (receiveWait.miss() == TimedWait.TIMED_OUT)
                {
                    return 0;
                }
            }
        }
        finally
        {
            receiveWait.end();
        }
    }

    private byte pollLink() throws IOException
    {
        if (peerClosed)
        {
            return 0;
        }
        final byte type;
        try
        {
            type = link.poll();
        }
        catch (final Link.ProtocolException ex)
        {
            close();
            throw new IOException(ex.getMessage() + "; the connection is closed", ex);
        }
        if (type == Frames.CLOSE)
        {
            link.consume();
            peerClosed = true;
            return 0;
        }
        return type;
    }

    private void requireOpen(final String action)
    {
        if (closed)
        {
            throw new IllegalStateException("cannot " + action + ": this connection with " + link.peer() +
                " is closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Closes this end: the other end receives what was sent before, then end of stream. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // A sender stuck waiting for room (the peer stopped reading) must not hold up a close: then no CLOSE frame,
        // the publication closes under it (its send fails), and the peer sees the end of the stream all the same.
        if (sendLock.tryLock())
        {
            try
            {
                link.send(Frames.CLOSE, sendView, 0, 0, TimeUnit.MILLISECONDS.toNanos(100));
            }
            catch (final IllegalStateException ex)
            {
                // The peer is gone already: nothing to tell it.
            }
            catch (final InterruptedException ex)
            {
                // No CLOSE frame: the peer's image ends when the publication closes below.
                Thread.currentThread().interrupt();
            }
            finally
            {
                sendLock.unlock();
            }
        }
        link.closePublication();
        NetDriver.closed(this);
        onClose.run();
    }

    @Override
    public String toString()
    {
        return "NetConnection{" + link.peer() + (closed ? ", closed" : "") + "}";
    }
}
