package dev.ipckit.net;

import dev.ipckit.codec.Codecs;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.queue.SharedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Faults between JVMs: datagrams lost both ways (Aeron's debug channel endpoints, which drop a seeded share of what
 * a driver sends and receives, switched on by system properties in the child), and a peer silent past the liveness
 * timeout (SIGSTOP, as a partition would leave it).
 */
@Timeout(240)
class NetFaultTest
{
    /** A fifth of the data lost each way, and some status messages and NAKs: retransmission repairs all of it. */
    private static final String[] LOSSY = {
        "-Daeron.ReceiveChannelEndpoint.supplier=io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier",
        "-Daeron.SendChannelEndpoint.supplier=io.aeron.driver.ext.DebugSendChannelEndpointSupplier",
        "-Daeron.debug.receive.data.loss.rate=0.2", "-Daeron.debug.receive.data.loss.seed=7",
        "-Daeron.debug.send.data.loss.rate=0.2", "-Daeron.debug.send.data.loss.seed=11",
        "-Daeron.debug.receive.control.loss.rate=0.05", "-Daeron.debug.receive.control.loss.seed=13"};

    @RegisterExtension
    final NetTesting.Children children = new NetTesting.Children();


    @Test
    void withAFifthOfTheDatagramsLostBothWaysEveryMessageArrivesOnceInOrderAndWhole() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final String address = listener.address();
            final IpcProcess<Long> echo = children.start(IpcProcess.of(() ->
            {
                NetTesting.shortLiveness();
                long echoed = 0;
                try (NetConnection connection = Client.connect(address, KEY))
                {
                    while (true)
                    {
                        final byte[] message;
                        try
                        {
                            message = connection.recvBytes();
                        }
                        catch (final EOFException end)
                        {
                            return echoed;
                        }
                        connection.sendBytes(message);
                        echoed++;
                    }
                }
            }).name("lossy-echo").jvmOptions(LOSSY));
            final int messages = 300;
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                final Random random = new Random(5);
                final List<byte[]> sent = new ArrayList<>();
                // Several in flight at once, so that losses leave gaps that later datagrams arrive after.
                for (int i = 0; i < messages; i++)
                {
                    final byte[] message = new byte[i % 100 == 99 ? 150_000 : 8 + random.nextInt(3_000)];
                    random.nextBytes(message);
                    message[0] = (byte)i;
                    sent.add(message);
                    connection.sendBytes(message);
                    if (i % 10 == 9)
                    {
                        for (int j = i - 9; j <= i; j++)
                        {
                            assertArrayEquals(sent.get(j), connection.recvBytes(60, TimeUnit.SECONDS), "message " + j);
                        }
                    }
                }
            }
            assertTrue(echo.join(Duration.ofSeconds(60)));
            assertEquals(messages, echo.result(), "each echoed once");
        }
    }

    @Test
    void aRemoteConsumerSilentPastTheLivenessTimeoutHasWhatItHeldDeliveredAgain() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults()))
        {
            queue.put("held by the stopped one");
            queue.put("next");
            final String address = server.address();
            final IpcProcess<Void> consumer = children.start(IpcProcess.of((SerializableCallable<Void>)() ->
            {
                NetTesting.shortLiveness();
                final RemoteQueue<Object> remote =
                    RemoteQueue.open(address, KEY, Codecs.standard(), NetOptions.defaults());
                System.out.println("took " + remote.take());
                Thread.sleep(120_000); // holds it until stopped and killed
                return null;
            }).name("stopped-consumer"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (queue.size() > 1)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the remote consumer took one");
                Thread.sleep(10);
            }
            NetTesting.signal("STOP", consumer.pid());
            final long stopped = System.nanoTime();
            assertEquals("next", queue.poll(10, TimeUnit.SECONDS));
            assertEquals("held by the stopped one", queue.poll(30, TimeUnit.SECONDS),
                "given back once the server saw the connection silent past the liveness timeout");
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            assertTrue(millis >= NetTesting.LIVENESS.toMillis() / 2, "not before the peer went silent long: " + millis);
            assertTrue(consumer.isAlive(), "stopped, not dead");
        }
    }

}
