package dev.ipckit.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Where an authkey comes from when it is shared between hosts: a file only its owner can read, or an environment
 * variable; never a command line (any user of the host sees those in the process list). The key is the bytes of the
 * file (one trailing newline dropped, so {@code echo secret > key} works) or of the variable's value in UTF-8.
 */
public final class Authkeys
{
    /** The environment variable {@code ./ipckit worker} reads when it is given no key file. */
    public static final String ENVIRONMENT_VARIABLE = "IPCKIT_AUTHKEY";
    /** The longest key: what a child's start header carries. */
    public static final int MAX_BYTES = 1024;

    private Authkeys()
    {
    }

    /**
     * Reads a key file.
     *
     * @param file a regular file (not a link) only its owner may read and write.
     * @return the key.
     * @throws IOException              when it cannot be read.
     * @throws IllegalArgumentException when it is no regular file, others may read it, or it is empty or too long.
     */
    public static byte[] fromFile(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IllegalArgumentException("the authkey file " + file + " is no regular file (a link, a " +
                "directory, or missing)");
        }
        try
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            for (final PosixFilePermission permission : permissions)
            {
                if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS"))
                {
                    throw new IllegalArgumentException("the authkey file " + file + " may be read or written by " +
                        "others (" + permission + "): chmod 600 it");
                }
            }
        }
        catch (final UnsupportedOperationException ex)
        {
            // Not a POSIX file system: its owner's care.
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length > 0 && key[key.length - 1] == '\n')
        {
            key = Arrays.copyOf(key, key.length - 1);
        }
        return checked(key, "the authkey file " + file);
    }

    /**
     * Reads a key from an environment variable.
     *
     * @param variable its name, e.g. {@link #ENVIRONMENT_VARIABLE}.
     * @return the key, or null when the variable is not set.
     * @throws IllegalArgumentException when it is empty or too long.
     */
    public static byte[] fromEnvironment(final String variable)
    {
        final String value = System.getenv(variable);
        return value == null ? null : checked(value.getBytes(StandardCharsets.UTF_8), "$" + variable);
    }

    private static byte[] checked(final byte[] key, final String where)
    {
        if (key.length == 0 || key.length > MAX_BYTES)
        {
            throw new IllegalArgumentException(where + " holds " + key.length + " bytes; an authkey is 1 to " +
                MAX_BYTES);
        }
        return key;
    }
}
