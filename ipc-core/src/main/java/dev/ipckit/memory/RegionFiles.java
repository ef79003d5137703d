package dev.ipckit.memory;

import dev.ipckit.platform.ProcessIdentity;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.ipckit.memory.RegionLayout.*;

/**
 * Where regions live and how leftover ones are found: the default directory, listing, and removal of stale regions
 * (temporary regions whose creator died without closing them).
 */
public final class RegionFiles
{
    /** System property that overrides the default directory. */
    public static final String DIRECTORY_PROPERTY = "ipckit.dir";

    private static final boolean POSIX =
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    /** A region file whose header is incomplete this long after its last change was abandoned by its creator. */
    private static final long ABANDONED_AFTER_MILLIS = 60_000;

    private RegionFiles()
    {
    }

    /**
     * The default directory: {@code -Dipckit.dir} if set, else {@code /dev/shm/ipckit-<user>} where {@code /dev/shm}
     * exists (memory, no disk I/O), else {@code <java.io.tmpdir>/ipckit-<user>}.
     *
     * @return the directory (not created by this call).
     */
    public static Path defaultDirectory()
    {
        final String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank())
        {
            return Path.of(configured).toAbsolutePath();
        }
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("ipckit-" + user);
    }

    /**
     * What is known about one region file.
     *
     * @param path       the file.
     * @param valid      whether its header is a complete ipckit header of a known version.
     * @param creator    the creator's process identity (0 when unknown).
     * @param creatorAlive whether the creator still runs.
     * @param persistent whether it is kept after its creator closes.
     * @param length     the file length in bytes.
     * @param stale      whether {@link #removeStale} would remove it.
     */
    public record RegionFile(
        Path path, boolean valid, long creator, boolean creatorAlive, boolean persistent, long length, boolean stale)
    {
        /**
         * The region's name: the file name without its suffix.
         *
         * @return the name.
         */
        public String name()
        {
            return SharedRegion.nameOf(path);
        }
    }

    /**
     * The region files in a directory, with their creators' liveness.
     *
     * @param directory the directory; missing means none.
     * @return the files, sorted by path.
     */
    public static List<RegionFile> list(final Path directory)
    {
        final List<RegionFile> files = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return files;
        }
        try (Stream<Path> paths = Files.list(directory))
        {
            paths.filter(p -> SharedRegion.isRegionFileName(p.getFileName().toString()))
                .sorted()
                .forEach(p -> inspect(p, files));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
        return files;
    }

    /**
     * Removes the stale region files in a directory: temporary regions whose creator is dead, and files whose
     * header was never finished by a creator that is gone. Persistent regions and regions of live creators stay.
     *
     * @param directory the directory.
     * @return the removed files.
     */
    public static List<Path> removeStale(final Path directory)
    {
        final List<Path> removed = new ArrayList<>();
        for (final RegionFile file : list(directory))
        {
            if (file.stale())
            {
                try
                {
                    if (Files.deleteIfExists(file.path()))
                    {
                        removed.add(file.path());
                    }
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("cannot remove stale region " + file.path(), ex);
                }
            }
        }
        return removed;
    }

    private static void inspect(final Path path, final List<RegionFile> into)
    {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r"))
        {
            final long length = file.length();
            if (length < HEADER_LENGTH)
            {
                final boolean abandoned = olderThan(path, ABANDONED_AFTER_MILLIS);
                into.add(new RegionFile(path, false, 0, false, false, length, abandoned));
                return;
            }
            final byte[] bytes = new byte[HEADER_LENGTH];
            file.readFully(bytes);
            final UnsafeBuffer header = new UnsafeBuffer(bytes);
            final long magic = header.getLong(MAGIC_OFFSET);
            final boolean ready = header.getInt(READY_OFFSET) == 1;
            final long creator = header.getLong(CREATOR_OFFSET);
            final boolean alive = ProcessIdentity.isAlive(creator);
            if (magic != MAGIC)
            {
                // Not ours, or a creator that never wrote its header: only the latter, once old, is stale.
                final boolean abandoned = magic == 0 && olderThan(path, ABANDONED_AFTER_MILLIS);
                into.add(new RegionFile(path, false, 0, false, false, length, abandoned));
                return;
            }
            final boolean persistent = (header.getInt(FLAGS_OFFSET) & FLAG_PERSISTENT) != 0;
            final boolean valid = ready && header.getInt(LAYOUT_VERSION_OFFSET) == LAYOUT_VERSION;
            final boolean stale = !alive && (!persistent || !ready);
            into.add(new RegionFile(path, valid, creator, alive, persistent, length, stale));
        }
        catch (final java.io.FileNotFoundException ex)
        {
            // Removed while we listed: nothing to report.
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot inspect region file " + path, ex);
        }
    }

    private static boolean olderThan(final Path path, final long millis) throws IOException
    {
        return System.currentTimeMillis() - Files.getLastModifiedTime(path).toMillis() > millis;
    }

    static void ensureDirectory(final Path directory)
    {
        if (Files.isDirectory(directory))
        {
            return;
        }
        try
        {
            if (POSIX)
            {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
            }
            else
            {
                Files.createDirectories(directory);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create region directory " + directory, ex);
        }
    }

    static FileAttribute<?>[] fileAttributes()
    {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)} : new FileAttribute<?>[0];
    }
}
