package dev.ipckit.queue;

import dev.ipckit.memory.Names;
import dev.ipckit.memory.RegionFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
