package dev.ipckit.pool;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a class's class file, as its class loader finds it: how a pool and a worker on another host find
 * out whether they have the same version of a class. Classes of the JDK itself are not compared (hosts may run
 * different builds of the same JDK; serialization checks what matters there).
 */
final class ClassDigests
{
    private ClassDigests()
    {
    }

    /** @return whether classes of this loader are compared: not the JDK's (boot and platform loaders). */
    static boolean compared(final Class<?> type)
    {
        final ClassLoader loader = type.getClassLoader();
        return loader != null && loader != ClassLoader.getPlatformClassLoader();
    }

    /**
     * @param loader where the class file is looked up.
     * @param name   the binary class name.
     * @return the digest of its class file, or null when the loader has no class file of that name.
     */
    static byte[] of(final ClassLoader loader, final String name)
    {
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
        try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class"))
        {
            if (in == null)
            {
                return null;
            }
            final byte[] chunk = new byte[8192];
            int read;
            while ((read = in.read(chunk)) > 0)
            {
                sha.update(chunk, 0, read);
            }
            return sha.digest();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    static String hex(final byte[] digest)
    {
        final StringBuilder text = new StringBuilder(16);
        for (int i = 0; i < 6; i++)
        {
            text.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
        }
        return text.toString();
    }
}
