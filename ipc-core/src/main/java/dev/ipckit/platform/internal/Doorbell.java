package dev.ipckit.platform.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A sleeping waiter's bell: a Unix-domain socket that other processes connect to and write a byte to, and a selector
 * the waiter blocks on, so a writer in another JVM wakes it without the waiter polling (there is no futex between
 * JVMs in Java 17; a socket is the kernel wait queue Java can reach). A writer in the same JVM wakes the selector
 * directly. Got from {@link Doorbells#acquire()}, used by one thread at a time, given back with
 * {@link Doorbells#release}.
 * <p>
 * A ring only wakes: the bytes are read and dropped, never interpreted, so whoever can connect (only this uid: the
 * socket is in a directory only it can enter) can at most wake the waiter early, and the waiter looks again.
 */
public final class Doorbell
{
    private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final int id;
    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(64);
    /** Set by a ring from this JVM before it wakes the selector; cleared by the sleeper. */
    private volatile boolean rungHere;

    Doorbell(final int id, final Path path) throws IOException
    {
        this.id = id;
        this.path = path;
        // A file at our name is a dead process's (pid and number are unique among live bells): replace it.
        Files.deleteIfExists(path);
        final ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector opened = null;
        try
        {
            channel.bind(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            opened = Selector.open();
            channel.register(opened, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, opened);
            Files.deleteIfExists(path);
            throw ex;
        }
        this.server = channel;
        this.selector = opened;
    }

    /**
     * The id writers find in a waiter table and ring: the pid in the upper bits, this JVM's bell number below
     * ({@link Doorbells#pidOf}).
     *
     * @return the id, never 0.
     */
    public int id()
    {
        return id;
    }

    /**
     * Drops every ring already received, without waiting: call it before registering in waiter tables, so a ring
     * left over from an earlier wait does not end the next sleep at once.
     *
     * @throws IOException when the socket fails (the caller then stops using the bell).
     */
    public void drain() throws IOException
    {
        rungHere = false;
        if (selector.selectNow() > 0)
        {
            handleSelected();
        }
    }

    /**
     * Sleeps until rung, interrupted, or {@code nanos} pass. Selectors count in milliseconds: a sleep shorter than
     * one millisecond is a park (not ended by a ring), longer ones are rounded up to whole milliseconds.
     *
     * @param nanos the longest sleep; {@link Long#MAX_VALUE} for no limit.
     * @return true when the sleep ended by a ring, false when the time passed (or the thread was interrupted).
     * @throws IOException when the socket fails (the caller then stops using the bell).
     */
    public boolean sleep(final long nanos) throws IOException
    {
        if (nanos < NANOS_PER_MILLI)
        {
            LockSupport.parkNanos(nanos);
            return false;
        }
        final int selected = nanos == Long.MAX_VALUE ?
            selector.select() : selector.select((nanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
        if (selected > 0)
        {
            handleSelected();
            rungHere = false;
            return true;
        }
        // Zero keys: the time passed, a ring from this JVM, or an interrupt.
        final boolean rung = rungHere;
        rungHere = false;
        return rung;
    }

    /** Wakes the thread sleeping on this bell, or makes its next sleep return at once: a ring from this JVM. */
    void wakeUp()
    {
        rungHere = true;
        selector.wakeup();
    }

    /** Closes the socket and the selector and removes the socket's file. */
    void close()
    {
        closeQuietly(server, selector);
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // A file left behind is replaced by the next bell of this name, or removed with its directory.
        }
    }

    @Override
    public String toString()
    {
        return "Doorbell{" + path + "}";
    }

    private void handleSelected() throws IOException
    {
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid())
            {
                continue;
            }
            if (key.isAcceptable())
            {
                for (SocketChannel ringer = server.accept(); ringer != null; ringer = server.accept())
                {
                    // A ringer keeps its connection for its next rings; its bytes are read as they come.
                    ringer.configureBlocking(false);
                    ringer.register(selector, SelectionKey.OP_READ);
                    drainRinger(ringer, ringer.keyFor(selector));
                }
            }
            else if (key.isReadable())
            {
                drainRinger((SocketChannel)key.channel(), key);
            }
        }
    }

    private void drainRinger(final SocketChannel ringer, final SelectionKey key)
    {
        try
        {
            int read;
            do
            {
                sink.clear();
                read = ringer.read(sink);
            }
            while (read > 0);
            if (read < 0)
            {
                // The ringer closed the connection or its process died.
                key.cancel();
                ringer.close();
            }
        }
        catch (final IOException ex)
        {
            key.cancel();
            try
            {
                ringer.close();
            }
            catch (final IOException ignore)
            {
                // Closing a broken connection: nothing else to do.
            }
        }
    }

    private static void closeQuietly(final ServerSocketChannel channel, final Selector selector)
    {
        try
        {
            // Closed already when the JVM's exit closed its bells under a sleeper, which then discards its own.
            if (selector != null && selector.isOpen())
            {
                for (final SelectionKey key : new ArrayList<>(selector.keys()))
                {
                    key.channel().close();
                }
                selector.close();
            }
        }
        catch (final IOException | ClosedSelectorException ignore)
        {
            // Closing (or closed by another thread meanwhile): nothing to do.
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing: nothing to do.
        }
    }
}
