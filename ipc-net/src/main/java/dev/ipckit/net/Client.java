package dev.ipckit.net;

import dev.ipckit.net.internal.Frames;
import dev.ipckit.net.internal.Link;
import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.process.ProcessInfo;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;

import java.io.IOException;
import java.net.ConnectException;

/**
 * Connects to a {@link Listener} on this host or another (Python's
 * {@code multiprocessing.connection.Client(address, authkey)}). The client opens a subscription for the listener's
 * answers on an address of this host the listener can reach, sends a HELLO naming its port, and the two ends prove to
 * each other that they hold the same authkey before any message is delivered.
 */
public final class Client
{
    private Client()
    {
    }

    private static io.aeron.Image liveImage(final Subscription replies)
    {
        for (final io.aeron.Image image : replies.images())
        {
            if (!image.isClosed() && !image.isEndOfStream())
            {
                return image;
            }
        }
        return null;
    }

    /**
     * Connects with the default options and this process tree's authkey ({@link ProcessInfo#currentAuthkey()}), to a
     * listener bound with {@link Listener#bind(String)} by a process of the same tree.
     *
     * @param address the listener's {@code host:port}.
     * @return the connection.
     * @throws ConnectException        when no listener answered within the connect timeout.
     * @throws AuthenticationException when the listener holds another authkey, or the other end is not a listener.
     */
    public static NetConnection connect(final String address) throws IOException, InterruptedException
    {
        return connect(address, ProcessInfo.currentAuthkey(), NetOptions.defaults());
    }

    /**
     * Connects with the default options.
     *
     * @param address the listener's {@code host:port}.
     * @param authkey the key both ends hold; not empty.
     * @return the connection.
     * @throws ConnectException        when no listener answered within the connect timeout.
     * @throws AuthenticationException when the two ends hold different authkeys, or the other end is not a listener.
     */
    public static NetConnection connect(final String address, final byte[] authkey)
        throws IOException, InterruptedException
    {
        return connect(address, authkey, NetOptions.defaults());
    }

    /**
     * Connects.
     *
     * @param address the listener's {@code host:port}.
     * @param authkey the key both ends hold; not empty.
     * @param options codec, limits, the connect timeout.
     * @return the connection.
     * @throws IllegalArgumentException when the address is not {@code host:port} or the authkey is empty.
     * @throws ConnectException         when no listener answered within the connect timeout.
     * @throws AuthenticationException  when the two ends hold different authkeys, or the other end is not a listener.
     * @throws InterruptedException     when interrupted while connecting.
     */
    public static NetConnection connect(final String address, final byte[] authkey, final NetOptions options)
        throws IOException, InterruptedException
    {
        final Addresses.HostPort listener = Addresses.parse(address);
        if (listener.port() == 0)
        {
            throw new IllegalArgumentException("a listener's address needs its port: " + address);
        }
        final byte[] key = Addresses.checkAuthkey(authkey);
        final Aeron aeron = NetDriver.aeron();
        final Addresses.HostPort local = new Addresses.HostPort(Addresses.localAddressFor(listener), 0);
        final Subscription replies = NetDriver.uninterrupted(
            () -> aeron.addSubscription(Addresses.channel(local), Frames.REPLY_STREAM_ID));
        ExclusivePublication out = null;
        boolean connected = false;
        try
        {
            final String resolved = Addresses.awaitResolved(replies, local, options.connectTimeout());
            final int replyPort = Addresses.parse(resolved).port();
            out = NetDriver.uninterrupted(
                () -> aeron.addExclusivePublication(Addresses.channel(listener), Frames.LISTEN_STREAM_ID));
            final Link link = new Link(listener.toString(), 0, 0, options.waitStrategy());
            link.publication(out);
            final Handshake handshake = Handshake.client(key, link, replyPort);
            final TimedWait wait =
                new TimedWait(options.waitStrategy().newIdleStrategy(), options.waitStrategy().isBusySpin());
            wait.begin(options.connectTimeout().toNanos(), TimedWait.NO_CHECK, TimedWait.Interrupts.THROW,
                "a connection to " + address);
            try
            {
                while (true)
                {
                    if (link.image() == null || link.peerGone())
                    {
                        // The listener's answers: an image that is live. One that ended is a publication of an
                        // earlier connection to a port the system gave out again; the right one comes after it.
                        link.image(liveImage(replies));
                    }
                    if (handshake.step())
                    {
                        break;
                    }
                    if (wait.miss() == TimedWait.TIMED_OUT)
                    {
                        throw new ConnectException("no ipckit listener answered at " + address + " within " +
                            options.connectTimeout().toMillis() + " ms" + (out.isConnected() ? " (something " +
                            "received there but did not finish the handshake: " + handshake.stage() + ")" : ""));
                    }
                }
            }
            finally
            {
                wait.end();
            }
            final NetConnection connection =
                new NetConnection(link, options, () -> NetDriver.closeUninterrupted(replies));
            connected = true;
            return connection;
        }
        finally
        {
            if (!connected)
            {
                NetDriver.closeUninterrupted(out);
                NetDriver.closeUninterrupted(replies);
            }
        }
    }
}
