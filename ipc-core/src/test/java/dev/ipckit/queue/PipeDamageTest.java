package dev.ipckit.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.EOFException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A pipe's journal damaged under it (a huge length, random bytes, zeros, truncation at a message): receives report the
 * damage naming the file and the index instead of "no message yet" or end of stream, and skipDamaged() moves past it
 * counting what was lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeDamageTest
{
    /** An excerpt header of a complete data excerpt of ~1 GiB: what random bytes can look like to Chronicle. */
    private static final int HUGE_HEADER = 0x3FFF_FFF0;

    @TempDir
    Path dir;

    @Test
    void anExcerptWithADamagedLengthIsReportedNamingFileAndIndex() throws Exception
    {
        try (Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir)))
        {
            final Connection sender = pipe.end1();
            final Connection receiver = pipe.end2();
            for (int i = 0; i < 10; i++)
            {
                sender.sendBytes(new byte[] {(byte)i});
            }
            final Path cq4;
            try (Stream<Path> files = Files.walk(dir))
            {
                cq4 = files.filter(p -> p.toString().endsWith(Retention.ROLL_FILE_SUFFIX)).findFirst().orElseThrow();
            }
            final long at = QueueDamageTest.positionOf(cq4.getParent(), 5);
            try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
            {
                file.seek(at);
                file.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(HUGE_HEADER).array());
            }

            for (int i = 0; i < 5; i++)
            {
                assertArrayEquals(new byte[] {(byte)i}, receiver.recvBytes());
            }
            final QueueDamagedException ex = assertThrows(QueueDamagedException.class, receiver::recvBytes);
            assertEquals(cq4.toAbsolutePath(), ex.file());
            assertTrue(ex.getMessage().contains(cq4.toAbsolutePath().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("index 0x" + Long.toHexString(ex.index())), ex.getMessage());
            // Still there on the next look: the damaged excerpt is not passed over silently.
            assertThrows(QueueDamagedException.class, receiver::poll);
        }
    }

    private static final int MESSAGES = 200;
    private static final int DAMAGED = 100;

    @Test
    void zeroedBytesAreReportedNotReadAsNoMessage() throws Exception
    {
        damagedPipeIsReportedThenSkipped(false);
    }

    @Test
    void aTruncatedJournalIsReportedNotReadAsNoMessage() throws Exception
    {
        damagedPipeIsReportedThenSkipped(true);
    }

    private void damagedPipeIsReportedThenSkipped(final boolean truncate) throws Exception
    {
        try (Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir)))
        {
            final Connection sender = pipe.end1();
            final Connection receiver = pipe.end2();
            send(sender);
            final Path cq4 = journalFile();
            final long at = QueueDamageTest.positionOf(cq4.getParent(), DAMAGED);
            try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
            {
                if (truncate)
                {
                    // Cut at the message, then grown back as Chronicle grows a file it maps: zeros from there on (a
                    // mapped file left shorter than its mapping would fault on the next read).
                    final long length = file.length();
                    file.setLength(at);
                    file.setLength(length);
                }
                else
                {
                    file.seek(at);
                    file.write(new byte[4096]);
                }
            }

            for (int i = 0; i < DAMAGED; i++)
            {
                assertEquals(i, receiver.recv());
            }
            final QueueDamagedException ex = assertThrows(QueueDamagedException.class, receiver::recv);
            assertEquals(cq4.toAbsolutePath(), ex.file());
            assertTrue(ex.getMessage().contains(cq4.toAbsolutePath().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("index 0x" + Long.toHexString(ex.index())), ex.getMessage());
            assertEquals(MESSAGES - DAMAGED, ex.pending());
            // Every form of receive says the same, and so does the end of the stream: damage first.
            assertThrows(QueueDamagedException.class, receiver::poll);
            assertThrows(QueueDamagedException.class, () -> receiver.recvBytes(10, TimeUnit.MILLISECONDS));
            assertThrows(QueueDamagedException.class, () -> receiver.recvBytesInto(new byte[64]));
            sender.close();
            assertThrows(QueueDamagedException.class, receiver::recvBytes);

            final long lost = receiver.skipDamaged();
            assertTrue(lost > 0 && lost <= MESSAGES - DAMAGED, "lost " + lost);
            if (truncate)
            {
                assertEquals(MESSAGES - DAMAGED, lost);
            }
            for (long i = DAMAGED + lost; i < MESSAGES; i++)
            {
                assertEquals((int)i, receiver.recv());
            }
            assertThrows(EOFException.class, receiver::recv);
            assertEquals(0, receiver.skipDamaged());
        }
    }

    /** Random bytes from a message on, several times: every message is read, rejected, or counted lost. */
    @Test
    void randomBytesNeverPassSilently() throws Exception
    {
        for (int seed = 0; seed < 6; seed++)
        {
            final Path pipeDir = dir.resolve("seed" + seed);
            try (Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(pipeDir)))
            {
                final Connection sender = pipe.end1();
                final Connection receiver = pipe.end2();
                send(sender);
                final Path cq4 = journalFile(pipeDir);
                final byte[] noise = new byte[4096];
                new Random(seed).nextBytes(noise);
                try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
                {
                    file.seek(QueueDamageTest.positionOf(cq4.getParent(), DAMAGED) + seed);
                    file.write(noise);
                }
                long read = 0;
                long rejected = 0;
                long lost = 0;
                for (int step = 0; step < 2 * MESSAGES; step++)
                {
                    try
                    {
                        receiver.recvBytes(0, TimeUnit.MILLISECONDS);
                        read++;
                    }
                    catch (final TimeoutException ex)
                    {
                        break;
                    }
                    catch (final QueueDamagedException ex)
                    {
                        final long skipped = receiver.skipDamaged();
                        assertTrue(skipped > 0, "seed " + seed + ": a skip after " + ex.getMessage() + " lost nothing");
                        lost += skipped;
                    }
                    catch (final IllegalStateException ex)
                    {
                        assertTrue(ex.getMessage().contains("unknown kind"), ex.getMessage());
                        rejected++;
                    }
                }
                assertEquals(MESSAGES, read + rejected + lost,
                    "seed " + seed + ": read " + read + ", rejected " + rejected + ", lost " + lost);
                assertTrue(read >= DAMAGED, "seed " + seed + ": read " + read);
            }
        }
    }

    private static void send(final Connection sender)
    {
        for (int i = 0; i < MESSAGES; i++)
        {
            sender.send(i);
        }
    }

    private Path journalFile() throws java.io.IOException
    {
        return journalFile(dir);
    }

    /** The roll file of the journal end 2 reads. */
    private static Path journalFile(final Path directory) throws java.io.IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(p -> p.toString().endsWith(Retention.ROLL_FILE_SUFFIX))
                .filter(p -> p.getParent().getFileName().toString().contains("end2"))
                .findFirst().orElseThrow();
        }
    }

    @Test
    void anIndexThatIsNoRealIndexIsNeverJudgedDamaged()
    {
        // What Chronicle's firstIndex() gave a pipe reader in a stress run while the first cycle file was being
        // made: an index of cycle -2^31. Judging it threw ArithmeticException out of Connection.poll.
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue journal =
            Journal.open(dir.resolve("journal-no-index"), net.openhft.chronicle.queue.RollCycles.FIVE_MINUTELY);
        try (net.openhft.chronicle.queue.ExcerptTailer probe = journal.createTailer())
        {
            assertEquals(QueueControl.NONE, JournalDamage.nextInOrderFrom(journal, probe, Long.MIN_VALUE));
            assertEquals(QueueControl.NONE, JournalDamage.nextInOrderFrom(journal, probe, 0));
        }
        finally
        {
            journal.close();
        }
    }
}
