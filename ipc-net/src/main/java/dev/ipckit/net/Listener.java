package dev.ipckit.net;

import dev.ipckit.net.internal.Frames;
import dev.ipckit.net.internal.Link;
import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.process.ProcessInfo;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Accepts connections from other processes, on this host or others (Python's
 * {@code multiprocessing.connection.Listener(address, authkey)}): {@link #bind} on a UDP address, then
 * {@link #accept()} returns one {@link NetConnection} per client that proved it holds the authkey (and to which this
 * listener proved it too).
 * <p>
 * Each client's handshake runs within {@link NetOptions#handshakeTimeout()} of its first contact, and the listener
 * steps all pending ones in turn, so a slow or silent client holds up no other. A client with the wrong authkey, or
 * one that does not speak ipckit's handshake, makes {@code accept} throw {@link AuthenticationException} naming it (as
 * Python's does); the next {@code accept} serves the others. The listener answers a client only at the address its
 * first message came from.
 * <p>
 * {@link #close()} stops accepting (an accept running on another thread throws {@link IllegalStateException});
 * connections accepted before stay open (the listener's subscription, which their messages arrive on, closes with the
 * last of them). One thread accepts at a time.
 */
public final class Listener implements AutoCloseable
{
    private final Subscription subscription;
    private final String address;
    private final byte[] authkey;
    private final NetOptions options;
    private final Aeron aeron;
    private final TimedWait wait;
    /** Clients in their handshake, by Aeron session. */
    private final Map<Integer, Pending> pending = new HashMap<>();
    /** Sessions seen (accepted, refused or in handshake): never handed a new handshake while their image lasts. */
    private final Set<Integer> seen = new HashSet<>();
    /** Connections accepted and still open: the subscription closes when the listener and all of them have. */
    private int openConnections;
    /** Written under this listener's lock; read by an accepting thread, which another thread's close must stop. */
    private volatile boolean closed;

    /** A client in its handshake. */
    private static final class Pending
    {
        final Image image;
        final Link link;
        final long deadline;
        Handshake handshake;

        Pending(final Image image, final Link link, final long deadline)
        {
            this.image = image;
            this.link = link;
            this.deadline = deadline;
        }
    }

    private Listener(final Subscription subscription, final String address, final byte[] authkey,
        final NetOptions options, final Aeron aeron)
    {
        this.subscription = subscription;
        this.address = address;
        this.authkey = authkey;
        this.options = options;
        this.aeron = aeron;
        this.wait = new TimedWait(options.waitStrategy().newIdleStrategy(), options.waitStrategy().isBusySpin());
    }

    /**
     * Listens on {@code address} with the default options and this process tree's authkey
     * ({@link ProcessInfo#currentAuthkey()}): the processes this one started, and the one that started it, connect
     * with {@link Client#connect(String)}.
     *
     * @param address {@code host:port} ({@code [v6-address]:port} for IPv6); port 0 picks a free one.
     * @return the listener.
     */
    public static Listener bind(final String address) throws IOException
    {
        return bind(address, ProcessInfo.currentAuthkey(), NetOptions.defaults());
    }

    /**
     * Listens on {@code address} with the default options.
     *
     * @param address {@code host:port} ({@code [v6-address]:port} for IPv6); port 0 picks a free one
     *                ({@link #address()} tells which).
     * @param authkey the key clients must prove they hold; not empty.
     * @return the listener.
     */
    public static Listener bind(final String address, final byte[] authkey) throws IOException
    {
        return bind(address, authkey, NetOptions.defaults());
    }

    /**
     * Listens on {@code address}.
     *
     * @param address {@code host:port}; port 0 picks a free one.
     * @param authkey the key clients must prove they hold; not empty.
     * @param options the codec and limits of the connections accepted.
     * @return the listener.
     * @throws IllegalArgumentException when the address is not {@code host:port} or the authkey is empty.
     * @throws IOException              when the address cannot be bound (in use, or not this host's).
     */
    public static Listener bind(final String address, final byte[] authkey, final NetOptions options)
        throws IOException
    {
        final Addresses.HostPort hostPort = Addresses.parse(address);
        final byte[] key = Addresses.checkAuthkey(authkey);
        final Aeron aeron = NetDriver.aeron();
        final Subscription subscription;
        try
        {
            subscription = NetDriver.uninterrupted(
                () -> aeron.addSubscription(Addresses.channel(hostPort), Frames.LISTEN_STREAM_ID));
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
        final String resolved = Addresses.awaitResolved(subscription, hostPort, options.connectTimeout());
        final Listener listener = new Listener(subscription, resolved, key, options, aeron);
        NetDriver.opened(listener);
        return listener;
    }

    /** @return the address this listener receives on, with the port it got. */
    public String address()
    {
        return address;
    }

    /**
     * Waits for the next client to connect and prove it holds the authkey.
     *
     * @return the connection.
     * @throws AuthenticationException when a client failed the handshake (wrong authkey, or not an ipckit client);
     *                                 call again for the next client.
     * @throws InterruptedException    when interrupted while waiting.
     */
    public NetConnection accept() throws IOException, InterruptedException
    {
        final NetConnection connection = accept(TimedWait.FOREVER);
        if (connection == null)
        {
            throw new IllegalStateException("an accept without a timeout timed out");
        }
        return connection;
    }

    /**
     * Waits at most {@code timeout} for the next client.
     *
     * @throws TimeoutException        when none finished its handshake in time.
     * @throws AuthenticationException when a client failed the handshake; call again for the next client.
     */
    public NetConnection accept(final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException, TimeoutException
    {
        final NetConnection connection = accept(unit.toNanos(timeout));
        if (connection == null)
        {
            throw new TimeoutException("no client connected to " + address + " within " + timeout + " " + unit);
        }
        return connection;
    }

    private NetConnection accept(final long timeoutNanos) throws IOException, InterruptedException
    {
        if (closed)
        {
            throw new IllegalStateException("cannot accept: the listener on " + address + " is closed");
        }
        wait.begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, this);
        try
        {
            while (true)
            {
                if (closed)
                {
                    throw new IllegalStateException("the listener on " + address + " was closed while accepting");
                }
                final NetConnection accepted;
                // Under the lock: a close on another thread closes the pending handshakes step() walks.
                synchronized (this)
                {
                    accepted = closed ? null : step();
                }
                if (accepted != null)
                {
                    return accepted;
                }
                if (wait.miss() == TimedWait.TIMED_OUT)
                {
                    return null;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /** Takes in new clients and steps every pending handshake once; under this listener's lock. */
    private NetConnection step() throws IOException
    {
        NetDriver.invoke(); // new clients' images come with the client conductor's cycle
        final long now = System.nanoTime();
        for (final Image image : subscription.images())
        {
            if (seen.add(image.sessionId()))
            {
                final Link link = new Link(Addresses.peerOf(image.sourceIdentity()), Frames.HELLO_LENGTH, Link.allow(Frames.HELLO),
                    options.waitStrategy());
                link.image(image);
                pending.put(image.sessionId(), new Pending(image, link, now + options.handshakeTimeout().toNanos()));
            }
        }
        forgetGoneSessions();
        final Iterator<Pending> each = pending.values().iterator();
        while (each.hasNext())
        {
            final Pending client = each.next();
            try
            {
                if (client.handshake == null)
                {
                    readHello(client);
                }
                if (client.handshake != null && client.handshake.step())
                {
                    each.remove();
                    openConnections++;
                    return new NetConnection(client.link, options, this::connectionClosed);
                }
                if (now - client.deadline > 0)
                {
                    // Silent or slow past its handshake timeout: dropped, the others go on.
                    each.remove();
                    client.link.closePublication();
                }
            }
            catch (final AuthenticationException ex)
            {
                each.remove();
                client.link.closePublication();
                throw ex;
            }
            catch (final IOException ex)
            {
                // Gone during its handshake: nothing to report to the accepting code.
                each.remove();
                client.link.closePublication();
            }
        }
        return null;
    }

    /** Reads a client's HELLO, if it came, and makes the publication back to it. */
    private void readHello(final Pending client) throws IOException
    {
        final byte type;
        try
        {
            type = client.link.poll();
        }
        catch (final Link.ProtocolException ex)
        {
            throw new AuthenticationException(client.link.peer() + " is not an ipckit client: " + ex.getMessage());
        }
        if (type == 0)
        {
            return;
        }
        final org.agrona.MutableDirectBuffer hello = client.link.message();
        final int base = -Frames.HEADER_LENGTH;
        if (client.link.messageLength() != Frames.HELLO_LENGTH ||
            hello.getInt(base + Frames.HELLO_MAGIC_OFFSET) != Frames.MAGIC)
        {
            throw new AuthenticationException(client.link.peer() + " is not an ipckit client (its first message is " +
                "not an ipckit HELLO)");
        }
        final int version = hello.getInt(base + Frames.HELLO_VERSION_OFFSET);
        final int stream = hello.getInt(base + Frames.HELLO_STREAM_OFFSET);
        final int port = hello.getInt(base + Frames.HELLO_PORT_OFFSET);
        client.link.consume();
        if (version != Frames.VERSION)
        {
            throw new AuthenticationException(client.link.peer() + " speaks version " + version +
                " of ipckit's network protocol; this listener speaks " + Frames.VERSION);
        }
        if (port < 1 || port > 65535 || stream != Frames.REPLY_STREAM_ID)
        {
            throw new AuthenticationException(client.link.peer() + " sent a HELLO with reply port " + port +
                " and stream " + stream);
        }
        final String replyTo = Addresses.withPort(Addresses.hostOf(client.link.peer()), port);
        final ExclusivePublication back;
        try
        {
            back = NetDriver.uninterrupted(
                () -> aeron.addExclusivePublication(Addresses.channel(Addresses.parse(replyTo)), stream));
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot answer " + replyTo + ": " + ex.getMessage(), ex);
        }
        client.link.publication(back);
        client.handshake = Handshake.server(authkey, client.link);
    }

    private void forgetGoneSessions()
    {
        final List<Integer> live = new ArrayList<>();
        for (final Image image : subscription.images())
        {
            live.add(image.sessionId());
        }
        seen.retainAll(live);
    }

    private void connectionClosed()
    {
        synchronized (this)
        {
            openConnections--;
            if (closed && openConnections == 0)
            {
                NetDriver.closeUninterrupted(subscription);
            }
        }
    }

    /** Stops accepting; accepted connections stay open. Idempotent. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            for (final Pending client : pending.values())
            {
                client.link.closePublication();
            }
            pending.clear();
            if (openConnections == 0)
            {
                NetDriver.closeUninterrupted(subscription);
            }
        }
        NetDriver.closed(this);
    }

    @Override
    public String toString()
    {
        return "Listener{" + address + (closed ? ", closed" : "") + "}";
    }
}
