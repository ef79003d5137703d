package dev.ipckit.net;

import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.pool.WorkerLink;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A pool's worker link over an authenticated network connection: one bytes message per frame. */
final class NetWorkerLink implements WorkerLink
{
    private final NetConnection connection;

    NetWorkerLink(final NetConnection connection)
    {
        this.connection = connection;
    }

    @Override
    public void send(final byte[] message) throws IOException
    {
        try
        {
            connection.sendBytes(message);
            // A task or a result is waited for at the other end: one cycle of the driver puts it on the wire now,
            // instead of at the next look of a waiting thread or the background invoker's (up to about a ms later).
            NetDriver.invoke();
        }
        catch (final IllegalStateException ex)
        {
            // Closed here, or the other end is gone.
            if (connection.isClosed())
            {
                throw ended(ex);
            }
            throw new IOException(ex.getMessage(), ex);
        }
    }

    @Override
    public byte[] receive(final long timeout, final TimeUnit unit) throws IOException, InterruptedException
    {
        try
        {
            // A poll, not a timed receive: no exception made for each empty slice.
            return connection.poll(timeout, unit) ? connection.recvBytes() : null;
        }
        catch (final IllegalStateException ex)
        {
            throw ended(ex);
        }
    }

    /** A connection closed on this side (the link was closed while a thread used it) is the link's end. */
    private IOException ended(final IllegalStateException ex)
    {
        if (connection.isClosed())
        {
            final EOFException end = new EOFException("the link to " + connection.peer() + " was closed");
            end.initCause(ex);
            return end;
        }
        throw ex;
    }

    @Override
    public String peer()
    {
        return connection.peer();
    }

    boolean isClosed()
    {
        return connection.isClosed();
    }

    @Override
    public void close()
    {
        connection.close();
    }
}
