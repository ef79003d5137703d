package dev.ipckit.stress.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fresh directory of one run: every region, queue, pipe and pool region of the run is made in it, so that after
 * the run anything found in it was left behind.
 */
final class RunDirectory
{
    private final Path path;

    private RunDirectory(final Path path)
    {
        this.path = path;
    }

    /**
     * Creates {@code <base>/ipckit-stress-<pid>-<n>} (0700).
     *
     * @param base the existing directory to create it in.
     * @return the new directory.
     */
    static RunDirectory create(final Path base)
    {
        final long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++)
        {
            final Path candidate = base.resolve("ipckit-stress-" + pid + "-" + attempt);
            try
            {
                return new RunDirectory(Files.createDirectory(candidate,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
            }
            catch (final java.nio.file.FileAlreadyExistsException ex)
            {
                if (attempt > 1000)
                {
                    throw new UncheckedIOException("cannot create a fresh run directory in " + base, ex);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create a run directory in " + base + ": " + ex.getMessage(), ex);
            }
        }
    }

    Path path()
    {
        return path;
    }

    /**
     * @return every file and directory left in the run directory, relative to it.
     */
    List<String> leftovers()
    {
        final List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path))
        {
            walk.filter(p -> !p.equals(path)).sorted().forEach(p -> found.add(path.relativize(p).toString()));
        }
        catch (final IOException ex)
        {
            found.add("(cannot list " + path + ": " + ex.getMessage() + ")");
        }
        return found;
    }

    /** Removes whatever is left, and the directory itself. */
    void delete()
    {
        try (Stream<Path> walk = Files.walk(path))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove the run directory " + path, ex);
        }
    }

    /** Creates the directory again after {@link #delete()}, so the run goes on in the same place. */
    static void recreate(final RunDirectory directory)
    {
        try
        {
            Files.createDirectories(directory.path,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the run directory " + directory.path + " again", ex);
        }
    }
}
