package dev.ipckit.net;

import dev.ipckit.net.internal.NetDriver;
import io.aeron.Subscription;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

/** Addresses as users write them ({@code host:port}, {@code [v6]:port}) and as Aeron's channels want them. */
final class Addresses
{
    /** A parsed address. */
    record HostPort(String host, int port)
    {
        @Override
        public String toString()
        {
            return withPort(host, port);
        }
    }

    private Addresses()
    {
    }

    /**
     * @throws IllegalArgumentException when it is not {@code host:port} with a port from 0 to 65535.
     */
    static HostPort parse(final String address)
    {
        if (address == null)
        {
            throw new IllegalArgumentException("an address must be host:port, not null");
        }
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1)
        {
            throw new IllegalArgumentException("an address must be host:port ([v6-address]:port for IPv6): " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("an IPv6 address goes in brackets, [v6-address]:port: " + address);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+"))
        {
            throw new IllegalArgumentException("not a host name or address in " + address);
        }
        final int port;
        try
        {
            port = Integer.parseInt(address.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a port number in " + address);
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("a port is from 0 to 65535: " + address);
        }
        return new HostPort(host, port);
    }

    static String withPort(final String host, final int port)
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The host of a peer as {@link #peerOf} writes it ({@code 127.0.0.1:40123}, {@code [::1]:40123}). */
    static String hostOf(final String peer)
    {
        return parse(peer).host();
    }

    /**
     * A peer's address as users write it, from Aeron's {@code sourceIdentity}, which gives an IPv6 source without
     * brackets ({@code 0:0:0:0:0:0:0:1:40123}): the port is after the last colon.
     */
    static String peerOf(final String sourceIdentity)
    {
        final int colon = sourceIdentity.lastIndexOf(':');
        if (sourceIdentity.startsWith("[") || colon <= 0 || sourceIdentity.indexOf(':') == colon)
        {
            return sourceIdentity;
        }
        return "[" + sourceIdentity.substring(0, colon) + "]" + sourceIdentity.substring(colon);
    }

    static String channel(final HostPort address)
    {
        return "aeron:udp?endpoint=" + address;
    }

    static byte[] checkAuthkey(final byte[] authkey)
    {
        if (authkey == null || authkey.length == 0)
        {
            throw new IllegalArgumentException("an authkey must not be empty");
        }
        return authkey.clone();
    }

    /**
     * The address of this host that packets to {@code remote} leave from: the one a listener there can answer to.
     * No packet is sent (a datagram channel's connect only chooses the route).
     */
    static String localAddressFor(final HostPort remote) throws IOException
    {
        final InetAddress target;
        try
        {
            target = InetAddress.getByName(remote.host());
        }
        catch (final UnknownHostException ex)
        {
            throw new IOException("unknown host " + remote.host() + " in " + remote, ex);
        }
        if (target.isLoopbackAddress())
        {
            return target.getHostAddress();
        }
        try (DatagramChannel probe = DatagramChannel.open())
        {
            probe.connect(new InetSocketAddress(target, remote.port() == 0 ? 9 : remote.port()));
            return ((InetSocketAddress)probe.getLocalAddress()).getAddress().getHostAddress();
        }
    }

    /** Waits until the driver has bound the subscription's endpoint; returns it with the port it got. */
    static String awaitResolved(final Subscription subscription, final HostPort asked, final Duration timeout)
        throws IOException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            NetDriver.invoke();
            final String resolved = subscription.resolvedEndpoint();
            if (resolved != null)
            {
                return resolved;
            }
            if (subscription.isClosed() || System.nanoTime() - deadline > 0)
            {
                NetDriver.closeUninterrupted(subscription);
                throw new IOException("cannot bind " + asked + " (in use, or not an address of this host)");
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                NetDriver.closeUninterrupted(subscription);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while binding " + asked, ex);
            }
        }
    }
}
