package dev.ipckit.net;

import dev.ipckit.codec.Codecs;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.QueueShutDownException;
import dev.ipckit.queue.SharedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static dev.ipckit.net.NetTesting.OTHER_KEY;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@link SharedQueue} served to {@link RemoteQueue}s in this JVM: puts and takes both ways between local and remote
 * users, bounded queues, shutdown, a wrong key. Separate JVMs and killed clients: {@code QueueServerCrossProcessTest}.
 */
@Timeout(120)
class QueueServerTest
{
    @BeforeAll
    static void shortLiveness()
    {
        NetTesting.shortLiveness();
    }

    private static RemoteQueue<Object> open(final QueueServer server, final byte[] key) throws Exception
    {
        return RemoteQueue.open(server.address(), key, Codecs.standard(), NetOptions.defaults());
    }

    @Test
    void remoteAndLocalUsersPutAndTakeOnOneQueue() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults());
             RemoteQueue<Object> remote = open(server, KEY))
        {
            remote.put("from afar");
            remote.put(42L);
            assertEquals("from afar", queue.poll(5, TimeUnit.SECONDS), "a local consumer takes a remote put");
            queue.put("from here");
            assertEquals(42L, remote.take());
            assertEquals("from here", remote.poll(5, TimeUnit.SECONDS));
            assertNull(remote.poll(), "nothing now");
            assertNull(remote.poll(50, TimeUnit.MILLISECONDS), "nothing within the timeout");
            assertEquals(1, server.clientCount());
            assertEquals(3, queue.putCount(), "three puts, counted by the queue itself");
        }
    }

    @Test
    void aBoundedQueueRefusesAnOfferWhenFullAndAPutWaitsForRoom() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("bounded-" + System.nanoTime(), Codecs.standard(),
                QueueOptions.defaults().withCapacity(1));
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults());
             RemoteQueue<Object> remote = open(server, KEY))
        {
            assertTrue(remote.offer("first"));
            assertFalse(remote.offer("second"), "full");
            assertFalse(remote.offer("second", 50, TimeUnit.MILLISECONDS), "still full");
            final Future<Boolean> put = NetTesting.inBackground(() ->
            {
                remote.put("second");
                return true;
            });
            assertThrows(TimeoutException.class, () -> put.get(200, TimeUnit.MILLISECONDS), "the put waits for room");
            assertEquals("first", queue.take());
            assertTrue(put.get(10, TimeUnit.SECONDS));
            assertEquals("second", queue.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aShutDownQueueEndsRemoteTakesAndPutsAsLocalOnes() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults());
             RemoteQueue<Object> remote = open(server, KEY))
        {
            queue.put("last");
            assertEquals("last", remote.take());
            final Future<Object> waiting = NetTesting.parkedInBackground(remote::take);
            queue.shutdown(); // a non-immediate shutdown: the waiting take ends once nothing is left
            final Exception failure = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(QueueShutDownException.class, failure.getCause(), failure.toString());
            assertThrows(QueueShutDownException.class, () -> remote.put("more"));
        }
    }

    @Test
    void aClientWithTheWrongKeyIsRefusedAndTheOthersAreServed() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults()))
        {
            assertThrows(AuthenticationException.class, () -> open(server, OTHER_KEY));
            try (RemoteQueue<Object> remote = open(server, KEY))
            {
                remote.put(7);
                assertEquals(7, remote.take());
            }
        }
    }

    @Test
    void closingTheServerEndsItsClientsAndLeavesTheQueueOpen() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create())
        {
            final QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults());
            try (RemoteQueue<Object> remote = open(server, KEY))
            {
                queue.put("held");
                assertEquals("held", remote.take());
                server.close();
                server.close();
                assertThrows(IllegalStateException.class, () -> remote.poll(10, TimeUnit.SECONDS),
                    "the server is gone");
            }
            assertEquals("held", queue.poll(5, TimeUnit.SECONDS),
                "the item the client held went back when its connection ended");
            queue.put("still open");
            assertEquals("still open", queue.poll());
        }
    }
}
