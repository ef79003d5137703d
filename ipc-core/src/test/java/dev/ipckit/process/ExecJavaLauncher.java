package dev.ipckit.process;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Starts a main class the way {@code mvn exec:java} does: in a class loader of its own over a class path that is not
 * this JVM's {@code java.class.path}. Uses JDK classes only: {@link ChildClassPathTest} copies this class alone into
 * a directory and makes that directory the JVM's class path.
 */
public final class ExecJavaLauncher
{
    private ExecJavaLauncher()
    {
    }

    /**
     * @param args the application's class path, then its main class.
     * @throws Exception when the main class fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final String[] entries = args[0].split(File.pathSeparator);
        final URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++)
        {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader()))
        {
            Thread.currentThread().setContextClassLoader(loader);
            loader.loadClass(args[1]).getMethod("main", String[].class).invoke(null, (Object)new String[0]);
        }
    }
}
