package dev.ipckit.net;

import dev.ipckit.codec.Codecs;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.queue.SharedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A queue served to child JVMs, each with its own media driver, over loopback UDP as to other hosts: remote
 * producers and consumers beside a local one take each message once and each producer's messages in order; a remote
 * consumer SIGKILLed at random points has what it held delivered again, and nothing is lost.
 */
@Timeout(240)
class QueueServerCrossProcessTest
{
    private static final String END = "end";

    @TempDir
    Path dir;

    @RegisterExtension
    final NetTesting.Children children = new NetTesting.Children();


    private static RemoteQueue<Object> open(final String address) throws Exception
    {
        return RemoteQueue.open(address, KEY, Codecs.standard(), NetOptions.defaults());
    }

    @Test
    void remoteProducersAndConsumersBesideALocalOneTakeEachMessageOnceInEachProducersOrder() throws Exception
    {
        final int perProducer = 500;
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults()))
        {
            final String address = server.address();
            final List<IpcProcess<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                final int producer = p;
                producers.add(children.start(IpcProcess.of((SerializableCallable<Void>)() ->
                {
                    NetTesting.shortLiveness();
                    try (RemoteQueue<Object> remote = open(address))
                    {
                        for (int i = 0; i < perProducer; i++)
                        {
                            remote.put(producer + ":" + i);
                        }
                    }
                    return null;
                }).name("remote-producer-" + p)));
            }
            final List<IpcProcess<ArrayList<String>>> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++)
            {
                consumers.add(children.start(IpcProcess.of(() ->
                {
                    NetTesting.shortLiveness();
                    final ArrayList<String> taken = new ArrayList<>();
                    try (RemoteQueue<Object> remote = open(address))
                    {
                        while (true)
                        {
                            final Object item = remote.poll(60, TimeUnit.SECONDS);
                            if (item == null || END.equals(item))
                            {
                                return taken;
                            }
                            taken.add((String)item);
                        }
                    }
                }).name("remote-consumer-" + c)));
            }
            final ConcurrentLinkedQueue<String> local = new ConcurrentLinkedQueue<>();
            final Thread localConsumer = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final Object item = queue.poll(60, TimeUnit.SECONDS);
                        if (item == null || END.equals(item))
                        {
                            return;
                        }
                        local.add((String)item);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "local-consumer");
            localConsumer.start();
            for (final IpcProcess<Void> producer : producers)
            {
                assertTrue(producer.join(Duration.ofSeconds(120)), "the producer finished");
                producer.result();
            }
            for (int i = 0; i < 3; i++)
            {
                queue.put(END);
            }
            final List<List<String>> takenBy = new ArrayList<>();
            for (final IpcProcess<ArrayList<String>> consumer : consumers)
            {
                assertTrue(consumer.join(Duration.ofSeconds(120)), "the consumer finished");
                takenBy.add(consumer.result());
            }
            localConsumer.join(120_000);
            takenBy.add(new ArrayList<>(local));

            final Set<String> all = new HashSet<>();
            for (final List<String> taken : takenBy)
            {
                for (final String item : taken)
                {
                    assertTrue(all.add(item), "taken once: " + item);
                }
                assertInProducerOrder(taken);
            }
            assertEquals(2 * perProducer, all.size(), "every message taken");
            assertTrue(takenBy.get(0).size() + takenBy.get(1).size() > 0, "the remote consumers took some");
        }
    }

    private static void assertInProducerOrder(final List<String> taken)
    {
        final Map<String, Integer> last = new HashMap<>();
        for (final String item : taken)
        {
            final String[] parts = item.split(":");
            final int sequence = Integer.parseInt(parts[1]);
            final Integer before = last.put(parts[0], sequence);
            assertTrue(before == null || before < sequence, "producer " + parts[0] + "'s order: " + before +
                " then " + sequence);
        }
    }

    @Test
    void aRemoteConsumerKilledAtRandomPointsHasWhatItHeldDeliveredAgainAndNothingIsLost() throws Exception
    {
        final Random random = new Random();
        for (int round = 0; round < 3; round++)
        {
            final int messages = 400;
            try (SharedQueue<Object> queue = SharedQueue.create();
                 QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults()))
            {
                for (int i = 0; i < messages; i++)
                {
                    queue.put(i);
                }
                final String address = server.address();
                final Path log = dir.resolve("taken-" + round);
                final String logPath = log.toString();
                final IpcProcess<Void> consumer = children.start(IpcProcess.of((SerializableCallable<Void>)() ->
                {
                    NetTesting.shortLiveness();
                    try (RemoteQueue<Object> remote = open(address);
                         FileOutputStream out = new FileOutputStream(logPath))
                    {
                        while (true)
                        {
                            final Object item = remote.poll(60, TimeUnit.SECONDS);
                            if (item == null)
                            {
                                return null;
                            }
                            // Written before the next take acknowledges it: in the kernel's hands, kill or not.
                            out.write((item + "\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                }).name("remote-consumer-killed-" + round));
                final int killAfter = 1 + random.nextInt(messages / 2);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (lines(log).size() < killAfter)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "the consumer took " + killAfter + " in time");
                    Thread.sleep(1);
                }
                consumer.kill();
                assertTrue(consumer.join(Duration.ofSeconds(30)));

                final List<Integer> logged = new ArrayList<>();
                for (final String line : lines(log))
                {
                    logged.add(Integer.parseInt(line));
                }
                final List<Integer> rest = new ArrayList<>();
                final Set<Integer> seen = new HashSet<>(logged);
                final List<Integer> again = new ArrayList<>();
                // The held item comes back once the server sees the connection end (the 2 s liveness here): wait
                // for it while anything is missing, then briefly for a copy of what the consumer logged.
                Object item;
                while ((item = queue.poll(seen.size() < messages ? 10_000 : 200, TimeUnit.MILLISECONDS)) != null)
                {
                    rest.add((Integer)item);
                    if (!seen.add((Integer)item))
                    {
                        again.add((Integer)item);
                    }
                }
                assertEquals(messages, seen.size(), "nothing lost (round " + round + ", killed after " +
                    logged.size() + " logged)");
                assertTrue(again.size() <= 1, "only what it held can come twice: " + again);
                assertEquals(new HashSet<>(logged).size(), logged.size(), "the consumer took each once");
                final List<Integer> sortedRest = new ArrayList<>(rest);
                Collections.sort(sortedRest);
                assertEquals(rest.size(), new HashSet<>(rest).size(), "the rest once each: " + sortedRest);
            }
        }
    }

    private static List<String> lines(final Path log) throws Exception
    {
        if (!Files.exists(log))
        {
            return List.of();
        }
        final String text = Files.readString(log, StandardCharsets.US_ASCII);
        final int complete = text.lastIndexOf('\n') + 1;
        return complete == 0 ? List.of() : List.of(text.substring(0, complete).split("\n"));
    }
}
