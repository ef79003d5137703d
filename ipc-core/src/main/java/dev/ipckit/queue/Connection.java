package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.platform.Attachable;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.sync.WaitStrategy;
import dev.ipckit.wait.internal.RingingWaitable;
import dev.ipckit.wait.Waiting;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import static dev.ipckit.queue.PipeReader.BYTES;
import static dev.ipckit.queue.PipeReader.FOREVER;
import static dev.ipckit.queue.PipeReader.INTO;
import static dev.ipckit.queue.PipeReader.NO_MESSAGE;
import static dev.ipckit.queue.PipeReader.OBJECT;
import static dev.ipckit.queue.PipeReader.PEEK;

/**
 * One end of a {@link Pipe} (Python's {@code multiprocessing.connection.Connection}): sends to and receives from the
 * other end, in this process or another one.
 * <p>
 * Messages: {@link #send} encodes an object with the pipe's {@link Codec}; {@link #sendBytes} sends bytes as they
 * are. Every message keeps its kind, so {@link #recv} returns a bytes message as a {@code byte[]}, and
 * {@link #recvBytes} returns an object message as the bytes its codec wrote. An empty byte message is a message.
 * <p>
 * Transport ({@link PipeOptions#withTransport}): with the {@link Transport#JOURNAL journal} (the default) each
 * direction is an unbounded Chronicle Queue journal, so sending never blocks, and a message may be up to
 * {@link #MAX_MESSAGE_BYTES} (512 MiB - 1), encoded. With the {@link Transport#RING ring} each direction is a ring of
 * {@link PipeOptions#withRingCapacity fixed capacity} in shared memory: a send waits while it is full (the timed
 * {@link #send(Object, long, TimeUnit)} gives up), and a message may be up to {@link #maxMessageBytes()}, an eighth of
 * the capacity. Either way a message is one record, so a receiver sees all of it or none of it, and a larger one is
 * refused with an {@link IllegalArgumentException} before anything is written.
 * <p>
 * End of stream: once the other end has been closed by its owner, or the owner's process has died, every receive
 * throws {@link EOFException} as soon as the messages completed before are read. An excerpt a dying peer left
 * half-written is never returned. A dead peer is noticed within about {@value #LIVENESS_CHECK_MILLIS} ms of waiting.
 * <p>
 * Ownership: the process that creates a pipe owns both ends. A connection serializes as a small handle (so a task
 * for a child process can capture it) and the process that deserializes it becomes that end's owner. {@link #close()}
 * closes the end for both sides only in its owner, and only if this process has not sent the connection away;
 * otherwise it just lets go of this process's copy. So the usual pattern needs nothing special: the parent creates
 * the pipe, passes one end to a child and keeps the other; the child's close, or its death, is the parent's end of
 * stream. A process that takes an end over reads on where the previous reader stopped, and receives again a message
 * its previous owner died while reading. As in Python, an end must be used by one process at a time: each direction
 * has a single writer and a single reader (two processes sending on one end at once could make Chronicle break a
 * live writer's lock, or interleave records in a ring). Within a process there is one connection per end:
 * deserializing a handle to an end that is open here returns that connection. An end of a ring pipe that can send
 * cannot be taken over once its owner died: the dead owner may have left a record half-written, which the ring
 * cannot step over, so the stream in that direction ended with it.
 * <p>
 * Thread safety: a connection may be shared by threads. Sends are serialized by one lock and receives by another
 * ({@link ReentrantLock}s: about 20 ns each per uncontended call, on top of Chronicle's single-threaded appender and
 * tailer). A waiting receiver holds its lock only while it looks for a message, not while it idles, so other
 * receivers and {@link #poll()} are not held up; each message goes to exactly one receiver. A receiver blocked when
 * another thread closes the connection gets {@link IllegalStateException}.
 */
public final class Connection implements AutoCloseable, Attachable, RingingWaitable
{
    // Why this class is long (about 780 lines): it is Python's Connection API, and each receive comes untimed and
    // timed, as an object, as bytes and into a caller's buffer (each send untimed and timed), each with its javadoc.
    // The machinery lives apart: PipeReader and PipeWriter (receiving and sending, one subclass per transport),
    // PipeControl (the shared block), PipeLink (this JVM's attachment), Journal.

    private static final long serialVersionUID = 1L;

    /** How often, at most, a waiting receiver checks that its peer's process still runs (it reads {@code /proc}). */
    public static final long LIVENESS_CHECK_MILLIS = 100;
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(LIVENESS_CHECK_MILLIS);

    /** First byte of an excerpt (the record type in a ring) holding an encoded object. */
    static final byte KIND_OBJECT = 1;
    /** First byte of an excerpt (the record type in a ring) holding raw bytes. */
    static final byte KIND_BYTES = 2;

    /** The largest message a pipe carries, encoded (512 MiB - 1 bytes); a byte message is its own length. */
    public static final int MAX_MESSAGE_BYTES = Journal.MAX_MESSAGE_BYTES;

    private final transient PipeLink link;
    private final transient PipeControl control;
    private final transient int end;
    private final transient Codec<Object> codec;
    private final transient WaitStrategy waitStrategy;
    private final transient ReentrantLock sendLock = new ReentrantLock();
    /** Null for the read end of a one-way pipe; guarded by {@link #sendLock}. */
    private final transient PipeWriter writer;
    /** Null for the write end of a one-way pipe. */
    private final transient PipeReader reader;
    private transient volatile boolean closed;
    /** Serializations of this connection not matched by a re-attachment here; guarded by {@link PipeLink#LOCK}. */
    private transient int handoffs;

    private Connection(
        final PipeLink link, final int end, final Codec<Object> codec, final WaitStrategy waitStrategy)
    {
        this.link = link;
        this.control = link.control;
        this.end = end;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        PipeWriter newWriter = null;
        try
        {
            if (link.duplex || end == PipeControl.END2)
            {
                newWriter = link.isRing() ?
                    new RingPipeWriter(link, end, codec, waitStrategy) : new JournalPipeWriter(link, end, codec);
            }
            if (link.duplex || end == PipeControl.END1)
            {
                this.reader = link.isRing() ?
                    new RingPipeReader(this, link, end, codec, waitStrategy) :
                    new JournalPipeReader(this, link, end, codec, waitStrategy);
            }
            else
            {
                this.reader = null;
            }
        }
        catch (final RuntimeException ex)
        {
            if (newWriter != null)
            {
                newWriter.close();
            }
            throw ex;
        }
        this.writer = newWriter;
    }

    /** A new connection to {@code end} of a pipe this process created; it takes its own reference to the link. */
    static Connection open(
        final PipeLink link, final int end, final Codec<Object> codec, final WaitStrategy waitStrategy)
    {
        link.retain();
        try
        {
            return register(link, end, codec, waitStrategy);
        }
        catch (final RuntimeException ex)
        {
            link.release();
            throw ex;
        }
    }

    /** The connection a handle names, in this process: the one open here, or a new one; this process owns the end. */
    static Connection attach(final ConnectionHandle handle) throws InvalidObjectException
    {
        final Path directory = Path.of(handle.directory());
        final int end = handle.end();
        final long me = ProcessIdentity.current();
        synchronized (PipeLink.LOCK)
        {
            final PipeLink attached = PipeLink.attached(directory, handle.pipeId());
            final Connection existing = attached == null ? null : attached.connection(end);
            if (existing != null)
            {
                if (existing.control.owner(end) != me)
                {
                    checkCanTakeOver(existing.link, end);
                    // The end comes back from another process: own it again, and read on from where it stopped.
                    existing.control.owner(end, me);
                    existing.handoffs = 0;
                    existing.resume();
                }
                else if (handle.sender() == me && existing.handoffs > 0)
                {
                    existing.handoffs--; // a copy this process sent to itself: nothing was handed off
                }
                return existing;
            }
            final PipeLink link = PipeLink.attach(directory, handle.pipeId(), handle.rollCycle());
            try
            {
                if (link.control.isClosed(end))
                {
                    throw new InvalidObjectException(link.describe(end) + " was closed by its owner");
                }
                checkCanTakeOver(link, end);
                // Adopt the end: its peer now watches this process's liveness.
                link.control.owner(end, me);
                return register(link, end, handle.codec(), handle.waitStrategy());
            }
            catch (final InvalidObjectException | RuntimeException ex)
            {
                link.release();
                throw ex;
            }
        }
    }

    /**
     * Refuses to take over a ring pipe's sending end whose owner died: a record it left half-written would stop the
     * peer's reading for good (Agrona's one-to-one ring cannot step over it), so that direction ended with it.
     */
    private static void checkCanTakeOver(final PipeLink link, final int end) throws InvalidObjectException
    {
        final long owner = link.control.owner(end);
        if (link.isRing() && (link.duplex || end == PipeControl.END2) && owner != ProcessIdentity.current() &&
            !ProcessIdentity.isAlive(owner))
        {
            throw new InvalidObjectException(link.describe(end) + " cannot be taken over: its owner (" +
                ProcessIdentity.toString(owner) + ") died, and a ring pipe's sending end ends with its owner");
        }
    }

    private static Connection register(
        final PipeLink link, final int end, final Codec<Object> codec, final WaitStrategy waitStrategy)
    {
        final Connection connection = new Connection(link, end, codec, waitStrategy);
        link.connection(end, connection);
        return connection;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends an object, encoded by the pipe's codec. Encoding happens before anything is written, so a message the
     * codec rejects fails here with the codec's exception and the pipe is unchanged.
     *
     * @param message the message.
     * @throws NullPointerException     when {@code message} is null.
     * @throws IllegalArgumentException when its encoding is larger than {@link #MAX_MESSAGE_BYTES}.
     * @throws IllegalStateException    when this connection is closed or cannot send (the read end of a one-way pipe).
     */
    public void send(final Object message)
    {
        Objects.requireNonNull(message, "message");
        sendLock.lock();
        try
        {
            checkWritable("send");
            writer.sendObject(message, FOREVER, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible send was interrupted", ex);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * Sends an object, encoded by the pipe's codec, waiting at most {@code timeout} for room: only a
     * {@link Transport#RING ring} pipe can be full; a journal one sends at once.
     *
     * @param message the message.
     * @param timeout how long to wait for room; zero or less does not wait.
     * @param unit    its unit.
     * @return true when sent; false when the ring stayed full for the whole timeout (nothing was sent).
     * @throws NullPointerException     when {@code message} is null.
     * @throws IllegalArgumentException when its encoding is larger than the pipe's limit.
     * @throws IllegalStateException    when this connection is closed or cannot send, or the ring is full and its
     *                                  reader closed its end or died.
     * @throws InterruptedException     when interrupted while waiting for room.
     */
    public boolean send(final Object message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        Objects.requireNonNull(message, "message");
        final long timeoutNanos = unit.toNanos(timeout);
        sendLock.lockInterruptibly();
        try
        {
            checkWritable("send");
            return writer.sendObject(message, timeoutNanos, true);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * Sends a byte array as one message.
     *
     * @param buf the bytes (copied into the journal before this returns).
     * @throws IllegalArgumentException when it is longer than {@link #MAX_MESSAGE_BYTES}.
     * @throws IllegalStateException    when this connection is closed or cannot send.
     */
    public void sendBytes(final byte[] buf)
    {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends part of a byte array as one message.
     *
     * @param buf    the bytes.
     * @param offset where the message starts in {@code buf}.
     * @param length how many bytes; zero sends an empty message.
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code buf}.
     * @throws IllegalArgumentException  when {@code length} is larger than {@link #MAX_MESSAGE_BYTES}.
     * @throws IllegalStateException     when this connection is closed or cannot send.
     */
    public void sendBytes(final byte[] buf, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, buf.length);
        sendLock.lock();
        try
        {
            checkWritable("send");
            writer.sendBytes(buf, offset, length, FOREVER, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible send was interrupted", ex);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * Sends part of a byte array as one message, waiting at most {@code timeout} for room: only a
     * {@link Transport#RING ring} pipe can be full; a journal one sends at once.
     *
     * @param buf     the bytes.
     * @param offset  where the message starts in {@code buf}.
     * @param length  how many bytes; zero sends an empty message.
     * @param timeout how long to wait for room; zero or less does not wait.
     * @param unit    its unit.
     * @return true when sent; false when the ring stayed full for the whole timeout (nothing was sent).
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code buf}.
     * @throws IllegalArgumentException  when {@code length} is larger than the pipe's limit.
     * @throws IllegalStateException     when this connection is closed or cannot send, or the ring is full and its
     *                                   reader closed its end or died.
     * @throws InterruptedException      when interrupted while waiting for room.
     */
    public boolean sendBytes(final byte[] buf, final int offset, final int length, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, buf.length);
        final long timeoutNanos = unit.toNanos(timeout);
        sendLock.lockInterruptibly();
        try
        {
            checkWritable("send");
            return writer.sendBytes(buf, offset, length, timeoutNanos, true);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * The largest message this end sends, encoded: {@link #MAX_MESSAGE_BYTES} with the journal, an eighth of the
     * ring's capacity with the ring.
     *
     * @return bytes.
     * @throws IllegalStateException when this end cannot send (the read end of a one-way pipe).
     */
    public int maxMessageBytes()
    {
        if (writer == null)
        {
            throw new IllegalStateException(
                link.describe(end) + " is the read end of a one-way pipe: it sends nothing");
        }
        return writer.maxMessageBytes();
    }

    /**
     * What carries this pipe's messages.
     *
     * @return the transport.
     */
    public Transport transport()
    {
        return link.isRing() ? Transport.RING : Transport.JOURNAL;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Receives the next message, waiting for it: an object message decoded by the codec, a bytes message as a
     * {@code byte[]}. A message the codec cannot decode is consumed and its exception thrown.
     *
     * @return the message.
     * @throws EOFException          when the other end is closed or its process died, and every message is read.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when this connection is closed or cannot receive.
     */
    public Object recv() throws IOException, InterruptedException
    {
        final PipeReader in = reader("recv");
        return in.take(in.await(OBJECT, null, 0, FOREVER));
    }

    /**
     * Receives the next message, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or less looks once.
     * @param unit    its unit.
     * @return the message.
     * @throws TimeoutException     when no message came in time.
     * @throws EOFException         when the other end is gone and every message is read.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws InterruptedException when interrupted while waiting.
     */
    public Object recv(final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final PipeReader in = reader("recv");
        final int status = in.await(OBJECT, null, 0, unit.toNanos(timeout));
        if (status == NO_MESSAGE)
        {
            throw timedOut("recv", timeout, unit);
        }
        return in.take(status);
    }

    /**
     * Receives the next message as bytes, waiting for it: a bytes message as sent, an object message as the bytes its
     * codec wrote.
     *
     * @return a new array holding the message.
     * @throws EOFException         when the other end is gone and every message is read.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws InterruptedException when interrupted while waiting.
     */
    public byte[] recvBytes() throws IOException, InterruptedException
    {
        final PipeReader in = reader("recvBytes");
        return (byte[])in.take(in.await(BYTES, null, 0, FOREVER));
    }

    /**
     * Receives the next message as bytes, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or less looks once.
     * @param unit    its unit.
     * @return a new array holding the message.
     * @throws TimeoutException     when no message came in time.
     * @throws EOFException         when the other end is gone and every message is read.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws InterruptedException when interrupted while waiting.
     */
    public byte[] recvBytes(final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final PipeReader in = reader("recvBytes");
        final int status = in.await(BYTES, null, 0, unit.toNanos(timeout));
        if (status == NO_MESSAGE)
        {
            throw timedOut("recvBytes", timeout, unit);
        }
        return (byte[])in.take(status);
    }

    /**
     * Receives the next message into {@code buf} from its start, waiting for it.
     *
     * @param buf where to copy the message.
     * @return the message's length.
     * @throws BufferTooShortException when the message is longer than {@code buf}; it is consumed, and the exception
     *                                 holds all of it.
     * @throws EOFException            when the other end is gone and every message is read.
     * @throws QueueDamagedException   when the journal is damaged before the last message sent.
     * @throws InterruptedException    when interrupted while waiting.
     */
    public int recvBytesInto(final byte[] buf) throws IOException, InterruptedException
    {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into {@code buf} at {@code offset}, waiting for it.
     *
     * @param buf    where to copy the message.
     * @param offset where in {@code buf} the message goes, 0 to {@code buf.length}.
     * @return the message's length.
     * @throws BufferTooShortException when the message is longer than {@code buf.length - offset}; it is consumed, and
     *                                 the exception holds all of it.
     * @throws EOFException            when the other end is gone and every message is read.
     * @throws QueueDamagedException   when the journal is damaged before the last message sent.
     * @throws InterruptedException    when interrupted while waiting.
     */
    public int recvBytesInto(final byte[] buf, final int offset) throws IOException, InterruptedException
    {
        final PipeReader in = reader("recvBytesInto");
        checkOffset(buf, offset);
        return in.takeLength(in.await(INTO, buf, offset, FOREVER), buf, offset);
    }

    /**
     * Receives the next message into {@code buf} at {@code offset}, waiting at most {@code timeout}.
     *
     * @param buf     where to copy the message.
     * @param offset  where in {@code buf} the message goes, 0 to {@code buf.length}.
     * @param timeout how long to wait; zero or less looks once.
     * @param unit    its unit.
     * @return the message's length.
     * @throws BufferTooShortException when the message does not fit; it is consumed, the exception holds it.
     * @throws TimeoutException        when no message came in time.
     * @throws EOFException            when the other end is gone and every message is read.
     * @throws QueueDamagedException   when the journal is damaged before the last message sent.
     * @throws InterruptedException    when interrupted while waiting.
     */
    public int recvBytesInto(final byte[] buf, final int offset, final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final PipeReader in = reader("recvBytesInto");
        checkOffset(buf, offset);
        final int status = in.await(INTO, buf, offset, unit.toNanos(timeout));
        if (status == NO_MESSAGE)
        {
            throw timedOut("recvBytesInto", timeout, unit);
        }
        return in.takeLength(status, buf, offset);
    }

    /**
     * Whether a receive would return without waiting, as Python's {@code poll()}: true when a message is ready, and
     * also when the other end is gone and every message is read (a receive would throw {@link EOFException} at
     * once). Never consumes a message.
     *
     * @return true when a receive would not block.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws IllegalStateException when this connection is closed or cannot receive.
     */
    public boolean poll()
    {
        final PipeReader in = reader("poll");
        if (in.attempt(PEEK, null, 0) == NO_MESSAGE)
        {
            return false;
        }
        in.unlock();
        return true;
    }

    /**
     * Whether a receive would not block: {@link #poll()}, for {@link Waiting#any} (Python's
     * {@code multiprocessing.connection.wait} on connections).
     *
     * @return true when a message is ready or the other end is gone.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws IllegalStateException when this connection is closed or cannot receive.
     */
    @Override
    public boolean isReady()
    {
        return poll();
    }

    /**
     * Internal, for {@link Waiting}: the peer's send and close ring the bell; its death rings nobody, so the waiter
     * looks again every {@value #LIVENESS_CHECK_MILLIS} ms.
     *
     * @param bell the waiter's bell id.
     * @return the liveness period, or {@code LOOK_AGAIN_SOON} when the control region's waiter table is full.
     * @throws IllegalStateException when this connection is closed or cannot receive.
     */
    @Override
    public long ringWhenReady(final int bell)
    {
        reader("poll");
        return control.ringWhenReceivable(end, bell) ? LIVENESS_CHECK_NANOS : LOOK_AGAIN_SOON;
    }

    /**
     * Internal, for {@link Waiting}.
     *
     * @param bell the waiter's bell id.
     */
    @Override
    public void stopRinging(final int bell)
    {
        if (!closed)
        {
            control.stopRinging(end, bell);
        }
    }

    /**
     * Waits at most {@code timeout} until a receive would not block (see {@link #poll()}). Never consumes a message.
     *
     * @param timeout how long to wait; zero or less looks once.
     * @param unit    its unit.
     * @return true when a message is ready or the other end is gone; false when the time passed.
     * @throws QueueDamagedException when the journal is damaged before the last message sent ({@link #skipDamaged}).
     * @throws InterruptedException  when interrupted while waiting.
     */
    public boolean poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final PipeReader in = reader("poll");
        if (in.await(PEEK, null, 0, unit.toNanos(timeout)) == NO_MESSAGE)
        {
            return false;
        }
        in.unlock();
        return true;
    }

    /**
     * Moves this end's reading past a damaged stretch of the journal it reads: the messages from the next one up to
     * the first readable one after it (or up to the last one the other end sent, when none after it can be read) are
     * lost. Call it after a receive threw {@link QueueDamagedException}; receiving then continues after the damage.
     * Chronicle finds messages past damage through its index, which records every {@code indexSpacing}-th message's
     * position: those between the damage and the next indexed one are lost too.
     *
     * @return how many messages were lost (0 when the next message can be read or none is pending).
     * @throws IllegalStateException when this connection is closed or cannot receive.
     */
    public long skipDamaged()
    {
        return reader("skipDamaged").skipDamaged();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State

    /**
     * Whether {@link #close()} was called on this connection.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Whether this end can receive: both ends of a duplex pipe, end 1 of a one-way pipe.
     *
     * @return true when readable.
     */
    public boolean readable()
    {
        return reader != null;
    }

    /**
     * Whether this end can send: both ends of a duplex pipe, end 2 of a one-way pipe.
     *
     * @return true when writable.
     */
    public boolean writable()
    {
        return writer != null;
    }

    /**
     * Closes this connection. In the end's owner process, unless this process sent the connection to another one, the
     * end closes for both sides: the peer reads what was sent, then gets {@link EOFException}. Elsewhere only this
     * process's copy is released. Idempotent.
     */
    @Override
    public void close()
    {
        final boolean closesEnd;
        synchronized (PipeLink.LOCK)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            link.forget(end, this);
            closesEnd = handoffs == 0 && control.owner(end) == ProcessIdentity.current();
        }
        sendLock.lock();
        try
        {
            if (writer != null)
            {
                writer.close();
            }
        }
        finally
        {
            sendLock.unlock();
        }
        if (closesEnd)
        {
            // After the send lock: every message this end sent is complete before the flag is published (release).
            control.markClosed(end);
        }
        if (reader != null)
        {
            reader.close();
        }
        link.release();
    }

    @Override
    public String toString()
    {
        return "Connection{" + link.describe(end) + (link.duplex ? ", duplex" : ", one-way") +
            (closed ? ", closed" : "") + "}";
    }

    private Object writeReplace() throws ObjectStreamException
    {
        synchronized (PipeLink.LOCK)
        {
            if (closed)
            {
                throw new InvalidObjectException(link.describe(end) + " is closed in this process: it cannot be sent");
            }
            handoffs++;
        }
        return new ConnectionHandle(link.directory.toString(), link.pipeId(), end, codec, waitStrategy,
            link.rollCycle, ProcessIdentity.current());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    /** Throws {@link IllegalStateException} when this connection is closed. */
    void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(link.describe(end) + " is closed");
        }
    }

    /** Called under {@link PipeLink#LOCK} when this process takes the end back from another one. */
    private void resume()
    {
        if (reader != null)
        {
            reader.resume();
        }
    }

    private PipeReader reader(final String operation)
    {
        if (reader == null)
        {
            throw new IllegalStateException(
                link.describe(end) + " is the write end of a one-way pipe: it cannot " + operation);
        }
        return reader;
    }

    private void checkWritable(final String operation)
    {
        if (writer == null)
        {
            throw new IllegalStateException(
                link.describe(end) + " is the read end of a one-way pipe: it cannot " + operation);
        }
        checkOpen();
    }

    private static void checkOffset(final byte[] buf, final int offset)
    {
        if (offset < 0 || offset > buf.length)
        {
            throw new IndexOutOfBoundsException(
                "offset " + offset + " is outside a buffer of " + buf.length + " bytes");
        }
    }

    private TimeoutException timedOut(final String operation, final long timeout, final TimeUnit unit)
    {
        return new TimeoutException(operation + " on " + link.describe(end) + ": no message within " + timeout + " " +
            unit.toString().toLowerCase());
    }
}
