package dev.ipckit.platform.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trust check for every directory ipckit keeps files in: whoever can write such a directory can replace the files
 * in it, and a replaced region file runs code of the writer's choosing in the JVMs that use it (a barrier's action, a
 * pool's jobs). So a directory is used only when it is a real directory (not a symbolic link), owned by this process's
 * uid, and neither group nor others can write it. Directories are created {@code 0700} (the permission is part of the
 * {@code mkdir}, so there is no moment with the umask's mode) and then checked again without following links: that
 * second look is what catches a directory someone else made or swapped in first.
 * <p>
 * Only the directory itself, and the parents this class created, are checked; the parents a user or the system made
 * ({@code /dev/shm}, {@code /tmp}, a home directory) are theirs to keep safe. On a file system without POSIX
 * permissions nothing can be checked and directories are created plainly.
 * <p>
 * The methods return the problem in words (the path, its owner, its mode and what to do) instead of throwing, so that
 * each layer reports it with its own exception.
 */
public final class PrivateDirectory
{
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<?>[] CREATE_ATTRIBUTES =
        UNIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    /** st_mode bits: the file type mask, a directory, a symbolic link; write for group and for others. */
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_DIRECTORY = 0040000;
    private static final int TYPE_LINK = 0120000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    /** One lstat: only the fields the check needs (asking for owner names would look them up in the user database). */
    private static final String ATTRIBUTES = "unix:uid,mode";
    private static final String RULE = "ipckit only uses directories that only you can write " +
        "(a real directory, owned by you, no group or other write)";

    private static volatile int currentUid = -1;

    private PrivateDirectory()
    {
    }

    /**
     * Why an existing directory may not hold ipckit's files.
     *
     * @param directory the directory.
     * @return the problem in words (path, owner, mode, what to do), or empty when only this uid can write it.
     * @throws NoSuchFileException when nothing is at the path.
     * @throws IOException         when its attributes cannot be read.
     */
    public static Optional<String> problem(final Path directory) throws IOException
    {
        if (!UNIX)
        {
            return Optional.empty();
        }
        final Map<String, Object> attributes = Files.readAttributes(directory, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        final int uid = (Integer)attributes.get("uid");
        final int mode = (Integer)attributes.get("mode");
        final int type = mode & TYPE_MASK;
        if (type == TYPE_LINK)
        {
            String target;
            try
            {
                target = Files.readSymbolicLink(directory).toString();
            }
            catch (final IOException ex)
            {
                target = "?";
            }
            return Optional.of("directory " + directory + " is a symbolic link (to " + target + "), owned by " +
                owner(directory, uid) + ": ipckit does not follow links to its directories; remove the link, or " +
                "name the real directory itself (-Dipckit.dir or withDirectory). " + RULE);
        }
        if (type != TYPE_DIRECTORY)
        {
            return Optional.of(directory + " is not a directory (mode " + octal(mode) + ", owned by " +
                owner(directory, uid) + "): remove it or choose another directory. " + RULE);
        }
        final int me = currentUid();
        if (uid != me)
        {
            return Optional.of("directory " + directory + " is owned by " + owner(directory, uid) + ", not by you (uid " +
                me + "), mode " + octal(mode) + " (" + permissions(mode) + "): its owner could plant files in it; " +
                "remove it (as its owner or root) or choose another directory (-Dipckit.dir or withDirectory). " + RULE);
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0)
        {
            return Optional.of("directory " + directory + " (owned by " + owner(directory, uid) + ") has mode " +
                octal(mode) + " (" + permissions(mode) + "): " +
                ((mode & 0002) != 0 ? "every user" : "its group") + " can write it; remove it or chmod go-w " +
                directory + ". " + RULE);
        }
        return Optional.empty();
    }

    /**
     * Creates a directory and its missing parents, each {@code 0700}, and checks the directory and every parent this
     * call created (or found made by another process while it created them).
     *
     * @param directory the directory, existing or not.
     * @return the first problem found, or empty when the directory may be used.
     * @throws IOException when a directory cannot be created or its attributes cannot be read.
     */
    public static Optional<String> create(final Path directory) throws IOException
    {
        final Path absolute = directory.toAbsolutePath();
        final Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent())
        {
            missing.push(p);
        }
        while (!missing.isEmpty())
        {
            final Path next = missing.pop();
            try
            {
                Files.createDirectory(next, CREATE_ATTRIBUTES);
            }
            catch (final FileAlreadyExistsException ex)
            {
                // Another process made it between our look and our mkdir: the check below decides whether it may stay.
            }
            // The check after the mkdir is what closes the race: whatever is at the path now must be ours and private.
            final Optional<String> problem = problem(next);
            if (problem.isPresent())
            {
                return problem;
            }
        }
        return problem(absolute);
    }

    /**
     * Creates a new directory {@code 0700} and checks it; fails when anything is at the path already.
     *
     * @param directory the directory, whose parent exists.
     * @return the problem when the new directory cannot be trusted (only another process changing it at once), or empty.
     * @throws FileAlreadyExistsException when something is at the path.
     * @throws IOException                when it cannot be created.
     */
    public static Optional<String> createNew(final Path directory) throws IOException
    {
        Files.createDirectory(directory, CREATE_ATTRIBUTES);
        return problem(directory);
    }

    /**
     * Removes the directories {@code <base>/<prefix><identity>} whose JVM ({@link ProcessIdentity}) is dead: what a
     * JVM killed before it could clean up left (a result directory, a media driver's directory). Only private
     * directories of this uid are walked into. Never throws: a leftover costs only its files.
     *
     * @param base   where to look.
     * @param prefix the name before the identity.
     */
    public static void removeThoseOfDeadJvms(final Path base, final String prefix)
    {
        try (java.nio.file.DirectoryStream<Path> directories = Files.newDirectoryStream(base, prefix + "*"))
        {
            for (final Path directory : directories)
            {
                final String suffix = directory.getFileName().toString().substring(prefix.length());
                if (ofDeadJvm(suffix) && problem(directory).isEmpty())
                {
                    deleteTree(directory);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Best effort.
        }
    }

    /** Whether {@code name} is the identity of a JVM that no longer runs (false for anything else). */
    private static boolean ofDeadJvm(final String name)
    {
        if (!name.matches("[0-9]{1,19}"))
        {
            return false;
        }
        try
        {
            return !ProcessIdentity.isAlive(Long.parseLong(name));
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    /**
     * Deletes a directory and everything in it, as far as it can. Never throws.
     *
     * @param directory the directory.
     */
    public static void deleteTree(final Path directory)
    {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    // Best effort: the rest goes on.
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Best effort: a leftover costs only its files.
        }
    }

    /**
     * The uid of this process (the owner of the files it creates).
     *
     * @return the uid, or -1 where the file system has no uids.
     */
    public static int currentUid()
    {
        int uid = currentUid;
        if (uid < 0 && UNIX)
        {
            uid = readCurrentUid();
            currentUid = uid;
        }
        return uid;
    }

    private static int readCurrentUid()
    {
        final Path self = Path.of("/proc/self");
        if (Files.isDirectory(self))
        {
            try
            {
                // /proc/self belongs to the effective uid, which is the owner of the files this process creates.
                return (Integer)Files.getAttribute(self, "unix:uid");
            }
            catch (final IOException | RuntimeException ex)
            {
                // fall through to the JDK's own look-up
            }
        }
        return (int)new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static String owner(final Path path, final int uid)
    {
        try
        {
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName() + " (uid " + uid + ")";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "uid " + uid;
        }
    }

    private static String octal(final int mode)
    {
        return String.format("%04o", mode & 07777);
    }

    private static String permissions(final int mode)
    {
        final StringBuilder text = new StringBuilder(9);
        final String letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++)
        {
            text.append((mode & (0400 >> bit)) != 0 ? letters.charAt(bit) : '-');
        }
        return text.toString();
    }
}
