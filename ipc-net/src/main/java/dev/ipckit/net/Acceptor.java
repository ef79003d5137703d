package dev.ipckit.net;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The accepting thread of a server ({@link QueueServer}, {@link PoolServer}): accepts connections one after another
 * and hands each on, until closed. A client with the wrong key, or no ipckit client at all, is refused by the
 * listener and the others are served; any other failure of the listener ends the accepting, with a line on stderr
 * unless the server was closing.
 */
final class Acceptor
{
    /** How long an accept waits before it looks whether the server closed. */
    private static final long ACCEPT_SLICE_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /** Takes over an accepted connection. */
    @FunctionalInterface
    interface OnConnection
    {
        void accepted(NetConnection connection);
    }

    private final Listener listener;
    private final String server;
    private final OnConnection onConnection;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param listener     where connections come from; closed by {@link #close()}.
     * @param server       what the server is, for its thread's name and messages ("queue server").
     * @param onConnection takes each connection.
     */
    Acceptor(final Listener listener, final String server, final OnConnection onConnection)
    {
        this.listener = listener;
        this.server = server;
        this.onConnection = onConnection;
        this.thread = new Thread(this::accept, "ipckit-" + server.replace(' ', '-') + "-" + listener.address());
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    boolean isClosed()
    {
        return closed;
    }

    private void accept()
    {
        while (!closed)
        {
            final NetConnection connection;
            try
            {
                connection = listener.accept(ACCEPT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException | AuthenticationException ex)
            {
                // Nobody came (look whether the server closed), or a wrong key or no ipckit client: others are served.
                continue;
            }
            catch (final IOException | InterruptedException | IllegalStateException ex)
            {
                if (!closed)
                {
                    System.err.println("ipckit: the " + server + " on " + listener.address() + " stopped accepting: " +
                        ex);
                }
                return;
            }
            onConnection.accepted(connection);
        }
    }

    /** Stops accepting: closes the listener and waits a few seconds for the thread. Idempotent. */
    void close()
    {
        closed = true;
        listener.close();
        try
        {
            thread.join(CLOSE_WAIT_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
