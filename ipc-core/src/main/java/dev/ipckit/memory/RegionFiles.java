package dev.ipckit.memory;

import dev.ipckit.platform.ProcessIdentity;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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

    /**
     * Suffix of a file or directory under construction: {@code <its name>.<creator identity>.<random>.creating}.
     * Regions, queues and pipes are built under such a name and appear under their own name only when complete, so
     * a creator that dies half-way leaves only a file or directory whose name says who made it.
     */
    public static final String UNFINISHED_SUFFIX = ".creating";

    /**
     * A region file whose header is incomplete and names no creator this long after its last change was abandoned by
     * its creator. Only files made by hand or by old versions can be like that: a creator identity is known for
     * everything ipckit builds now, and a dead one's leftovers are removed at once.
     */
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
     * The region files in a directory, with their creators' liveness, and the unfinished region files
     * ({@value #UNFINISHED_SUFFIX}: never valid, stale once their creator is dead).
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
            paths.filter(p -> SharedRegion.isRegionFileName(p.getFileName().toString()) || isUnfinishedFile(p))
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
     * Removes the stale region files in a directory: temporary regions whose creator is dead, files whose header was
     * never finished by a creator that is gone, and the unfinished files ({@value #UNFINISHED_SUFFIX}) of creators
     * that died while building a region. Persistent regions and regions of live creators stay.
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

    /**
     * The file or directory name under which {@code target} is built by this process: unique, and naming this
     * process as its creator so that {@link #removeStale} and {@code QueueFiles.removeStale} know when it is
     * abandoned.
     *
     * @param target the path the finished file or directory gets.
     * @return a sibling of {@code target}.
     */
    public static Path unfinishedPath(final Path target)
    {
        return target.resolveSibling(target.getFileName() + "." + ProcessIdentity.current() + "." +
            Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + UNFINISHED_SUFFIX);
    }

    /**
     * The creator named by an unfinished file or directory name (see {@link #unfinishedPath}).
     *
     * @param path a path.
     * @return the creator's process identity, or {@link ProcessIdentity#NONE} when the name is not an unfinished one.
     */
    public static long unfinishedCreator(final Path path)
    {
        final String name = path.getFileName().toString();
        if (!name.endsWith(UNFINISHED_SUFFIX))
        {
            return ProcessIdentity.NONE;
        }
        final String stem = name.substring(0, name.length() - UNFINISHED_SUFFIX.length());
        final int random = stem.lastIndexOf('.');
        final int identity = random > 0 ? stem.lastIndexOf('.', random - 1) : -1;
        if (identity < 0)
        {
            return ProcessIdentity.NONE;
        }
        try
        {
            return Long.parseLong(stem.substring(identity + 1, random));
        }
        catch (final NumberFormatException ex)
        {
            return ProcessIdentity.NONE;
        }
    }

    /**
     * Removes the region file at {@code path} if its header was never finished and its creator is known and dead:
     * what {@link SharedRegion#openOrCreate} replaces. The file is first renamed aside and removed only if it is
     * still the file judged (same file key), so that a region another process created meanwhile under that name is
     * put back, not removed.
     *
     * @return true when the path no longer holds that abandoned file (removed by this or another process).
     */
    static boolean removeAbandoned(final Path path)
    {
        try
        {
            // The key first, then the judgement: the file moved aside below is removed only if it is the one judged.
            final Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (!isAbandoned(path))
            {
                return false;
            }
            final Path aside = unfinishedPath(path);
            try
            {
                Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final NoSuchFileException ex)
            {
                return true;
            }
            final Object moved = Files.readAttributes(aside, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (key == null || !key.equals(moved))
            {
                try
                {
                    Files.createLink(path, aside);
                }
                catch (final FileAlreadyExistsException ignore)
                {
                    // Yet another file took the name: the one moved aside was never a region anyone could open.
                }
            }
            Files.deleteIfExists(aside);
            return true;
        }
        catch (final NoSuchFileException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, path, "cannot remove the abandoned file: " + ex, ex);
        }
    }

    /** Whether the file's header is unfinished (not ready) and names a creator that is dead. */
    private static boolean isAbandoned(final Path path)
    {
        final byte[] bytes = new byte[HEADER_LENGTH];
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r"))
        {
            if (file.length() < HEADER_LENGTH)
            {
                return false;
            }
            file.readFully(bytes);
        }
        catch (final IOException ex)
        {
            return false;
        }
        final UnsafeBuffer header = new UnsafeBuffer(bytes);
        final long magic = header.getLong(MAGIC_OFFSET);
        final long creator = header.getLong(CREATOR_OFFSET);
        return (magic == MAGIC || magic == 0) && header.getIntVolatile(READY_OFFSET) != 1 &&
            creator != ProcessIdentity.NONE && !ProcessIdentity.isAlive(creator);
    }

    private static boolean isUnfinishedFile(final Path path)
    {
        return unfinishedCreator(path) != ProcessIdentity.NONE && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static void inspect(final Path path, final List<RegionFile> into)
    {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r"))
        {
            final long length = file.length();
            final long builder = unfinishedCreator(path);
            if (builder != ProcessIdentity.NONE)
            {
                // A region under construction, or abandoned by a creator that died building it.
                final boolean alive = ProcessIdentity.isAlive(builder);
                into.add(new RegionFile(path, false, builder, alive, false, length, !alive));
                return;
            }
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
                // Not ours, or a creator that never wrote its magic: only the latter, once its creator is known dead
                // (it writes its identity first) or, naming none, once old, is stale.
                final boolean abandoned = magic == 0 &&
                    (creator != ProcessIdentity.NONE ? !alive : olderThan(path, ABANDONED_AFTER_MILLIS));
                into.add(new RegionFile(path, false, magic == 0 ? creator : 0, magic == 0 && alive, false, length,
                    abandoned));
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
