package dev.ipckit.net;

import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.EOFException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Faults a UDP relay between two JVMs injects (the client, a child JVM with its own driver, connects through the
 * relay; the listener is this JVM): datagrams swapped on the way, and the network cut for a while and healed, or cut
 * past the liveness timeout.
 */
@Timeout(240)
class NetRelayTest
{
    @RegisterExtension
    final NetTesting.Children children = new NetTesting.Children();

    /** A child that connects to {@code address} and sends {@code count} numbered messages, some of 20 KB. */
    private IpcProcess<Long> sender(final String address, final int count, final long pauseMillis)
    {
        return children.start(IpcProcess.of(() ->
        {
            NetTesting.shortLiveness();
            try (NetConnection connection = Client.connect(address, KEY))
            {
                for (int i = 0; i < count; i++)
                {
                    connection.sendBytes(message(i));
                    if (pauseMillis > 0)
                    {
                        Thread.sleep(pauseMillis);
                    }
                }
                // Waits for the listener's word that all arrived, so that closing loses nothing in flight.
                return (long)connection.recv(60, TimeUnit.SECONDS).hashCode();
            }
        }));
    }

    static byte[] message(final int i)
    {
        final byte[] bytes = new byte[i % 7 == 0 ? 20_000 : 8 + i % 100];
        Arrays.fill(bytes, (byte)i);
        bytes[0] = (byte)(i >> 24);
        bytes[1] = (byte)(i >> 16);
        bytes[2] = (byte)(i >> 8);
        bytes[3] = (byte)i;
        return bytes;
    }

    private static void receiveInOrder(final NetConnection connection, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            assertArrayEquals(message(i), connection.recvBytes(60, TimeUnit.SECONDS), "message " + i);
        }
    }

    @Test
    void datagramsSwappedOnTheWayStillArriveOnceInOrderAndWhole() throws Exception
    {
        final int count = 400;
        try (Listener listener = Listener.bind(LOOPBACK, KEY);
             UdpRelay relay = UdpRelay.to(listener.address()))
        {
            relay.swapEvery(3);
            final IpcProcess<Long> sender = sender(relay.address(), count, 0);
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                receiveInOrder(connection, count);
                connection.send("all arrived");
                assertTrue(sender.join(java.time.Duration.ofSeconds(60)));
                assertEquals(0, sender.exitCode().orElse(-1));
                assertThrows(EOFException.class, () -> connection.recvBytes(60, TimeUnit.SECONDS));
            }
            assertTrue(relay.swapped() > 100, "the relay swapped datagrams: " + relay.swapped());
        }
    }

    @Test
    void aCutShorterThanTheLivenessTimeoutHealsWithNothingLostAndALongerOneEndsTheConnection() throws Exception
    {
        final int count = 60;
        try (Listener listener = Listener.bind(LOOPBACK, KEY);
             UdpRelay relay = UdpRelay.to(listener.address()))
        {
            // Sends for about 1.2 s; the network is cut for 0.6 s of it (the liveness timeout is 2 s).
            final IpcProcess<Long> sender = sender(relay.address(), count, 20);
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                assertArrayEquals(message(0), connection.recvBytes(60, TimeUnit.SECONDS));
                relay.cut();
                Thread.sleep(NetTesting.LIVENESS.toMillis() * 3 / 10);
                relay.heal();
                for (int i = 1; i < count; i++)
                {
                    assertArrayEquals(message(i), connection.recvBytes(60, TimeUnit.SECONDS), "message " + i);
                }
                assertTrue(relay.dropped() > 0, "the cut dropped datagrams");
                connection.send("all arrived");
                assertTrue(sender.join(java.time.Duration.ofSeconds(60)));
                assertEquals(0, sender.exitCode().orElse(-1), sender.stderrTail());
            }

            // A second client, and a cut past the liveness timeout: both ends see the end.
            final IpcProcess<Long> cutOff = sender(relay.address(), 20_000, 5);
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                assertArrayEquals(message(0), connection.recvBytes(60, TimeUnit.SECONDS));
                relay.cut();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                assertThrows(EOFException.class, () ->
                {
                    while (System.nanoTime() - deadline < 0)
                    {
                        connection.recvBytes(60, TimeUnit.SECONDS);
                    }
                }, "the listener's end sees the end past the liveness timeout");
                assertTrue(cutOff.join(java.time.Duration.ofSeconds(60)), "the cut-off client's sends fail");
                assertNotEquals(0, cutOff.exitCode().orElse(0));
                assertTrue(cutOff.stderrTail().contains("IllegalStateException") ||
                    cutOff.stderrTail().contains("EOF"), cutOff.stderrTail());
            }
        }
    }
}
