package dev.ipckit.net;

import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.ProcessInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lets workers on other hosts join a {@link ProcessPool} (Python's remote workers of a served manager): each worker,
 * {@code ./ipckit worker --connect host:port} or {@link RemoteWorker}, connects with the authkey, proves it holds it,
 * and takes one of the pool's remote seats ({@code PoolOptions.withRemoteWorkers}); tasks then go to it and to the
 * pool's own workers alike. A remote worker lost (its process killed, or its connection ended or cut off past the
 * liveness timeout, {@link Network#setLivenessTimeout}) fails only the task it was running, with a
 * {@code WorkerDiedException} naming its host and pid; the tasks sent ahead to it go to the other workers.
 * <p>
 * {@link #close()} stops accepting and ends the links of the workers it seated (their JVMs end; the task one was
 * running fails as for a lost worker). The server's threads are daemon threads named {@code ipckit-pool-server-...}.
 */
public final class PoolServer implements AutoCloseable
{
    private final ProcessPool pool;
    private final Listener listener;
    private final Acceptor acceptor;
    /** The links of the workers this server seated; guarded by itself, as {@link #closed}. */
    private final List<NetWorkerLink> links = new ArrayList<>();
    private boolean closed;

    private PoolServer(final ProcessPool pool, final Listener listener)
    {
        this.pool = pool;
        this.listener = listener;
        this.acceptor = new Acceptor(listener, "pool server", this::accepted);
    }

    /**
     * Serves a pool on {@code address} to workers holding this process tree's authkey
     * ({@link ProcessInfo#currentAuthkey()}).
     *
     * @param pool    the pool; it needs remote seats ({@code PoolOptions.withRemoteWorkers}).
     * @param address {@code host:port} to listen on; port 0 picks a free one ({@link #address()}).
     * @return the server, accepting.
     * @throws IOException when the address cannot be bound.
     */
    public static PoolServer serve(final ProcessPool pool, final String address) throws IOException
    {
        return serve(pool, address, ProcessInfo.currentAuthkey(), NetOptions.defaults());
    }

    /**
     * Serves a pool on {@code address} to workers holding {@code authkey}.
     *
     * @param pool    the pool.
     * @param address {@code host:port}.
     * @param authkey the key workers prove they hold.
     * @param options limits and waits of the connections.
     * @return the server, accepting.
     * @throws IOException              when the address cannot be bound.
     * @throws IllegalArgumentException when the pool has no remote seats.
     */
    public static PoolServer serve(final ProcessPool pool, final String address, final byte[] authkey,
        final NetOptions options) throws IOException
    {
        Objects.requireNonNull(pool, "pool");
        if (pool.remoteWorkerSeats() == 0)
        {
            throw new IllegalArgumentException("pool " + pool + " has no seats for remote workers: create it with " +
                "PoolOptions.withRemoteWorkers(n)");
        }
        final PoolServer server = new PoolServer(pool, Listener.bind(address, authkey, options));
        server.acceptor.start();
        return server;
    }

    /** @return the address workers connect to, with the port it got. */
    public String address()
    {
        return listener.address();
    }

    private void accepted(final NetConnection connection)
    {
        final NetWorkerLink link = new NetWorkerLink(connection);
        synchronized (links)
        {
            if (closed)
            {
                link.close();
                return;
            }
            links.removeIf(NetWorkerLink::isClosed);
            links.add(link);
        }
        // The HELLO may take a while: not on the acceptor's thread.
        final Thread seating = new Thread(() -> seat(link), "ipckit-pool-server-seating-" + connection.peer());
        seating.setDaemon(true);
        seating.start();
    }

    private void seat(final NetWorkerLink link)
    {
        try
        {
            pool.acceptWorker(link);
        }
        catch (final IllegalStateException ex)
        {
            // Refused (no free seat, the pool shut down, another version): the worker was told why.
        }
        catch (final IOException | InterruptedException ex)
        {
            if (!acceptor.isClosed())
            {
                System.err.println("ipckit: the pool server on " + address() + " could not seat a worker from " +
                    link.peer() + ": " + ex.getMessage());
            }
        }
    }

    /**
     * Stops accepting and ends the links of the workers this server seated. Idempotent; the pool stays open.
     */
    @Override
    public void close()
    {
        final List<NetWorkerLink> ending;
        synchronized (links)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            ending = new ArrayList<>(links);
        }
        acceptor.close();
        for (final NetWorkerLink link : ending)
        {
            link.close();
        }
    }

    @Override
    public String toString()
    {
        return "PoolServer{pool=" + pool + ", address=" + address() + "}";
    }
}
