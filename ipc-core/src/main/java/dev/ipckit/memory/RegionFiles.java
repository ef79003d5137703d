package dev.ipckit.memory;

import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ProcessIdentity;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static dev.ipckit.memory.RegionLayout.*;

/**
 * Where regions live and how leftover ones are found: the default directory, listing, and removal of stale regions
 * (temporary regions whose creator died without closing them).
 * <p>
 * Every directory that holds regions (and queues, pipes and journals) is checked before use: a real directory, owned
 * by this uid, without group or other write (see {@link PrivateDirectory}); otherwise a {@link RegionException} with
 * reason {@code UNSAFE_DIRECTORY}. Region files are opened without following symbolic links.
 */
public final class RegionFiles
{
    /** System property that overrides the default directory. */
    public static final String DIRECTORY_PROPERTY = "ipckit.dir";

    private static final boolean POSIX =
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<OpenOption> READ_NO_FOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> READ_WRITE_NO_FOLLOW =
        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    /** O_CREAT | O_EXCL: never follows a link, fails on anything at the path. */
    private static final Set<OpenOption> CREATE_NEW =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
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
     * exists (memory, no disk I/O), else {@code <java.io.tmpdir>/ipckit-<user>}. It is created {@code 0700}; if it
     * exists already it must be a real directory owned by this uid without group or other write, or nothing is
     * created or opened in it (another user who made {@code /dev/shm/ipckit-<you>} first gets a clear error, never
     * your regions).
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
     * @throws RegionException UNSAFE_DIRECTORY when the directory is a link, not this uid's, or writable by others.
     */
    public static List<RegionFile> list(final Path directory)
    {
        final List<RegionFile> files = new ArrayList<>();
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
        {
            return files;
        }
        checkDirectory(directory, directory);
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
        final ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            return false;
        }
        try (FileChannel file = openNoFollow(path, false))
        {
            if (file.size() < HEADER_LENGTH)
            {
                return false;
            }
            while (bytes.hasRemaining() && file.read(bytes, bytes.position()) > 0)
            {
                // read the whole header
            }
        }
        catch (final IOException | RegionException ex)
        {
            return false;
        }
        final UnsafeBuffer header = new UnsafeBuffer(bytes.array());
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
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            // A link, a directory or a FIFO (whose open would wait for a writer): listed as not a region, never
            // followed, opened or removed.
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                into.add(new RegionFile(path, false, 0, false, false, 0, false));
            }
            return;
        }
        final FileChannel file;
        try
        {
            file = openNoFollow(path, false);
        }
        catch (final RegionException ex)
        {
            switch (ex.reason())
            {
                case NOT_FOUND: return; // removed while we listed: nothing to report
                case UNSAFE_FILE: // made a link since the look above: as above
                    into.add(new RegionFile(path, false, 0, false, false, 0, false));
                    return;
                default: throw ex;
            }
        }
        try (file)
        {
            final long length = file.size();
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
            final ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH);
            while (bytes.hasRemaining() && file.read(bytes, bytes.position()) > 0)
            {
                // a file shorter than it was a moment ago leaves zeros: not our magic, reported as not a region
            }
            final UnsafeBuffer header = new UnsafeBuffer(bytes.array());
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
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot inspect region file " + path, ex);
        }
    }

    private static boolean olderThan(final Path path, final long millis) throws IOException
    {
        return System.currentTimeMillis() - Files.getLastModifiedTime(path).toMillis() > millis;
    }

    /**
     * Creates a directory for ipckit's files and its missing parents ({@code 0700} each), or checks the existing one:
     * it must be a real directory (not a symbolic link), owned by this uid, without group or other write. Queues,
     * pipes and journals use it for their directories too.
     *
     * @param directory the directory.
     * @return the directory.
     * @throws RegionException UNSAFE_DIRECTORY naming the path, its owner and mode, and what to do; IO when it
     *                         cannot be created.
     */
    public static Path ensurePrivateDirectory(final Path directory)
    {
        ensureDirectory(directory, directory);
        return directory;
    }

    /** {@link #ensurePrivateDirectory} for the region {@code about}, which the exception names. */
    static void ensureDirectory(final Path directory, final Path about)
    {
        final Optional<String> problem;
        try
        {
            problem = PrivateDirectory.create(directory);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, about, "cannot create directory " + directory + ": " + ex, ex);
        }
        problem.ifPresent(text -> unsafe(about, text));
    }

    /**
     * Checks an existing directory as {@link #ensurePrivateDirectory} does.
     *
     * @throws RegionException NOT_FOUND when it does not exist, UNSAFE_DIRECTORY when it is not private.
     */
    static void checkDirectory(final Path directory, final Path about)
    {
        final Optional<String> problem;
        try
        {
            problem = PrivateDirectory.problem(directory);
        }
        catch (final NoSuchFileException ex)
        {
            throw new RegionException(RegionException.Reason.NOT_FOUND, about,
                about.equals(directory) ? "does not exist" : "does not exist (no directory " + directory + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, about, "cannot read directory " + directory + ": " + ex, ex);
        }
        problem.ifPresent(text -> unsafe(about, text));
    }

    private static void unsafe(final Path about, final String problem)
    {
        throw new RegionException(RegionException.Reason.UNSAFE_DIRECTORY, about, "not used: " + problem);
    }

    /**
     * Opens an existing region file without following a symbolic link.
     *
     * @throws RegionException NOT_FOUND, UNSAFE_FILE (a link), or IO.
     */
    static FileChannel openNoFollow(final Path path, final boolean write)
    {
        try
        {
            return FileChannel.open(path, write ? READ_WRITE_NO_FOLLOW : READ_NO_FOLLOW);
        }
        catch (final NoSuchFileException ex)
        {
            throw new RegionException(RegionException.Reason.NOT_FOUND, path, "does not exist", ex);
        }
        catch (final IOException ex)
        {
            throw Files.isSymbolicLink(path) ? symbolicLink(path, ex) :
                new RegionException(RegionException.Reason.IO, path, "cannot open: " + ex, ex);
        }
    }

    /**
     * Creates a new region file, {@code 0600}, never through a link.
     *
     * @throws RegionException ALREADY_EXISTS saying what is there (and whether its creator is dead), UNSAFE_FILE for a
     *                         link, or IO.
     */
    static FileChannel createNew(final Path path)
    {
        try
        {
            return FileChannel.open(path, CREATE_NEW, fileAttributes());
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            if (Files.isSymbolicLink(path))
            {
                throw symbolicLink(path, ex);
            }
            throw new RegionException(RegionException.Reason.ALREADY_EXISTS, path, "already exists" + whatExists(path), ex);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, path, "cannot create: " + ex, ex);
        }
    }

    static RegionException symbolicLink(final Path path, final Exception cause)
    {
        String target;
        try
        {
            target = Files.readSymbolicLink(path).toString();
        }
        catch (final IOException ex)
        {
            target = "?";
        }
        return new RegionException(RegionException.Reason.UNSAFE_FILE, path,
            "is a symbolic link (to " + target + "): ipckit opens region files only directly, never through a link; " +
            "remove the link", cause);
    }

    /** What a region file in the way of a create is, and how to get rid of it when its creator is dead. */
    static String whatExists(final Path path)
    {
        final List<RegionFile> found = new ArrayList<>(1);
        try
        {
            inspect(path, found);
        }
        catch (final RuntimeException ex)
        {
            return "";
        }
        if (found.isEmpty())
        {
            return "";
        }
        final RegionFile file = found.get(0);
        final String clean = "; ./ipckit clean " + path.getParent() + " (or RegionFiles.removeStale(dir)) removes it";
        if (file.creator() == ProcessIdentity.NONE)
        {
            return file.stale() ? " (an unfinished region file whose creator is gone" + clean + ")" :
                " (not a complete region: another process may be creating it)";
        }
        final String creator = "creator pid " + ProcessIdentity.pid(file.creator());
        if (file.creatorAlive())
        {
            return " (" + creator + " is alive)";
        }
        if (file.stale())
        {
            return " (a stale " + (file.persistent() ? "unfinished" : "temporary") + " region: its " + creator +
                " is dead" + clean + ")";
        }
        return " (a persistent region; its " + creator + " is gone: open it, or delete the file to create it anew)";
    }

    static FileAttribute<?>[] fileAttributes()
    {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)} : new FileAttribute<?>[0];
    }
}
