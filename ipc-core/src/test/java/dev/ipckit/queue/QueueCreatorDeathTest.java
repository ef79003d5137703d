package dev.ipckit.queue;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.HaltingCreator;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A creator of a queue or a pipe killed at any instant of the creation never bricks the name: the creating JVM halts
 * at each named step in turn ({@link CreationSteps}), and after each death {@code openOrCreate} finishes or
 * {@code create} replaces what is left, or {@link QueueFiles#removeStale} (what {@code ./ipckit clean} runs)
 * removes it. Plus the probe that found the problem: a persistent queue's creator SIGKILLed at timed instants.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QueueCreatorDeathTest
{
    private static final String[] QUEUE_STEPS = {
        CreationSteps.DIRECTORY_CREATED, CreationSteps.REGION_FILE_CREATED, CreationSteps.REGION_SIZED,
        CreationSteps.REGION_HEADER_WRITTEN, CreationSteps.REGION_LINKED, CreationSteps.REGION_CREATED,
        CreationSteps.CONTROL_PREPARED, CreationSteps.DIRECTORY_RENAMED, CreationSteps.QUEUE_JOURNAL_OPENED,
        CreationSteps.QUEUE_CREATED};
    private static final String[] PIPE_STEPS = {
        CreationSteps.DIRECTORY_CREATED, CreationSteps.REGION_FILE_CREATED, CreationSteps.REGION_SIZED,
        CreationSteps.REGION_HEADER_WRITTEN, CreationSteps.REGION_LINKED, CreationSteps.REGION_CREATED,
        CreationSteps.CONTROL_PREPARED, CreationSteps.DIRECTORY_RENAMED, CreationSteps.PIPE_JOURNALS_OPENED};
    /** Steps after which the queue's directory is under its own name, without its control block. */
    private static final Set<String> HALF_MADE = Set.of(CreationSteps.DIRECTORY_RENAMED, CreationSteps.QUEUE_JOURNAL_OPENED);

    @TempDir
    Path dir;

    private QueueOptions options(final boolean persistent)
    {
        // A short open timeout: nothing here may wait for a dead creator.
        return QueueOptions.defaults().withDirectory(dir).withPersistent(persistent)
            .withOpenTimeout(Duration.ofSeconds(3));
    }

    @Test
    void aPersistentQueueWhoseCreatorDiedAtAnyStepIsFinishedByOpenOrCreate() throws Exception
    {
        for (final String step : QUEUE_STEPS)
        {
            final String name = "p-" + step;
            final long pid = haltCreatingQueue(step, name, true);
            final String context = name + " (creator pid " + pid + " halted at " + step + ")";
            final Path queueDirectory = dir.resolve(name + QueueFiles.QUEUE_SUFFIX);
            assertEquals(HALF_MADE.contains(step) || step.equals(CreationSteps.QUEUE_CREATED),
                Files.isDirectory(queueDirectory), context);
            if (HALF_MADE.contains(step))
            {
                final IllegalStateException ex = assertThrows(IllegalStateException.class,
                    () -> SharedQueue.open(name, new LongCodec(), options(true)), context);
                assertTrue(ex.getMessage().contains("queue '" + name + "': its creator, pid " + pid +
                    ", died before finishing it"), ex.getMessage());
                assertTrue(QueueFiles.isStale(queueDirectory), context + ": clean would remove it");
                final IllegalStateException exists = assertThrows(IllegalStateException.class,
                    () -> SharedQueue.create(name, new LongCodec(), options(true)), context);
                assertTrue(exists.getMessage().contains("pid " + pid + ", died before finishing it"),
                    exists.getMessage());
            }

            try (SharedQueue<Long> queue = SharedQueue.openOrCreate(name, new LongCodec(), options(true)))
            {
                assertTrue(queue.offer(7L), context);
                assertEquals(7L, queue.poll(10, TimeUnit.SECONDS), context);
            }
            assertFalse(QueueFiles.isStale(queueDirectory), context + ": finished, persistent");
            removeStale();
            assertEquals(List.of(), unfinished(), context);
            assertTrue(Files.isDirectory(queueDirectory), context);
        }
    }

    @Test
    void aTemporaryQueueWhoseCreatorDiedAtAnyStepIsRemovedByCleanAndTheNameCreatedAgain() throws Exception
    {
        for (final String step : QUEUE_STEPS)
        {
            final String name = "t-" + step;
            final long pid = haltCreatingQueue(step, name, false);
            final String context = name + " (creator pid " + pid + " halted at " + step + ")";
            removeStale();
            assertEquals(List.of(), HaltingCreator.namesIn(dir), context + ": clean removes everything");
            try (SharedQueue<Long> queue = SharedQueue.create(name, new LongCodec(), options(false)))
            {
                queue.put(8L);
                assertEquals(8L, queue.poll(10, TimeUnit.SECONDS), context);
            }
            assertEquals(List.of(), HaltingCreator.namesIn(dir), context);
        }
    }

    @Test
    void aHalfMadeTemporaryQueueIsAdoptedByOpenOrCreateWhichThenOwnsIt() throws Exception
    {
        final String name = "adopted";
        final long pid = haltCreatingQueue(CreationSteps.QUEUE_JOURNAL_OPENED, name, false);
        final Path queueDirectory = dir.resolve(name + QueueFiles.QUEUE_SUFFIX);
        assertTrue(QueueFiles.isStale(queueDirectory), "creator pid " + pid);
        try (SharedQueue<Long> queue = SharedQueue.openOrCreate(name, new LongCodec(), options(false)))
        {
            assertFalse(QueueFiles.isStale(queueDirectory), "clean leaves a queue its adopter is using");
            assertEquals(List.of(), QueueFiles.removeStale(dir));
            queue.put(3L);
            try (SharedQueue<Long> other = SharedQueue.open(name, new LongCodec(), options(false)))
            {
                assertEquals(3L, other.poll(10, TimeUnit.SECONDS));
            }
        }
        assertFalse(Files.exists(queueDirectory), "its adopter removes a temporary queue on close, as its creator");
    }

    @Test
    void aHalfMadeQueueWhoseJournalMetadataCannotBeLockedIsFinishedWithANewJournal() throws Exception
    {
        final String name = "locked-journal";
        final long pid = haltCreatingQueue(CreationSteps.QUEUE_JOURNAL_OPENED, name, true);
        final Path journal = dir.resolve(name + QueueFiles.QUEUE_SUFFIX).resolve(SharedQueue.JOURNAL_DIRECTORY);
        // Chronicle then cannot claim the metadata file's lock for as long as this holds it (in this JVM, a lock
        // overlapping it: the state a CI run once met after a creator was SIGKILLed mid-creation).
        try (FileChannel metadata = FileChannel.open(journal.resolve("metadata.cq4t"), StandardOpenOption.WRITE);
             FileLock held = metadata.lock())
        {
            try (SharedQueue<Long> queue = SharedQueue.openOrCreate(name, new LongCodec(), options(true)))
            {
                queue.put(4L);
                assertEquals(4L, queue.poll(10, TimeUnit.SECONDS), "creator pid " + pid);
            }
            assertTrue(held.isValid());
        }
        try (Stream<Path> left = Files.list(journal.getParent()))
        {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.contains("unusable")).toList(),
                "the unusable journal is removed");
        }
        try (SharedQueue<Long> again = SharedQueue.open(name, new LongCodec(), options(true)))
        {
            again.put(5L);
            assertEquals(5L, again.take());
        }
    }

    @Test
    void aHalfMadePersistentQueueOfADeadCreatorIsRemovedByClean() throws Exception
    {
        final String name = "half";
        final long pid = haltCreatingQueue(CreationSteps.QUEUE_JOURNAL_OPENED, name, true);
        final List<Path> removed = QueueFiles.removeStale(dir);
        assertEquals(List.of(dir.resolve(name + QueueFiles.QUEUE_SUFFIX)), removed, "creator pid " + pid);
        try (SharedQueue<Long> queue = SharedQueue.create(name, new LongCodec(), options(true)))
        {
            queue.put(9L);
            assertEquals(9L, queue.take());
        }
    }

    @Test
    void aPipeWhoseCreatorDiedAtAnyStepIsRemovedByCleanAndTheNameCreatedAgain() throws Exception
    {
        for (final String step : PIPE_STEPS)
        {
            final String name = "pipe-" + step;
            final String directory = dir.toString();
            final long pid = HaltingCreator.haltAt(step,
                () -> Pipe.create(PipeOptions.defaults().withName(name).withDirectory(Path.of(directory))));
            final String context = name + " (creator pid " + pid + " halted at " + step + ")";
            final PipeOptions options = PipeOptions.defaults().withName(name).withDirectory(dir);
            if (Files.exists(dir.resolve(name + QueueFiles.PIPE_SUFFIX)))
            {
                final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Pipe.create(options));
                assertTrue(ex.getMessage().contains("its creator, pid " + pid + ", is dead"), ex.getMessage());
            }
            removeStale();
            assertEquals(List.of(), HaltingCreator.namesIn(dir), context + ": clean removes everything");
            try (Pipe pipe = Pipe.create(options))
            {
                pipe.end1().send("x");
                assertEquals("x", pipe.end2().recv(10, TimeUnit.SECONDS), context);
            }
            assertEquals(List.of(), HaltingCreator.namesIn(dir), context);
        }
    }

    @Test
    void aPersistentQueueCreatorSigkilledAtTimedInstantsNeverBricksTheName() throws Exception
    {
        // The probe that found it: SIGKILL 0.05 s and 0.3 s after the queue's directory appeared; more instants
        // around them, from before the directory is renamed into place to after the queue is complete.
        for (final int delayMillis : new int[] {0, 50, 300, 450, 600, 2000})
        {
            final String name = "killed-" + delayMillis;
            final String directory = dir.toString();
            final IpcProcess<Void> child = HaltingCreator.start("queue-creator", () ->
            {
                SharedQueue.create(name, new LongCodec(),
                    QueueOptions.defaults().withDirectory(Path.of(directory)).withPersistent(true));
                try
                {
                    Thread.sleep(60_000);
                }
                catch (final InterruptedException ignore)
                {
                    // killed long before
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (HaltingCreator.namesIn(dir).stream().noneMatch(n -> n.startsWith(name + ".queue")) &&
                System.nanoTime() < deadline && child.isAlive())
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertTrue(child.isAlive(), "the creator is still running: " + child.stderrTail());
            TimeUnit.MILLISECONDS.sleep(delayMillis); // the kill instant, not a synchronisation
            child.kill();
            assertTrue(child.join(20, TimeUnit.SECONDS));
            final Path queueDirectory = dir.resolve(name + QueueFiles.QUEUE_SUFFIX);
            System.out.println("queue creator killed " + delayMillis + " ms after its directory appeared left: " +
                HaltingCreator.namesIn(dir).stream().filter(n -> n.startsWith(name)).toList() +
                (Files.isDirectory(queueDirectory) ? " holding " + HaltingCreator.namesIn(queueDirectory) +
                    (QueueFiles.isStale(queueDirectory) ? ", unfinished" : ", finished") : ""));

            try (SharedQueue<Long> queue = SharedQueue.openOrCreate(name, new LongCodec(), options(true)))
            {
                queue.put(5L);
                assertEquals(5L, queue.poll(10, TimeUnit.SECONDS), "after a kill " + delayMillis + " ms in");
            }
            removeStale();
            assertEquals(List.of(), unfinished(), "after a kill " + delayMillis + " ms in");
        }
    }

    private long haltCreatingQueue(final String step, final String name, final boolean persistent)
        throws InterruptedException
    {
        final String directory = dir.toString();
        return HaltingCreator.haltAt(step, () -> SharedQueue.create(name, new LongCodec(),
            QueueOptions.defaults().withDirectory(Path.of(directory)).withPersistent(persistent)));
    }

    private void removeStale()
    {
        QueueFiles.removeStale(dir);
        RegionFiles.removeStale(dir);
    }

    private List<String> unfinished()
    {
        return HaltingCreator.namesIn(dir).stream().filter(n -> n.endsWith(RegionFiles.UNFINISHED_SUFFIX)).toList();
    }
}
