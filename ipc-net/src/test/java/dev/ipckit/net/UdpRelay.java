package dev.ipckit.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that a test controls, between a client and a listener: datagrams from clients go on to the
 * target from the relay's back socket, and what comes back there goes to the last client that sent. It can swap
 * datagrams towards the target (hold one, send the next, then the held one) and drop everything both ways (a
 * partition) until healed. One thread, which ends when the relay closes; every wait is bounded.
 */
final class UdpRelay implements AutoCloseable
{
    private static final int MAX_DATAGRAM = 65_536;
    private static final long SELECT_MILLIS = 20;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress target;
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong swapped = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int swapEvery;
    private volatile boolean partitioned;
    private volatile boolean closed;
    private SocketAddress client;
    private ByteBuffer held;
    private long towardsTarget;

    private UdpRelay(final InetSocketAddress target) throws IOException
    {
        this.target = target;
        this.front = DatagramChannel.open().bind(new InetSocketAddress(target.getAddress(), 0));
        this.back = DatagramChannel.open().bind(new InetSocketAddress(target.getAddress(), 0));
        front.configureBlocking(false);
        back.configureBlocking(false);
        this.selector = Selector.open();
        front.register(selector, SelectionKey.OP_READ);
        back.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this::relay, "test-udp-relay");
        thread.setDaemon(true);
    }

    /** Starts a relay in front of {@code target} ({@code host:port} on a loopback address). */
    static UdpRelay to(final String target) throws IOException
    {
        final int colon = target.lastIndexOf(':');
        final InetSocketAddress address = new InetSocketAddress(target.substring(0, colon),
            Integer.parseInt(target.substring(colon + 1)));
        if (!address.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("the test relay only relays to loopback: " + target);
        }
        final UdpRelay relay = new UdpRelay(address);
        relay.thread.start();
        return relay;
    }

    /** @return where clients send: {@code host:port}. */
    String address() throws IOException
    {
        final InetSocketAddress local = (InetSocketAddress)front.getLocalAddress();
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }

    /** Swaps every {@code n}-th datagram towards the target with the one after it; 0 swaps none. */
    void swapEvery(final int n)
    {
        swapEvery = n;
    }

    /** Drops every datagram, both ways, until {@link #heal()}. */
    void cut()
    {
        partitioned = true;
    }

    void heal()
    {
        partitioned = false;
    }

    long swapped()
    {
        return swapped.get();
    }

    long dropped()
    {
        return dropped.get();
    }

    private void relay()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        try
        {
            while (!closed)
            {
                selector.select(SELECT_MILLIS);
                selector.selectedKeys().clear();
                SocketAddress from;
                boolean any = false;
                while ((from = receive(front, buffer)) != null)
                {
                    client = from;
                    towardsTarget(buffer);
                    any = true;
                }
                if (!any && held != null)
                {
                    // Nothing followed it within a select: it goes late rather than never.
                    back.send(held, target);
                    held = null;
                }
                while (receive(back, buffer) != null)
                {
                    if (partitioned || client == null)
                    {
                        dropped.incrementAndGet();
                        continue;
                    }
                    front.send(buffer, client);
                }
            }
        }
        catch (final IOException ex)
        {
            if (!closed)
            {
                ex.printStackTrace();
            }
        }
    }

    private static SocketAddress receive(final DatagramChannel channel, final ByteBuffer buffer) throws IOException
    {
        buffer.clear();
        final SocketAddress from = channel.receive(buffer);
        buffer.flip();
        return from;
    }

    private void towardsTarget(final ByteBuffer datagram) throws IOException
    {
        if (partitioned)
        {
            dropped.incrementAndGet();
            return;
        }
        towardsTarget++;
        final int n = swapEvery;
        if (held == null && n > 0 && towardsTarget % n == 0)
        {
            held = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
            return;
        }
        back.send(datagram, target);
        if (held != null)
        {
            back.send(held, target);
            held = null;
            swapped.incrementAndGet();
        }
    }

    @Override
    public void close() throws Exception
    {
        closed = true;
        selector.wakeup();
        thread.join(5_000);
        selector.close();
        front.close();
        back.close();
    }
}
