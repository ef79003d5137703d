package dev.ipckit.queue;

import dev.ipckit.memory.Names;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where queues and pipes live, and the cleanup of those left by dead creators.
 * <p>
 * A queue named {@code n} is the directory {@code <dir>/n.queue/}, a pipe {@code <dir>/n.pipe/}; each holds a
 * control region ({@value #CONTROL_FILE}: claim cursor, counters, locks, end states) and its Chronicle journals.
 * {@code <dir>} defaults to {@link RegionFiles#defaultDirectory()}.
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
     * Removes the queues and pipes in {@code directory} whose creator died and that are not persistent, and those a
     * creator never finished.
     *
     * @param directory the directory (missing means nothing to do).
     * @return the removed queue and pipe directories.
     */
    public static List<Path> removeStale(final Path directory)
    {
        final List<Path> removed = new ArrayList<>();
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
     * @return their paths, sorted.
     */
    public static List<Path> list(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(directory))
        {
            return paths.filter(p ->
                {
                    final String name = p.getFileName().toString();
                    return Files.isDirectory(p) && (name.endsWith(QUEUE_SUFFIX) || name.endsWith(PIPE_SUFFIX));
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
        final List<RegionFiles.RegionFile> control = RegionFiles.list(queueDirectory);
        if (control.isEmpty())
        {
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
        return control.get(0).stale();
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
     * Creates the directory of a new queue or pipe, 0700.
     *
     * @throws IllegalStateException when it exists already.
     */
    static void createDirectory(final Path directory, final String kind)
    {
        try
        {
            Files.createDirectories(directory.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException(kind + " " + directory + " exists already", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + kind + " directory " + directory, ex);
        }
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
