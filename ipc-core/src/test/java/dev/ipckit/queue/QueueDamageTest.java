package dev.ipckit.queue;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.HaltingCreator;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A persistent queue's journal damaged under it (random bytes, zeros, truncation at a message): reads report the
 * damage naming the file and the index instead of returning "empty", size() agrees, skipDamaged() reports the lost
 * count and reading continues after the damage.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueDamageTest
{
    private static final int MESSAGES = 3000;
    private static final int DAMAGED = 1500;

    @TempDir
    Path dir;

    private enum Damage
    {
        RANDOM_BYTES, ZEROS, TRUNCATED
    }

    @Test
    void randomBytesOverAMessageAreReportedAndSkipped() throws IOException
    {
        damagedQueueIsReportedThenSkipped(Damage.RANDOM_BYTES);
    }

    @Test
    void zeroedBytesAreReportedAndSkipped() throws IOException
    {
        damagedQueueIsReportedThenSkipped(Damage.ZEROS);
    }

    @Test
    void aTruncatedJournalIsReportedAndSkipped() throws IOException
    {
        damagedQueueIsReportedThenSkipped(Damage.TRUNCATED);
    }

    private void damagedQueueIsReportedThenSkipped(final Damage damage) throws IOException
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(dir).withPersistent(true);
        fill(options);
        final Path cq4 = damage(damage);

        try (SharedQueue<Long> queue = SharedQueue.open("q", new LongCodec(), options))
        {
            for (long i = 0; i < DAMAGED; i++)
            {
                assertEquals(i, queue.poll());
            }
            final QueueDamagedException ex = assertThrows(QueueDamagedException.class, queue::poll);
            assertEquals(cq4.toAbsolutePath(), ex.file());
            assertTrue(ex.getMessage().contains(cq4.toAbsolutePath().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("index 0x" + Long.toHexString(ex.index())), ex.getMessage());
            assertEquals(MESSAGES - DAMAGED, ex.pending());
            // Not an empty queue in any form: take() and size() say the same.
            assertThrows(QueueDamagedException.class, () -> queue.poll(10, TimeUnit.MILLISECONDS));
            assertThrows(QueueDamagedException.class, queue::peek);
            assertThrows(QueueDamagedException.class, queue::size);

            final long lost = queue.skipDamaged();
            assertTrue(lost > 0 && lost <= MESSAGES - DAMAGED, "lost " + lost);
            if (damage == Damage.TRUNCATED)
            {
                assertEquals(MESSAGES - DAMAGED, lost);
            }
            assertEquals(MESSAGES - DAMAGED - lost, queue.size());
            for (long i = DAMAGED + lost; i < MESSAGES; i++)
            {
                assertEquals(i, queue.poll());
            }
            assertNull(queue.poll());
            assertEquals(0, queue.size());
            assertEquals(0, queue.skipDamaged());
        }
    }

    /**
     * A skip is redoable like a claim: a consumer killed (halted, as by SIGKILL) in skipDamaged after the redo
     * record's commit point, or after CURSOR and before TAKEN, leaves the record to the next claim-lock holder, which
     * re-applies CURSOR, TAKEN and DAMAGED_AT together: size() and the next message agree.
     */
    @Test
    void aConsumerKilledAfterTheSkipsRedoRecordLeavesNothingHalfDone() throws Exception
    {
        killedMidSkip(CreationSteps.QUEUE_SKIP_RECORDED);
    }

    @Test
    void aConsumerKilledBetweenTheSkipsCursorAndTakenLeavesNothingHalfDone() throws Exception
    {
        killedMidSkip(CreationSteps.QUEUE_SKIP_CURSOR_MOVED);
    }

    private void killedMidSkip(final String step) throws Exception
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(dir).withPersistent(true);
        fill(options);
        damage(Damage.RANDOM_BYTES);
        try (SharedQueue<Long> queue = SharedQueue.open("q", new LongCodec(), options))
        {
            for (long i = 0; i < DAMAGED; i++)
            {
                assertEquals(i, queue.poll());
            }
            assertThrows(QueueDamagedException.class, queue::poll);

            final String directory = dir.toString();
            HaltingCreator.haltAt(step, () -> SharedQueue.open("q", new LongCodec(),
                QueueOptions.defaults().withDirectory(Path.of(directory)).withPersistent(true)).skipDamaged());

            final long next = queue.poll(); // takes the claim lock over from the dead skipper: the skip is redone
            assertTrue(next > DAMAGED, "the next message " + next + " is after the damage");
            assertEquals(MESSAGES - next - 1, queue.size(), "TAKEN moved with the cursor");
            for (long i = next + 1; i < MESSAGES; i++)
            {
                assertEquals(i, queue.poll());
            }
            assertNull(queue.poll());
            assertEquals(0, queue.size());
        }
    }

    /**
     * The probe, several times: 64 KiB of random bytes from a message on. Whatever Chronicle makes of them (no
     * message, or a "message" of garbage that fails to decode), nothing is silent and the JVM survives (a damaged
     * length once crashed it with SIGSEGV): every message is read, fails to decode, or is counted lost by a skip.
     */
    @Test
    void sixtyFourKibOfRandomBytesNeverPassSilently() throws IOException
    {
        for (int seed = 0; seed < 6; seed++)
        {
            final Path queueDir = dir.resolve("seed" + seed);
            final QueueOptions options = QueueOptions.defaults().withDirectory(queueDir).withPersistent(true);
            try (SharedQueue<Long> queue = SharedQueue.create("q", new LongCodec(), options))
            {
                for (long i = 0; i < MESSAGES; i++)
                {
                    assertTrue(queue.offer(i));
                }
            }
            final Path journal = queueDir.resolve("q" + QueueFiles.QUEUE_SUFFIX).resolve(SharedQueue.JOURNAL_DIRECTORY);
            overwrite(journal, positionOf(journal, 500) + seed, 65536, new Random(seed));

            long read = 0;
            long undecodable = 0;
            long lost = 0;
            try (SharedQueue<Long> queue = SharedQueue.open("q", new LongCodec(), options))
            {
                for (int step = 0; step < 2 * MESSAGES; step++)
                {
                    try
                    {
                        if (queue.poll() == null)
                        {
                            break;
                        }
                        read++;
                    }
                    catch (final QueueDamagedException ex)
                    {
                        final long skipped = queue.skipDamaged();
                        assertTrue(skipped > 0, "seed " + seed + ": a skip after " + ex.getMessage() + " lost nothing");
                        lost += skipped;
                    }
                    catch (final IllegalStateException ex)
                    {
                        assertTrue(ex.getMessage().contains("cannot decode"), ex.getMessage());
                        undecodable++;
                    }
                }
                assertEquals(0, queue.size());
            }
            assertEquals(MESSAGES, read + undecodable + lost,
                "seed " + seed + ": read " + read + ", undecodable " + undecodable + ", lost " + lost);
            assertTrue(read >= 500, "seed " + seed + ": read " + read);
        }
    }

    @Test
    void anotherViewReadsOnAfterOneSkipped() throws IOException
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(dir).withPersistent(true);
        fill(options);
        damage(Damage.RANDOM_BYTES);
        try (SharedQueue<Long> reader = SharedQueue.open("q", new LongCodec(), options);
             SharedQueue<Long> repairer = SharedQueue.open("q", new LongCodec(), options))
        {
            for (long i = 0; i < DAMAGED; i++)
            {
                assertEquals(i, reader.poll());
            }
            assertThrows(QueueDamagedException.class, reader::poll);
            final long lost = repairer.skipDamaged();
            assertEquals(DAMAGED + lost, reader.poll());
        }
    }

    /** Rolls to new journal files are not damage: a reader that waits across several rolls reads every message. */
    @Test
    void messagesAcrossRollCyclesAreNotReportedAsDamage() throws InterruptedException
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(dir)
            .withRollCycle(net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY);
        try (SharedQueue<Long> producer = SharedQueue.create("rolling", new LongCodec(), options);
             SharedQueue<Long> consumer = SharedQueue.open("rolling", new LongCodec(), options))
        {
            long next = 0;
            for (int cycle = 0; cycle < 3; cycle++)
            {
                final long start = System.currentTimeMillis() / 1000;
                while (System.currentTimeMillis() / 1000 == start)
                {
                    Thread.sleep(5); // into the next second: the next roll cycle
                }
                for (int i = 0; i < 3; i++)
                {
                    producer.put(next + i);
                }
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(next++, consumer.poll(10, TimeUnit.SECONDS));
                }
                assertNull(consumer.poll());
                assertEquals(0, consumer.size());
            }
        }
    }

    @Test
    void anUndamagedQueueHasNothingToSkip()
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(dir).withPersistent(true);
        fill(options);
        try (SharedQueue<Long> queue = SharedQueue.open("q", new LongCodec(), options))
        {
            assertEquals(0, queue.skipDamaged());
            assertEquals(MESSAGES, queue.size());
            assertEquals(0L, queue.poll());
        }
    }

    private void fill(final QueueOptions options)
    {
        try (SharedQueue<Long> queue = SharedQueue.create("q", new LongCodec(), options))
        {
            for (long i = 0; i < MESSAGES; i++)
            {
                assertTrue(queue.offer(i));
            }
        }
    }

    /** Damages the journal at message {@link #DAMAGED}, found by reading the journal (no offsets hard-coded). */
    private Path damage(final Damage damage) throws IOException
    {
        final Path journal = dir.resolve("q" + QueueFiles.QUEUE_SUFFIX).resolve(SharedQueue.JOURNAL_DIRECTORY);
        final Path cq4;
        try (Stream<Path> files = Files.list(journal))
        {
            cq4 = files.filter(p -> p.toString().endsWith(Retention.ROLL_FILE_SUFFIX)).findFirst().orElseThrow();
        }
        final long at = positionOf(journal, DAMAGED);
        try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
        {
            if (damage == Damage.TRUNCATED)
            {
                file.setLength(at);
                return cq4;
            }
            final byte[] bytes = new byte[4096];
            if (damage == Damage.RANDOM_BYTES)
            {
                new Random(13).nextBytes(bytes);
            }
            file.seek(at);
            file.write(bytes);
        }
        return cq4;
    }

    private static void overwrite(final Path journal, final long at, final int length, final Random random)
        throws IOException
    {
        final Path cq4;
        try (Stream<Path> files = Files.list(journal))
        {
            cq4 = files.filter(p -> p.toString().endsWith(Retention.ROLL_FILE_SUFFIX)).findFirst().orElseThrow();
        }
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
        {
            file.seek(at);
            file.write(bytes);
        }
    }

    /** The file position of the header of the journal's {@code nth} excerpt. */
    static long positionOf(final Path journalDirectory, final int nth)
    {
        try (SingleChronicleQueue journal = Journal.open(journalDirectory, RollCycles.DEFAULT);
             ExcerptTailer tailer = journal.createTailer())
        {
            for (int i = 0; ; i++)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    assertTrue(dc.isPresent(), "the journal has fewer than " + nth + " excerpts");
                    if (i == nth)
                    {
                        return dc.wire().bytes().readPosition() - Integer.BYTES; // the excerpt's 4-byte header
                    }
                }
            }
        }
    }
}
