package dev.ipckit.queue;

import dev.ipckit.memory.internal.Names;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionOptions;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where queues and pipes live, and the cleanup of those left by dead creators.
 * <p>
 * A queue named {@code n} is the directory {@code <dir>/n.queue/}, a pipe {@code <dir>/n.pipe/}; each holds a
 * control region ({@value #CONTROL_FILE}: claim cursor, counters, locks, end states) and its Chronicle journals.
 * {@code <dir>} defaults to {@link RegionFiles#defaultDirectory()}.
 * <p>
 * A queue's or pipe's directory is built under an unfinished name ({@link RegionFiles#unfinishedPath}) and renamed
 * into place holding its control region, so the directory under its own name always names its creator. A creator
 * killed before the rename leaves an unfinished directory that blocks no name; one killed after it leaves a queue
 * without its control block, which {@code SharedQueue.openOrCreate} finishes. {@link #removeStale} removes both
 * once the creator is dead.
 */
public final class QueueFiles
{
    /** Suffix of a queue's directory. */
    public static final String QUEUE_SUFFIX = ".queue";
    /** Suffix of a pipe's directory. */
    public static final String PIPE_SUFFIX = ".pipe";
    /** The control region's file name inside a queue or pipe directory. */
    public static final String CONTROL_FILE = "control.region";

    /** A directory without a control region older than this was left by a creator that died while creating it. */
    private static final long UNFINISHED_AGE_MILLIS = 60_000;


    private QueueFiles()
    {
    }

    /**
     * Removes the queues and pipes in {@code directory} whose creator died and that are not persistent, those whose
     * creator died before finishing them (persistent or not), and the unfinished directories of dead creators.
     *
     * @param directory the directory (missing means nothing to do).
     * @return the removed queue and pipe directories.
     */
    public static List<Path> removeStale(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        final List<Path> removed = removeUnfinished(directory);
        for (final Path candidate : list(directory))
        {
            if (isStale(candidate))
            {
                deleteTree(candidate);
                removed.add(candidate);
            }
        }
        return removed;
    }

    /**
     * The queue and pipe directories in {@code directory}.
     *
     * @param directory the directory.
     * @return their paths, sorted (symbolic links are not followed, so not listed).
     * @throws RegionException UNSAFE_DIRECTORY when the directory is a link, not this uid's, or writable by others.
     */
    public static List<Path> list(final Path directory)
    {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
        {
            return List.of();
        }
        RegionFiles.ensurePrivateDirectory(directory); // exists: only checked
        try (Stream<Path> paths = Files.list(directory))
        {
            return paths.filter(p ->
                {
                    final String name = p.getFileName().toString();
                    return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) &&
                        (name.endsWith(QUEUE_SUFFIX) || name.endsWith(PIPE_SUFFIX));
                })
                .sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
    }

    /**
     * Whether a queue or pipe directory would be removed by {@link #removeStale}.
     *
     * @param queueDirectory the queue's or pipe's directory.
     * @return true when its creator is dead and it is temporary, or it was never finished.
     */
    public static boolean isStale(final Path queueDirectory)
    {
        final RegionFiles.RegionFile control = controlFile(queueDirectory);
        if (control == null)
        {
            // No control region: not made by this version (which renames a directory into place only with one).
            try
            {
                return System.currentTimeMillis() - Files.getLastModifiedTime(queueDirectory).toMillis() >
                    UNFINISHED_AGE_MILLIS;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return control.stale() || !control.creatorAlive() && creatorOfUnfinished(queueDirectory) != ProcessIdentity.NONE;
    }

    private static RegionFiles.RegionFile controlFile(final Path queueDirectory)
    {
        return RegionFiles.list(queueDirectory).stream()
            .filter(file -> file.path().getFileName().toString().equals(CONTROL_FILE))
            .findFirst().orElse(null);
    }

    /**
     * The creator of a queue or pipe that it died, or has not yet finished, creating: its control region holds no
     * queue or pipe block yet.
     *
     * @param queueDirectory the queue's or pipe's directory.
     * @return the creator's identity, or {@link ProcessIdentity#NONE} when it is finished or cannot be read.
     */
    static long creatorOfUnfinished(final Path queueDirectory)
    {
        try (SharedRegion region = SharedRegion.openAt(queueDirectory.resolve(CONTROL_FILE),
            RegionOptions.defaults().withTimeout(java.time.Duration.ZERO)))
        {
            final boolean finished = region.entries().stream()
                .anyMatch(entry -> entry.type() == ObjectType.QUEUE || entry.type() == ObjectType.PIPE);
            return finished ? ProcessIdentity.NONE : region.creatorIdentity();
        }
        catch (final RuntimeException ex)
        {
            return ProcessIdentity.NONE;
        }
    }

    /**
     * What the control region of a queue says, read without opening its journal.
     *
     * @param directory  the queue's directory.
     * @param stale      whether {@link #removeStale} would remove it.
     * @param persistent whether it survives its creator.
     * @param capacity   its capacity, 0 when unbounded.
     * @param size       messages put and not yet taken.
     * @param putCount   messages put, ever.
     * @param takenCount messages taken, ever.
     * @param redelivered messages delivered again after their consumer died.
     * @param consumers  consumer rows held by live processes.
     */
    public record QueueStatus(
        Path directory, boolean stale, boolean persistent, long capacity, long size, long putCount, long takenCount,
        long redelivered, int consumers)
    {
    }

    /**
     * Reads a queue's counters from its control region.
     *
     * @param queueDirectory the queue's directory ({@code <name>.queue}).
     * @return its status, empty when it has no complete control block (being created, or not a queue).
     */
    public static Optional<QueueStatus> status(final Path queueDirectory)
    {
        final Path controlFile = queueDirectory.resolve(CONTROL_FILE);
        if (!queueDirectory.getFileName().toString().endsWith(QUEUE_SUFFIX) || !Files.exists(controlFile))
        {
            return Optional.empty();
        }
        try (SharedRegion region = SharedRegion.openAt(controlFile, RegionOptions.defaults()))
        {
            return region.lookup(SharedQueue.CONTROL_NAME).map(entry ->
            {
                final QueueControl control = new QueueControl(region, entry);
                int consumers = 0;
                for (int row = 0; row < control.rows(); row++)
                {
                    final long owner = control.rowOwner(row);
                    if (owner != ProcessIdentity.NONE && ProcessIdentity.isAlive(owner))
                    {
                        consumers++;
                    }
                }
                return new QueueStatus(queueDirectory, isStale(queueDirectory), region.isPersistent(),
                    control.capacity(), control.size(), control.published(), control.taken(), control.redelivered(),
                    consumers);
            });
        }
        catch (final RuntimeException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * Checks that a queue's journal can be read where its counters say messages are pending: reads every pending
     * message once (no message is taken). What {@code ipckit ls} reports as DAMAGED.
     *
     * @param queueDirectory the queue's directory ({@code <name>.queue}).
     * @return what is damaged, in words naming the file and the index; empty when the queue is readable (or not a
     * complete queue).
     */
    public static Optional<String> checkJournal(final Path queueDirectory)
    {
        final Path controlFile = queueDirectory.resolve(CONTROL_FILE);
        final Path journalDirectory = queueDirectory.resolve(SharedQueue.JOURNAL_DIRECTORY);
        if (!queueDirectory.getFileName().toString().endsWith(QUEUE_SUFFIX) || !Files.exists(controlFile) ||
            !Files.isDirectory(journalDirectory))
        {
            return Optional.empty();
        }
        try (SharedRegion region = SharedRegion.openAt(controlFile, RegionOptions.defaults()))
        {
            final RegionEntry entry = region.lookup(SharedQueue.CONTROL_NAME).orElse(null);
            if (entry == null)
            {
                return Optional.empty();
            }
            final QueueControl control = new QueueControl(region, entry);
            // PUBLISHED before the journal is read: every message it counts was appended before.
            final long published = control.published();
            final long cursor = control.cursor();
            final long pending = published - control.taken();
            try (SingleChronicleQueue journal = Journal.open(journalDirectory, QueueOptions.defaults().rollCycle());
                 ExcerptTailer tailer = journal.createTailer())
            {
                final long damagedAt = control.damagedAt();
                if (damagedAt != QueueControl.NONE)
                {
                    return Optional.of("journal file " + JournalDamage.fileOf(journal, damagedAt) + " cannot be read at " +
                        JournalDamage.describe(journal, damagedAt) + ", " + Math.max(0, pending) + " message(s) pending");
                }
                if (pending <= 0)
                {
                    return Optional.empty();
                }
                final long readable = JournalDamage.countReadableAfter(tailer, cursor, pending);
                if (readable >= pending || control.taken() > published - pending)
                {
                    return Optional.empty(); // all there, or consumers took some while this read (no verdict then)
                }
                final long at = tailer.index();
                return Optional.of((pending - readable) + " of " + pending + " pending message(s) cannot be read: " +
                    "journal file " + JournalDamage.fileOf(journal, at) + " stops at " + JournalDamage.describe(journal, at));
            }
        }
    }

    /**
     * Moves a queue past the damaged stretch of its journal, as {@link SharedQueue#skipDamaged()} does.
     *
     * @param queueDirectory the queue's directory ({@code <name>.queue}).
     * @return how many messages were lost.
     */
    public static long skipDamaged(final Path queueDirectory)
    {
        final String fileName = queueDirectory.getFileName().toString();
        if (!fileName.endsWith(QUEUE_SUFFIX))
        {
            throw new IllegalArgumentException(queueDirectory + " is not a queue directory (<name>" + QUEUE_SUFFIX + ")");
        }
        final String name = fileName.substring(0, fileName.length() - QUEUE_SUFFIX.length());
        try (SharedQueue<byte[]> queue = SharedQueue.open(name, dev.ipckit.codec.Codecs.bytes(),
            QueueOptions.defaults().withDirectory(queueDirectory.toAbsolutePath().getParent())))
        {
            return queue.skipDamaged();
        }
    }

    static Path directoryFor(final Path base, final String name, final String suffix)
    {
        Names.validate(suffix.substring(1), name, Names.MAX_REGION_NAME_BYTES - suffix.length());
        return base.resolve(name + suffix).toAbsolutePath();
    }

    static String temporaryName(final String kind)
    {
        return kind + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates the directory of a new queue or pipe, 0700, with its control region, atomically: the directory is
     * built under an unfinished name that names this process ({@link RegionFiles#unfinishedPath}), its control
     * region created and {@code prepare} run on it there, and only then renamed to its own name. So a directory
     * under its own name always has a control region naming its creator, and a creator killed before the rename
     * leaves only the unfinished directory, which {@link #removeStale} removes at once as its creator is dead.
     *
     * @param directory     the queue's or pipe's directory.
     * @param kind          "queue" or "pipe", for messages.
     * @param regionLength  the control region's length.
     * @param regionOptions the control region's options (its directory is ignored).
     * @param prepare       creates the objects the control region must hold when the directory appears.
     * @return the control region, opened at its final path.
     * @throws IllegalStateException when the directory exists already.
     * @throws RegionException       UNSAFE_DIRECTORY when the parent directory is not private.
     */
    static SharedRegion createWithControl(
        final Path directory, final String kind, final long regionLength, final RegionOptions regionOptions,
        final Consumer<SharedRegion> prepare)
    {
        final Path unfinished = RegionFiles.unfinishedPath(directory);
        RegionFiles.ensurePrivateDirectory(directory.getParent());
        ResourceTracker.willCreateIn(directory.getParent());
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
        {
            throw exists(kind, directory, null);
        }
        final Optional<String> problem;
        try
        {
            problem = PrivateDirectory.createNew(unfinished);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + kind + " directory " + unfinished, ex);
        }
        if (problem.isPresent())
        {
            throw new RegionException(RegionException.Reason.UNSAFE_DIRECTORY, unfinished, "not used: " + problem.get());
        }
        CreationSteps.reached(CreationSteps.DIRECTORY_CREATED);
        SharedRegion building = null;
        try
        {
            building = SharedRegion.createAt(unfinished.resolve(CONTROL_FILE), regionLength, regionOptions);
            prepare.accept(building);
            CreationSteps.reached(CreationSteps.CONTROL_PREPARED);
            rename(unfinished, directory, kind);
            CreationSteps.reached(CreationSteps.DIRECTORY_RENAMED);
        }
        catch (final RuntimeException | Error ex)
        {
            if (building != null)
            {
                building.close();
            }
            deleteTree(unfinished);
            throw ex;
        }
        // The mapping made under the unfinished name stays valid, but the region's path must be the final one (it
        // is in messages and handles): open it there, then let the first go (its file is no longer at that path).
        try
        {
            return SharedRegion.openAt(directory.resolve(CONTROL_FILE), regionOptions);
        }
        finally
        {
            building.close();
        }
    }

    private static void rename(final Path unfinished, final Path directory, final String kind)
    {
        try
        {
            // rename(2): atomic, and fails when the target is a directory that is not empty (as every queue or pipe
            // directory is, holding its control region).
            Files.move(unfinished, directory, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final FileAlreadyExistsException | DirectoryNotEmptyException ex)
        {
            throw exists(kind, directory, ex);
        }
        catch (final IOException ex)
        {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
            {
                throw exists(kind, directory, ex);
            }
            throw new UncheckedIOException("cannot rename " + unfinished + " to " + directory, ex);
        }
    }

    private static IllegalStateException exists(final String kind, final Path directory, final Exception cause)
    {
        return new IllegalStateException(kind + " " + directory + " exists already" + creatorNote(directory), cause);
    }

    /** What is known of an existing queue's or pipe's creator, when that helps: it is dead. */
    private static String creatorNote(final Path directory)
    {
        final long unfinished = creatorOfUnfinished(directory);
        if (unfinished != ProcessIdentity.NONE && !ProcessIdentity.isAlive(unfinished))
        {
            return "; its creator, pid " + ProcessIdentity.pid(unfinished) + ", died before finishing it: " +
                "openOrCreate finishes it, ./ipckit clean (QueueFiles.removeStale) removes it";
        }
        final RegionFiles.RegionFile control = controlFile(directory);
        return control != null && control.stale() ? "; its creator, pid " + ProcessIdentity.pid(control.creator()) +
            ", is dead and it is temporary: ./ipckit clean (QueueFiles.removeStale) removes it" : "";
    }

    /**
     * Removes the unfinished queue and pipe directories ({@link RegionFiles#UNFINISHED_SUFFIX}) of creators that
     * died while building them.
     */
    private static List<Path> removeUnfinished(final Path directory)
    {
        final List<Path> removed = new ArrayList<>();
        try (Stream<Path> paths = Files.list(directory))
        {
            for (final Path candidate : paths.sorted().toList())
            {
                final long creator = RegionFiles.unfinishedCreator(candidate);
                if (creator != ProcessIdentity.NONE && !ProcessIdentity.isAlive(creator) &&
                    Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS))
                {
                    deleteTree(candidate);
                    removed.add(candidate);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
        return removed;
    }

    static void deleteTree(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + directory, ex);
        }
    }
}
