package dev.ipckit.benchmarks;

import dev.ipckit.memory.RegionFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A messaging benchmark's own directory for its queues, journals and mappings, in ipckit's default directory (so
 * normally under {@code /dev/shm}), named {@code bench-<kind>-<pid>.raw}, which ipckit's listings ignore. Removed
 * with everything in it on {@link #close()}.
 */
final class ScratchDirectory implements AutoCloseable
{
    private final Path path;
    private int names;

    private ScratchDirectory(final Path path)
    {
        this.path = path;
    }

    /**
     * Creates the directory.
     *
     * @param kind the benchmark, part of the name.
     * @return the directory.
     */
    static ScratchDirectory create(final String kind)
    {
        final Path path = RegionFiles.defaultDirectory()
            .resolve("bench-" + kind + "-" + ProcessHandle.current().pid() + ".raw");
        RegionFiles.ensurePrivateDirectory(path); // 0700, checked like every ipckit directory
        return new ScratchDirectory(path);
    }

    /**
     * @return the directory.
     */
    Path path()
    {
        return path;
    }

    /**
     * @param prefix what the name starts with.
     * @return a name not handed out before by this directory.
     */
    String nextName(final String prefix)
    {
        return prefix + "-" + ++names;
    }

    @Override
    public void close()
    {
        deleteTree(path);
    }

    /**
     * Deletes a directory and everything in it; nothing when it is missing.
     *
     * @param directory the directory.
     */
    static void deleteTree(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path each : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(each);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + directory, ex);
        }
    }
}
