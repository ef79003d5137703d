package dev.ipckit.queue;

import dev.ipckit.testing.Await;
import dev.ipckit.testing.ChildJvms;
import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.process.IpcProcess;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pipes between this JVM and real child JVMs: a child captures one end in its task. Opening Chronicle in a child
 * costs about 0.7 s, so each test starts one child.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeCrossProcessTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;

    @TempDir
    Path dir;

    @AfterEach
    void killChildren() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    private PipeOptions options()
    {
        return PipeOptions.defaults().withDirectory(dir);
    }

    @Test
    void pingPongWithAChildThatGetsEndOfStreamWhenTheParentCloses() throws Exception
    {
        for (final Transport transport : Transport.values())
        {
            pingPong(transport);
        }
    }

    private void pingPong(final Transport transport) throws Exception
    {
        final int rounds = 1_000;
        try (Pipe pipe = Pipe.create(options().withTransport(transport)))
        {
            final Connection childEnd = pipe.end2();
            final IpcProcess<Integer> child = IpcProcess.of(() ->
            {
                int count = 0;
                try
                {
                    while (true)
                    {
                        final int value = (Integer)childEnd.recv();
                        childEnd.send(value + 1);
                        count++;
                    }
                }
                catch (final EOFException ex)
                {
                    return count;
                }
                catch (final IOException | InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }).name("pong-" + transport).jvmOptions(CHILD_JVM).start();

            final Connection parent = pipe.end1();
            for (int i = 0; i < rounds; i++)
            {
                parent.send(i);
                assertEquals(i + 1, parent.recv(30, TimeUnit.SECONDS));
            }
            // Three more the child must still read before it sees the end of the stream.
            parent.send(-1);
            parent.send(-2);
            parent.send(-3);
            parent.close();
            assertTrue(child.join(30, TimeUnit.SECONDS), "the child saw the end of the stream and returned");
            assertEquals(0, child.exitCode().getAsInt(), () -> String.valueOf(child.failure()));
            assertEquals(rounds + 3, child.result());
        }
    }

    @Test
    void theParentGetsEndOfStreamWhenTheChildClosesItsEnd() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection childEnd = pipe.end2();
            final IpcProcess<Void> child = IpcProcess.of(() ->
            {
                childEnd.send("a");
                childEnd.sendBytes(new byte[] {'b'});
                childEnd.send("c");
                childEnd.close();
                sleep(60_000);
            }).name("closer").jvmOptions(CHILD_JVM).start();

            final Connection parent = pipe.end1();
            assertEquals("a", parent.recv(30, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {'b'}, parent.recvBytes(30, TimeUnit.SECONDS));
            assertEquals("c", parent.recv(30, TimeUnit.SECONDS));
            final EOFException eof = assertThrows(EOFException.class, () -> parent.recv(30, TimeUnit.SECONDS));
            assertTrue(eof.getMessage().contains("closed"), eof.getMessage());
            assertTrue(child.isAlive(), "the end of stream came from the close, not from the child's exit");
        }
    }

    @Test
    void theParentDrainsThenGetsEndOfStreamWhenTheChildIsKilledMidWrite() throws Exception
    {
        try (Pipe pipe = Pipe.create(options()))
        {
            final Connection childEnd = pipe.end2();
            final String journal = pipe.directory().resolve("to-end1").toString();
            final String marker = dir.resolve("writing").toString();
            final IpcProcess<Void> child = IpcProcess.of(() ->
            {
                for (int i = 0; i < 5; i++)
                {
                    childEnd.send(i);
                }
                // Start one more excerpt and never finish it: the state a SIGKILL mid-write leaves.
                final SingleChronicleQueue queue = Journal.open(Path.of(journal), RollCycles.FIVE_MINUTELY);
                final ExcerptAppender appender = queue.createAppender();
                final DocumentContext document = appender.writingDocument();
                document.wire().bytes().writeByte(Connection.KIND_BYTES).write(new byte[64]);
                try
                {
                    Files.createFile(Path.of(marker));
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
                sleep(60_000);
            }).name("killed").jvmOptions(CHILD_JVM).start();

            Await.until(() -> Files.exists(Path.of(marker)), "the child sent and began an excerpt");
            child.kill();
            assertTrue(child.join(30, TimeUnit.SECONDS));
            assertEquals(-9, child.exitCode().getAsInt());

            final Connection parent = pipe.end1();
            for (int i = 0; i < 5; i++)
            {
                assertEquals(i, parent.recv(10, TimeUnit.SECONDS), "what the child sent before it died is read first");
            }
            final long start = System.nanoTime();
            final EOFException eof = assertThrows(EOFException.class, () -> parent.recv(30, TimeUnit.SECONDS));
            assertTrue(eof.getMessage().contains("died"), eof.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the dead peer is noticed well before the timeout");
            assertTrue(parent.poll(), "a receive would not block");
        }
    }

    @Test
    void aReceiverKeepsItsJournalSmallUnderSteadyTraffic() throws Exception
    {
        try (Pipe pipe = Pipe.create(options().withDuplex(false).withRollCycle(TestRollCycles.TEST_SECONDLY)))
        {
            final Connection writer = pipe.end2();
            final IpcProcess<Long> child = IpcProcess.of(() ->
            {
                final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4_500);
                long sent = 0;
                while (System.nanoTime() < end)
                {
                    writer.send(sent++);
                    LockSupport.parkNanos(100_000);
                }
                writer.close();
                return sent;
            }).name("steady-writer").jvmOptions(CHILD_JVM).start();

            final Path journal = pipe.directory().resolve("to-end1");
            final Set<String> filesSeen = new HashSet<>();
            int mostFiles = 0;
            long received = 0;
            long lastLook = 0;
            try
            {
                while (true)
                {
                    assertEquals(received, pipe.end1().recv(30, TimeUnit.SECONDS), "in order, none lost");
                    received++;
                    if (System.nanoTime() - lastLook > TimeUnit.MILLISECONDS.toNanos(50))
                    {
                        lastLook = System.nanoTime();
                        final List<String> files = rollFiles(journal);
                        filesSeen.addAll(files);
                        mostFiles = Math.max(mostFiles, files.size());
                    }
                }
            }
            catch (final EOFException ex)
            {
                // the writer closed
            }
            assertTrue(child.join(30, TimeUnit.SECONDS));
            assertEquals(0, child.exitCode().getAsInt(), () -> String.valueOf(child.failure()));
            assertEquals(child.result(), received, "every message arrived");
            assertTrue(filesSeen.size() >= 4, "the journal rolled every second: " + filesSeen);
            assertTrue(mostFiles <= 3, "at most " + mostFiles + " roll files at once; seen " + filesSeen);
            assertTrue(rollFiles(journal).size() <= 2, "left: " + rollFiles(journal));
        }
    }

    @Test
    @ExtendWith(AutomaticCleanupOff.class) // tests what clean removes: the test JVM must not remove it first
    void aPipeWhoseCreatorWasKilledIsRemovedAsStale() throws Exception
    {
        final String base = dir.toString();
        final IpcProcess<Void> creator = IpcProcess.of(() ->
        {
            final Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(Path.of(base)).withName("orphan"));
            pipe.end2().send("never read");
            sleep(60_000);
        }).name("pipe-creator").jvmOptions(CHILD_JVM).start();

        final Path pipeDirectory = dir.resolve("orphan" + QueueFiles.PIPE_SUFFIX);
        Await.until(() -> Files.isDirectory(pipeDirectory.resolve("to-end2")), "the child created its pipe");
        assertTrue(QueueFiles.removeStale(dir).isEmpty(), "a live creator's pipe is not stale");
        creator.kill();
        assertTrue(creator.join(30, TimeUnit.SECONDS));
        assertEquals(List.of(pipeDirectory.toAbsolutePath()),
            QueueFiles.removeStale(dir).stream().map(Path::toAbsolutePath).toList());
        assertFalse(Files.exists(pipeDirectory));
    }

    private static List<String> rollFiles(final Path journal) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(Retention.ROLL_FILE_SUFFIX))
                .sorted().toList();
        }
    }


    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
