package dev.ipckit.net;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.queue.QueueShutDownException;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link dev.ipckit.queue.SharedQueue} served by a {@link QueueServer} in another process, on this host or another:
 * {@link #put}, {@link #offer}, {@link #take} and {@link #poll} with the queue's promises (each message to one
 * consumer among the local and remote ones, each producer's order kept; see {@link QueueServer} for delivery). One
 * connection, one request at a time: calls from several threads take turns; open one per thread for more in flight.
 * <p>
 * An item this queue took is held for it by the server until its next call or {@link #close()}; if this process dies
 * first, or the network is cut for longer than the liveness timeout, the server gives the item to another consumer.
 * A call when the server is gone throws {@link IllegalStateException}; a queue that was shut down throws
 * {@link QueueShutDownException} from a take, as locally.
 *
 * @param <E> the message type.
 */
public final class RemoteQueue<E> implements AutoCloseable
{
    private final NetConnection connection;
    private final String address;
    private final ReentrantLock turn = new ReentrantLock();

    private RemoteQueue(final NetConnection connection, final String address)
    {
        this.connection = connection;
        this.address = address;
    }

    /**
     * Opens a queue served with {@link Codecs#standard()} (the default codec of a {@code SharedQueue}), with this
     * process tree's authkey ({@link ProcessInfo#currentAuthkey()}).
     *
     * @param address the server's {@code host:port}.
     * @return the queue.
     * @throws java.net.ConnectException when no server answered within the connect timeout.
     * @throws AuthenticationException   when the server holds another authkey.
     */
    public static RemoteQueue<Object> open(final String address) throws IOException, InterruptedException
    {
        return open(address, ProcessInfo.currentAuthkey(), Codecs.standard(), NetOptions.defaults());
    }

    /**
     * Opens a queue served on {@code address}.
     *
     * @param address the server's {@code host:port}.
     * @param authkey the key the server holds.
     * @param codec   the queue's codec (the server's queue must have the same).
     * @param options the connection's limits and waits; its codec is replaced by {@code codec}.
     * @param <E>     the message type.
     * @return the queue.
     */
    @SuppressWarnings("unchecked")
    public static <E> RemoteQueue<E> open(
        final String address, final byte[] authkey, final Codec<E> codec, final NetOptions options)
        throws IOException, InterruptedException
    {
        Objects.requireNonNull(codec, "codec");
        final NetConnection connection = Client.connect(address, authkey, options.withCodec((Codec<Object>)codec));
        return new RemoteQueue<>(connection, address);
    }

    /**
     * Puts a message, waiting for room as long as it takes (a bounded queue).
     *
     * @param message the message.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when the server is gone, or refused the message (its text says why).
     */
    public void put(final E message) throws InterruptedException
    {
        putWithin(message, QueueProtocol.FOREVER);
    }

    /**
     * Puts a message if there is room now.
     *
     * @return false when the queue was full.
     */
    public boolean offer(final E message) throws InterruptedException
    {
        return putWithin(message, 0);
    }

    /**
     * Puts a message, waiting at most {@code timeout} for room.
     *
     * @return false when there was no room in time.
     */
    public boolean offer(final E message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return putWithin(message, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Takes the next message, waiting as long as it takes.
     *
     * @return the message.
     * @throws QueueShutDownException when the queue was shut down and is empty.
     */
    public E take() throws InterruptedException
    {
        return takeWithin(QueueProtocol.FOREVER);
    }

    /** @return the next message, or null when there is none now. */
    public E poll() throws InterruptedException
    {
        return takeWithin(0);
    }

    /** @return the next message, or null when none came within the timeout. */
    public E poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return takeWithin(Math.max(0, unit.toNanos(timeout)));
    }

    /** @return the server's address. */
    public String address()
    {
        return address;
    }

    private boolean putWithin(final E message, final long timeoutNanos) throws InterruptedException
    {
        Objects.requireNonNull(message, "message");
        turn.lockInterruptibly();
        try
        {
            connection.sendBytes(QueueProtocol.request(QueueProtocol.PUT, timeoutNanos));
            connection.send(message);
            final byte[] answer = answer();
            return switch (answer[0])
            {
                case QueueProtocol.DONE -> true;
                case QueueProtocol.FULL -> false;
                default -> throw refused(answer);
            };
        }
        finally
        {
            turn.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private E takeWithin(final long timeoutNanos) throws InterruptedException
    {
        turn.lockInterruptibly();
        try
        {
            connection.sendBytes(QueueProtocol.request(QueueProtocol.TAKE, timeoutNanos));
            final byte[] answer = answer();
            return switch (answer[0])
            {
                case QueueProtocol.ITEM -> (E)receive();
                case QueueProtocol.EMPTY -> null;
                default -> throw refused(answer);
            };
        }
        finally
        {
            turn.unlock();
        }
    }

    private byte[] answer() throws InterruptedException
    {
        final byte[] answer = (byte[])receive();
        if (answer.length == 0)
        {
            throw new IllegalStateException("the queue server at " + address + " sent an empty answer");
        }
        return answer;
    }

    private Object receive() throws InterruptedException
    {
        try
        {
            return connection.recv();
        }
        catch (final EOFException ex)
        {
            throw new IllegalStateException("the queue server at " + address + " is gone: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the queue server at " + address + " broke the protocol: " + ex, ex);
        }
    }

    private RuntimeException refused(final byte[] answer)
    {
        return switch (answer[0])
        {
            case QueueProtocol.SHUT_DOWN -> new QueueShutDownException(QueueProtocol.errorText(answer));
            case QueueProtocol.ERROR -> new IllegalStateException("the queue server at " + address + " refused: " +
                QueueProtocol.errorText(answer));
            default -> new IllegalStateException("the queue server at " + address + " answered " + answer[0]);
        };
    }

    /** Acknowledges what this queue holds and closes the connection. Idempotent. */
    @Override
    public void close()
    {
        if (!connection.isClosed())
        {
            try
            {
                connection.sendBytes(new byte[] {QueueProtocol.BYE}, 0, 1, 1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final IllegalStateException ex)
            {
                // the server is gone
            }
            connection.close();
        }
    }

    @Override
    public String toString()
    {
        return "RemoteQueue{" + address + "}";
    }
}
