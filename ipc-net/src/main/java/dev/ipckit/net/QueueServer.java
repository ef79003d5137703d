package dev.ipckit.net;

import dev.ipckit.codec.Codec;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.queue.SharedQueue;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves a {@link SharedQueue} to other processes and hosts (Python's remote manager serving a queue): each client,
 * a {@link RemoteQueue}, puts and takes over one authenticated {@link NetConnection}, and a thread of this server
 * puts and takes on the queue for it. So remote producers and consumers compete with local ones on equal terms, and
 * the queue's promises hold for them: each message to one consumer, each producer's messages in the order it put
 * them (a remote producer's puts are made one after another, in the order they arrive).
 * <p>
 * <b>Delivery: at least once</b>, as for a local consumer: an item taken for a client is held until the client's
 * next request (or its orderly close). If the connection ends first (the client's process died, or it was cut off
 * past the liveness timeout, {@link Network#setLivenessTimeout}), the server puts the item back into the queue, so
 * another consumer gets it (out of order with respect to its producer's later messages, as a dead local consumer's
 * message is). While a client waits in a take, the server looks every {@value #LIVENESS_LOOK_MILLIS} ms whether it
 * is still there, so a dead client's take ends without taking anything.
 * <p>
 * Any process using the queue may serve it, on as many addresses as it likes; {@link #close()} stops accepting and
 * ends the clients' connections (what they hold goes back into the queue). The server's threads are daemon threads
 * named {@code ipckit-queue-server-...}.
 */
public final class QueueServer implements AutoCloseable
{
    /** How often a waiting take looks whether its client is still there. */
    static final long LIVENESS_LOOK_MILLIS = 50;

    private final SharedQueue<Object> queue;
    private final Listener listener;
    private final Acceptor acceptor;
    /** The clients served now; guarded by itself, as the writes of {@link #closed}. */
    private final List<ClientThread> clients = new ArrayList<>();
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    private QueueServer(final SharedQueue<?> queue, final Listener listener)
    {
        this.queue = (SharedQueue<Object>)queue;
        this.listener = listener;
        this.acceptor = new Acceptor(listener, "queue server", this::accepted);
    }

    /**
     * Serves a queue on {@code address} to processes holding this process tree's authkey
     * ({@link ProcessInfo#currentAuthkey()}).
     *
     * @param queue   the queue; it stays open (and the caller's) when the server closes.
     * @param address {@code host:port} to listen on; port 0 picks a free one ({@link #address()}).
     * @return the server, accepting.
     * @throws IOException when the address cannot be bound.
     */
    public static QueueServer serve(final SharedQueue<?> queue, final String address) throws IOException
    {
        return serve(queue, address, ProcessInfo.currentAuthkey(), NetOptions.defaults());
    }

    /**
     * Serves a queue on {@code address} to clients holding {@code authkey}.
     *
     * @param queue   the queue.
     * @param address {@code host:port}.
     * @param authkey the key clients prove they hold.
     * @param options limits and waits of the connections; their codec is always the queue's.
     * @return the server, accepting.
     * @throws IOException when the address cannot be bound.
     */
    @SuppressWarnings("unchecked")
    public static QueueServer serve(
        final SharedQueue<?> queue, final String address, final byte[] authkey, final NetOptions options)
        throws IOException
    {
        Objects.requireNonNull(queue, "queue");
        final NetOptions withCodec = options.withCodec((Codec<Object>)queue.codec());
        final QueueServer server = new QueueServer(queue, Listener.bind(address, authkey, withCodec));
        server.acceptor.start();
        return server;
    }

    /** @return the address clients connect to, with the port it got. */
    public String address()
    {
        return listener.address();
    }

    /** @return the number of clients connected now. */
    public int clientCount()
    {
        synchronized (clients)
        {
            return clients.size();
        }
    }

    private void accepted(final NetConnection connection)
    {
        final ClientThread client = new ClientThread(connection);
        synchronized (clients)
        {
            if (closed)
            {
                connection.close();
                return;
            }
            clients.add(client);
        }
        client.start();
    }

    /**
     * Stops accepting and ends every client's connection; items held for clients go back into the queue. Waits up to
     * a few seconds for the server's threads. Idempotent.
     */
    @Override
    public void close()
    {
        final List<ClientThread> ending;
        synchronized (clients)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            ending = new ArrayList<>(clients);
        }
        acceptor.close();
        // Not an interrupt: Aeron's client ends itself when a thread waiting for its driver is interrupted.
        for (final ClientThread client : ending)
        {
            client.connection.close();
        }
        try
        {
            for (final ClientThread client : ending)
            {
                client.join(5_000);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return "QueueServer{queue=" + queue.name() + ", address=" + address() + ", clients=" + clientCount() + "}";
    }

    /** Serves one client: its requests one after another, and the item it holds. */
    private final class ClientThread extends Thread
    {
        private final NetConnection connection;
        /** The item taken for the client and not yet acknowledged, or null. */
        private Object held;

        ClientThread(final NetConnection connection)
        {
            super("ipckit-queue-server-" + connection.peer());
            setDaemon(true);
            this.connection = connection;
        }

        @Override
        public void run()
        {
            try
            {
                while (!closed)
                {
                    final byte[] request;
                    try
                    {
                        request = connection.recvBytes();
                    }
                    catch (final EOFException end)
                    {
                        return;
                    }
                    // Any request acknowledges the item taken before it.
                    held = null;
                    if (request.length == 1 && request[0] == QueueProtocol.BYE)
                    {
                        return;
                    }
                    if (request.length != QueueProtocol.REQUEST_LENGTH)
                    {
                        connection.sendBytes(QueueProtocol.error("a request of " + request.length + " bytes"));
                        return;
                    }
                    final long timeoutNanos = QueueProtocol.timeoutOf(request);
                    switch (request[0])
                    {
                        case QueueProtocol.PUT -> put(timeoutNanos);
                        case QueueProtocol.TAKE -> take(timeoutNanos);
                        default ->
                        {
                            connection.sendBytes(QueueProtocol.error("an unknown request " + request[0]));
                            return;
                        }
                    }
                }
            }
            catch (final IOException | RuntimeException | InterruptedException ex)
            {
                // A client that went away is no news (what it held goes back below); anything else is.
                if (!closed && !(ex instanceof EOFException) &&
                    !(ex instanceof IllegalStateException && connection.isClosed()))
                {
                    System.err.println("ipckit: the queue server on " + address() + " dropped " +
                        connection.peer() + ": " + ex);
                }
            }
            finally
            {
                giveBack();
                connection.close();
                synchronized (clients)
                {
                    clients.remove(this);
                }
            }
        }

        private void put(final long timeoutNanos) throws IOException, InterruptedException
        {
            final Object item;
            try
            {
                item = connection.recv(60, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                throw new IOException("a PUT came without its item within 60 s", ex);
            }
            final boolean put;
            try
            {
                put = awaitRoom(item, timeoutNanos);
            }
            catch (final IllegalStateException | IllegalArgumentException ex)
            {
                connection.sendBytes(QueueProtocol.failure(ex));
                return;
            }
            connection.sendBytes(new byte[] {put ? QueueProtocol.DONE : QueueProtocol.FULL});
        }

        /** Offers in slices, looking between them whether the client and the server are still there. */
        private boolean awaitRoom(final Object item, final long timeoutNanos) throws IOException, InterruptedException
        {
            final long start = System.nanoTime();
            while (true)
            {
                final long left = slice(start, timeoutNanos);
                if (queue.offer(item, left, TimeUnit.NANOSECONDS))
                {
                    return true;
                }
                if (lastSlice(start, timeoutNanos))
                {
                    return false;
                }
                checkStillThere("room");
            }
        }

        /** The next wait: at most {@link #LIVENESS_LOOK_MILLIS}, at most what is left of the timeout. */
        private long slice(final long start, final long timeoutNanos)
        {
            final long look = TimeUnit.MILLISECONDS.toNanos(LIVENESS_LOOK_MILLIS);
            return timeoutNanos == QueueProtocol.FOREVER ?
                look : Math.max(0, Math.min(look, timeoutNanos - (System.nanoTime() - start)));
        }

        private boolean lastSlice(final long start, final long timeoutNanos)
        {
            return timeoutNanos != QueueProtocol.FOREVER && System.nanoTime() - start >= timeoutNanos;
        }

        /** The client sends nothing while it waits: anything ready on its connection is its end. */
        private void checkStillThere(final String what) throws IOException
        {
            if (closed)
            {
                throw new EOFException("the server closed while " + connection.peer() + " waited for " + what);
            }
            if (connection.poll())
            {
                throw new EOFException(connection.peer() + " went away while it waited for " + what);
            }
        }

        private void take(final long timeoutNanos) throws IOException, InterruptedException
        {
            final long start = System.nanoTime();
            Object item;
            try
            {
                while (true)
                {
                    item = queue.poll(slice(start, timeoutNanos), TimeUnit.NANOSECONDS);
                    if (item != null || lastSlice(start, timeoutNanos))
                    {
                        break;
                    }
                    checkStillThere("an item");
                }
            }
            catch (final IllegalStateException ex)
            {
                connection.sendBytes(QueueProtocol.failure(ex));
                return;
            }
            if (item == null)
            {
                connection.sendBytes(new byte[] {QueueProtocol.EMPTY});
                return;
            }
            held = item;
            connection.sendBytes(new byte[] {QueueProtocol.ITEM});
            connection.send(item);
        }

        /** Puts back the item the client held when its connection ended: another consumer gets it. */
        private void giveBack()
        {
            final Object item = held;
            held = null;
            if (item == null)
            {
                return;
            }
            try
            {
                // Room is there unless others filled it since: the item was counted as taken.
                if (!queue.offer(item, 10, TimeUnit.SECONDS))
                {
                    System.err.println("ipckit: the queue server on " + address() + " could not put back an item " +
                        connection.peer() + " held: the queue stayed full for 10 s");
                }
            }
            catch (final InterruptedException ex)
            {
                System.err.println("ipckit: the queue server on " + address() + " was interrupted putting back an " +
                    "item " + connection.peer() + " held");
                Thread.currentThread().interrupt();
            }
            catch (final IllegalStateException ex)
            {
                System.err.println("ipckit: the queue server on " + address() + " could not put back an item " +
                    connection.peer() + " held: " + ex.getMessage());
            }
        }
    }
}
