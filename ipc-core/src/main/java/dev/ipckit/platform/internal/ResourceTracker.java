package dev.ipckit.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ipckit's resource tracker (Python's {@code multiprocessing.resource_tracker}): what a dead process created and did
 * not remove (temporary regions, queues and pipes, and half-made ones) disappears without anyone running
 * {@code ./ipckit clean}.
 * <ul>
 *   <li>Before a process first creates something in a directory, it records that directory. A child started by an
 *       ipckit parent records it in a file the parent gave it ({@link #recordFileFor}); when the parent sees the
 *       child exit, for whatever reason (its join, its exit callback, the parent's own exit), it sweeps the
 *       directories the child recorded ({@link #sweepRecorded}). The record is written before the creation, so a
 *       kill at any instant after it is covered.</li>
 *   <li>The first time a process creates something in a directory, it also sweeps that directory in the
 *       background: what a process without an ipckit parent (or whose parent died too) left is removed by the
 *       next ipckit process that uses the directory.</li>
 * </ul>
 * A sweep removes only what is stale (see {@link DirectorySweeper}); it is the same judgement as
 * {@code ./ipckit clean}, so a sweep and a clean, or two sweeps, may run at once. {@code -Dipckit.cleanup=false}
 * turns both off (for tests that need a dead creator's files to stay, and for anyone who wants to look at them);
 * {@code IpcProcess} passes the setting on to its children.
 * <p>
 * Internal: called by ipckit's creation paths and by {@code IpcProcess}.
 */
public final class ResourceTracker
{
    /** The system property that turns automatic cleanup off ({@code false}); {@code true} is the default. */
    public static final String CLEANUP_PROPERTY = "ipckit.cleanup";

    private static final String RECORD_SUFFIX = ".directories";
    /** Directories this JVM has created something in: recorded and swept once each. */
    private static final Set<Path> USED = ConcurrentHashMap.newKeySet();
    /** The parent's record file, when this JVM is an ipckit child; set before its task runs. */
    private static volatile Path recordFile;
    private static volatile List<DirectorySweeper> sweepers;

    private ResourceTracker()
    {
    }

    /**
     * Whether automatic cleanup is on ({@value #CLEANUP_PROPERTY}).
     *
     * @return true unless the property is {@code false}.
     * @throws IllegalArgumentException when the property is neither {@code true} nor {@code false}.
     */
    public static boolean enabled()
    {
        final String value = System.getProperty(CLEANUP_PROPERTY, "true").trim();
        if ("true".equalsIgnoreCase(value))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(value))
        {
            return false;
        }
        throw new IllegalArgumentException(
            "system property " + CLEANUP_PROPERTY + " is '" + value + "': use true (the default) or false");
    }

    /**
     * The file a child records its directories in, next to its result file: written by the child, read and removed
     * by the parent.
     *
     * @param resultFile the child's result file.
     * @return its record file.
     */
    public static Path recordFileFor(final Path resultFile)
    {
        return resultFile.resolveSibling(resultFile.getFileName() + RECORD_SUFFIX);
    }

    /**
     * Makes this JVM record the directories it creates things in into {@code file} (its parent's record for it).
     *
     * @param file the record file.
     */
    public static void recordInto(final Path file)
    {
        recordFile = file;
    }

    /**
     * To be called before this process creates a file or directory in {@code directory} that a sweep would remove
     * if this process died: records the directory (once per JVM) for the parent, and sweeps it in the background the
     * first time.
     *
     * @param directory the directory.
     */
    public static void willCreateIn(final Path directory)
    {
        if (!enabled())
        {
            return;
        }
        final Path absolute = directory.toAbsolutePath().normalize();
        if (!USED.add(absolute))
        {
            return;
        }
        record(absolute);
        final Thread sweep = new Thread(() -> sweep(absolute), "ipckit-sweep");
        sweep.setDaemon(true);
        sweep.start();
    }

    /**
     * Sweeps the directories an exited child recorded, then removes the record. Never throws: what cannot be swept
     * now is left for the next sweep or {@code ./ipckit clean}.
     *
     * @param file the child's record file ({@link #recordFileFor}); missing when the child created nothing.
     * @return what was removed.
     */
    public static List<Path> sweepRecorded(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Files.deleteIfExists(file);
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
        if (!enabledQuietly())
        {
            return List.of();
        }
        final List<Path> removed = new ArrayList<>();
        for (final String line : new LinkedHashSet<>(lines))
        {
            if (!line.isEmpty())
            {
                removed.addAll(sweep(Path.of(line)));
            }
        }
        return removed;
    }

    /**
     * Removes the stale files in one directory, as {@code ./ipckit clean} does there. Never throws.
     *
     * @param directory the directory.
     * @return what was removed.
     */
    public static List<Path> sweep(final Path directory)
    {
        final List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS))
        {
            return removed;
        }
        for (final DirectorySweeper sweeper : sweepers())
        {
            try
            {
                removed.addAll(sweeper.removeStale(directory));
            }
            catch (final RuntimeException ex)
            {
                // An unsafe or unreadable directory, or a file that went away meanwhile: left for the next sweep.
            }
        }
        return removed;
    }

    /** {@link #enabled()} where nothing may throw (a process's exit handling): a bad value means off there. */
    private static boolean enabledQuietly()
    {
        try
        {
            return enabled();
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static void record(final Path directory)
    {
        final Path file = recordFile;
        final String text = directory.toString();
        if (file == null || text.indexOf('\n') >= 0)
        {
            return;
        }
        try
        {
            // One small write with O_APPEND: lines from several threads do not interleave. It reaches the page cache
            // before the creation it announces starts, so a SIGKILL after that cannot lose it.
            Files.write(file, (text + '\n').getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException | RuntimeException ex)
        {
            // The parent's directory is gone (it died): nobody would read the record. The next process that uses
            // the directory still sweeps it.
        }
    }

    private static List<DirectorySweeper> sweepers()
    {
        List<DirectorySweeper> found = sweepers;
        if (found == null)
        {
            final List<DirectorySweeper> loaded = new ArrayList<>();
            ServiceLoader.load(DirectorySweeper.class, ResourceTracker.class.getClassLoader()).forEach(loaded::add);
            found = List.copyOf(loaded);
            sweepers = found;
        }
        return found;
    }
}
