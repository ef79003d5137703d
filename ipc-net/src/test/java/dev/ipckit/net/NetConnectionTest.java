package dev.ipckit.net;

import dev.ipckit.queue.BufferTooShortException;
import dev.ipckit.queue.Pipe;
import dev.ipckit.wait.Waitable;
import dev.ipckit.wait.Waiting;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static dev.ipckit.net.NetTesting.OTHER_KEY;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Listener, Client and NetConnection within one JVM (one driver, loopback UDP): messages of every kind and size, the
 * authentication both ways, end of stream, the errors. {@link NetCrossProcessTest} does it across JVMs.
 */
@Timeout(60)
class NetConnectionTest
{
    @BeforeAll
    static void shortLiveness()
    {
        NetTesting.shortLiveness();
    }

    /** A connected pair: the listener's end first. */
    private static NetConnection[] pair(final Listener listener, final NetOptions options) throws Exception
    {
        final Future<NetConnection> accepted = NetTesting.inBackground(() -> listener.accept(30, TimeUnit.SECONDS));
        final NetConnection client = Client.connect(listener.address(), KEY, options);
        return new NetConnection[]{accepted.get(30, TimeUnit.SECONDS), client};
    }

    @Test
    void waitingForAnyCoversNetworkConnectionsBesidePipes() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY); Pipe pipe = Pipe.create())
        {
            final NetConnection[] first = pair(listener, NetOptions.defaults());
            final NetConnection[] second = pair(listener, NetOptions.defaults());
            try (NetConnection a = first[0]; NetConnection aPeer = first[1]; NetConnection b = second[0];
                 NetConnection bPeer = second[1])
            {
                final List<Waitable> all = List.of(a, b, pipe.end1());
                assertEquals(List.of(), Waiting.any(all, 50, TimeUnit.MILLISECONDS), "nothing ready yet");

                final Future<List<Waitable>> waiting =
                    NetTesting.parkedInBackground(() -> Waiting.any(all, 30, TimeUnit.SECONDS));
                bPeer.send("to b");
                assertEquals(List.of(b), waiting.get(30, TimeUnit.SECONDS));
                assertTrue(b.isReady(), "a look consumes nothing");
                assertEquals("to b", b.recv(5, TimeUnit.SECONDS));
                assertFalse(b.isReady());

                pipe.end2().send("local");
                aPeer.send("to a");
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                List<Waitable> ready = List.of();
                while (ready.size() < 2 && System.nanoTime() - deadline < 0)
                {
                    ready = Waiting.any(all, 1, TimeUnit.SECONDS);
                }
                assertEquals(List.of(a, pipe.end1()), ready, "in the order given");
                assertEquals("to a", a.recv(5, TimeUnit.SECONDS));
                assertEquals("local", pipe.end1().recv());

                aPeer.close();
                assertEquals(List.of(a), Waiting.any(all, 30, TimeUnit.SECONDS), "ready at the end of stream");
                assertThrows(EOFException.class, () -> a.recv(5, TimeUnit.SECONDS));
                a.close();
                assertThrows(IllegalStateException.class, a::isReady, "a closed end cannot be waited for");
            }
        }
    }

    @Test
    void withoutAKeyBothSidesUseTheProcessTreesAuthkey() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK))
        {
            final Future<NetConnection> accepted = NetTesting.inBackground(() -> listener.accept(30, TimeUnit.SECONDS));
            try (NetConnection client = Client.connect(listener.address());
                 NetConnection server = accepted.get(30, TimeUnit.SECONDS))
            {
                client.send("same tree");
                assertEquals("same tree", server.recv(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void objectsSentFromSeveralThreadsInTurnArriveWhole() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                client.send("from the main thread");
                NetTesting.inBackground(() ->
                {
                    client.send("from another thread");
                    return null;
                }).get(30, TimeUnit.SECONDS);
                client.send(List.of("and", "back"));
                assertEquals("from the main thread", server.recv(30, TimeUnit.SECONDS));
                assertEquals("from another thread", server.recv(30, TimeUnit.SECONDS));
                assertEquals(List.of("and", "back"), server.recv(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void messagesKeepTheirKindAndOrderBothWays() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            assertTrue(listener.address().startsWith("127.0.0.1:"), listener.address());
            assertNotEquals("127.0.0.1:0", listener.address(), "the port it got");
            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                assertFalse(server.poll(), "nothing yet");
                assertFalse(server.poll(50, TimeUnit.MILLISECONDS));
                assertThrows(TimeoutException.class, () -> server.recv(50, TimeUnit.MILLISECONDS));

                client.send("hello");
                client.send(42L);
                client.sendBytes(new byte[]{1, 2, 3});
                client.sendBytes(new byte[0]);
                client.send("as bytes");
                assertTrue(server.poll(10, TimeUnit.SECONDS));
                assertEquals("hello", server.recv());
                assertEquals(42L, server.recv());
                assertArrayEquals(new byte[]{1, 2, 3}, (byte[])server.recv());
                assertArrayEquals(new byte[0], server.recvBytes());
                assertTrue(server.recvBytes().length > 0, "an object message as its codec's bytes");

                server.send("back");
                assertEquals("back", client.recv(10, TimeUnit.SECONDS));
                server.sendBytes(new byte[]{9, 8, 7, 6});
                final byte[] into = new byte[8];
                assertEquals(4, client.recvBytesInto(into, 2));
                assertArrayEquals(new byte[]{0, 0, 9, 8, 7, 6, 0, 0}, into);
                server.sendBytes(new byte[10]);
                final BufferTooShortException tooShort =
                    assertThrows(BufferTooShortException.class, () -> client.recvBytesInto(new byte[4]));
                assertEquals(10, tooShort.message().length, "the whole message is in the exception");
                assertEquals(listener.address(), client.peer());
            }
        }
    }

    @Test
    void messagesOfEverySizeArriveWhole() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                final Random random = new Random(7);
                // Around an Aeron frame, around a chunk (an eighth of the 1 MiB term), and several chunks. A message
                // longer than the receiver's window is sent only as it is read (flow control, as a socket's buffer):
                // the reading end echoes on another thread.
                final Future<Integer> echo = NetTesting.inBackground(() ->
                {
                    int echoed = 0;
                    while (true)
                    {
                        final byte[] message;
                        try
                        {
                            message = server.recvBytes(30, TimeUnit.SECONDS);
                        }
                        catch (final EOFException end)
                        {
                            return echoed;
                        }
                        server.sendBytes(message);
                        echoed++;
                    }
                });
                final int[] sizes = {1, 1400, 4096, 128 * 1024 - 3, 128 * 1024 - 2, 128 * 1024 - 1, 128 * 1024,
                    300_000, 3 * 1024 * 1024 + 5};
                for (final int size : sizes)
                {
                    final byte[] sent = new byte[size];
                    random.nextBytes(sent);
                    client.sendBytes(sent);
                    assertArrayEquals(sent, client.recvBytes(30, TimeUnit.SECONDS), "a message of " + size + " bytes");
                }
                client.close();
                assertEquals(sizes.length, echo.get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aWrongKeyFailsOnBothSidesAndTheListenerServesTheNextClient() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final Future<NetConnection> refused = NetTesting.inBackground(() -> listener.accept(30, TimeUnit.SECONDS));
            final AuthenticationException clientSide = assertThrows(AuthenticationException.class,
                () -> Client.connect(listener.address(), OTHER_KEY));
            assertTrue(clientSide.getMessage().contains("refused the authkey"), clientSide.getMessage());
            final ExecutionException serverSide = assertThrows(ExecutionException.class,
                () -> refused.get(30, TimeUnit.SECONDS));
            assertInstanceOf(AuthenticationException.class, serverSide.getCause());
            assertTrue(serverSide.getCause().getMessage().contains("did not prove it holds the authkey"),
                serverSide.getCause().getMessage());

            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                client.send("after a refused one");
                assertEquals("after a refused one", server.recv(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aClientSpeakingGarbageIsRefusedAndTheListenerServesTheNextClient() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY);
            ExclusivePublication garbage = dev.ipckit.net.internal.NetDriver.aeron().addExclusivePublication(
                "aeron:udp?endpoint=" + listener.address(), dev.ipckit.net.internal.Frames.LISTEN_STREAM_ID))
        {
            final UnsafeBuffer junk = new UnsafeBuffer(new byte[64]);
            junk.setMemory(0, 64, (byte)0x5a);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (garbage.offer(junk, 0, 64) < 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the garbage could not be sent");
                Thread.sleep(1);
            }
            final AuthenticationException refused =
                assertThrows(AuthenticationException.class, () -> listener.accept(30, TimeUnit.SECONDS));
            assertTrue(refused.getMessage().contains("not an ipckit client"), refused.getMessage());

            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                server.send(1);
                assertEquals(1, client.recv(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void closingGivesTheOtherEndWhatWasSentThenEndOfStream() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final NetConnection[] ends = pair(listener, NetOptions.defaults());
            final NetConnection server = ends[0];
            final NetConnection client = ends[1];
            for (int i = 0; i < 3; i++)
            {
                client.send(i);
            }
            client.close();
            assertTrue(client.isClosed());
            client.close();
            assertThrows(IllegalStateException.class, () -> client.send("closed"));
            for (int i = 0; i < 3; i++)
            {
                assertEquals(i, server.recv(10, TimeUnit.SECONDS));
            }
            assertThrows(EOFException.class, () -> server.recv(10, TimeUnit.SECONDS));
            assertTrue(server.poll(), "a receive would not block: it ends at once");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            assertThrows(IllegalStateException.class, () ->
            {
                while (System.nanoTime() - deadline < 0)
                {
                    server.send("to nobody");
                    Thread.sleep(10);
                }
            }, "sending to a closed end fails once the publication sees it gone");
            server.close();
        }
    }

    @Test
    void closingAListenerStopsAnAcceptOnAnotherThread() throws Exception
    {
        final Listener listener = Listener.bind(LOOPBACK, KEY);
        final Future<NetConnection> accepting =
            NetTesting.parkedInBackground(() -> listener.accept(60, TimeUnit.SECONDS));
        listener.close();
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> accepting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertThrows(IllegalStateException.class, () -> listener.accept(1, TimeUnit.SECONDS));
    }

    @Test
    void connectingWhereNobodyListensTimesOut() throws Exception
    {
        final String nobody;
        try (Listener gone = Listener.bind(LOOPBACK, KEY))
        {
            nobody = gone.address();
        }
        final ConnectException ex = assertThrows(ConnectException.class, () ->
            Client.connect(nobody, KEY, NetOptions.defaults().withConnectTimeout(Duration.ofMillis(500))));
        assertTrue(ex.getMessage().contains("no ipckit listener answered at " + nobody), ex.getMessage());
    }

    @Test
    void aMessageOverTheLimitIsRefusedBeforeAnythingIsSent() throws Exception
    {
        final NetOptions small = NetOptions.defaults().withMaxMessageBytes(1000);
        try (Listener listener = Listener.bind(LOOPBACK, KEY, small))
        {
            final NetConnection[] ends = pair(listener, small);
            try (NetConnection server = ends[0]; NetConnection client = ends[1])
            {
                final IllegalArgumentException ex =
                    assertThrows(IllegalArgumentException.class, () -> client.sendBytes(new byte[1001]));
                assertTrue(ex.getMessage().contains("longer than the 1000"), ex.getMessage());
                client.sendBytes(new byte[1000]);
                assertEquals(1000, server.recvBytes().length, "nothing of the refused one came");
            }
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheProblemNamed()
    {
        // (each names its problem; the messages are checked where they matter to a user above)
        for (final String bad : new String[]{"", "host", "host:", ":80", "host:99999", "host:port", "::1:80",
            "a b:80", null})
        {
            assertThrows(IllegalArgumentException.class, () -> Listener.bind(bad, KEY), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> Listener.bind(LOOPBACK, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Client.connect("127.0.0.1:0", KEY));
        assertThrows(IllegalArgumentException.class, () -> NetOptions.defaults().withMaxMessageBytes(0));
        assertThrows(IllegalArgumentException.class,
            () -> NetOptions.defaults().withConnectTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Network.setLivenessTimeout(Duration.ofMillis(10)));
    }

    @Test
    void aPeersAddressIsWrittenAsUsersWriteItWhateverAeronGives()
    {
        // Aeron's sourceIdentity gives an IPv6 source without brackets.
        assertEquals("[0:0:0:0:0:0:0:1]:40123", Addresses.peerOf("0:0:0:0:0:0:0:1:40123"));
        assertEquals("[::1]:40123", Addresses.peerOf("[::1]:40123"));
        assertEquals("127.0.0.1:40123", Addresses.peerOf("127.0.0.1:40123"));
        assertEquals("0:0:0:0:0:0:0:1", Addresses.hostOf(Addresses.peerOf("0:0:0:0:0:0:0:1:40123")));
    }

    @Test
    void theLivenessTimeoutIsSetBeforeTheDriverStarts() throws Exception
    {
        Listener.bind(LOOPBACK, KEY).close();
        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> Network.setLivenessTimeout(Duration.ofSeconds(3)));
        assertTrue(ex.getMessage().contains("before the first Listener or Client"), ex.getMessage());
        assertEquals(NetTesting.LIVENESS, Network.livenessTimeout());
    }
}
