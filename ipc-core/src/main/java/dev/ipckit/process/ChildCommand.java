package dev.ipckit.process;

import dev.ipckit.platform.Deserialization;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import dev.ipckit.process.internal.ChildMain;

/**
 * The command line of a child JVM: the java executable (this JVM's unless one was chosen), the ipckit flag set for
 * its release, the CDS options, the parent's deserialization settings ({@link Deserialization#childJvmOptions()}),
 * the process's own options (which come later, so they win), the class path and {@link ChildMain}.
 * <p>
 * The class path is, in order of precedence: the process's own ({@link IpcProcess#classPath(String)}), the global one
 * ({@link IpcProcess#setDefaultClassPath(String)} or {@code -Dipckit.child.classpath}), or the one the task's class
 * was loaded from: this JVM's {@code java.class.path}, plus the jars and directories of any {@link URLClassLoader}s
 * between the task's class and the system class loader (so {@code mvn exec:java}, which loads the application in a
 * class loader of its own, works). A task whose class no class path can load (jshell, the source-file launcher)
 * is refused at {@code start()} with a message saying what to do.
 */
final class ChildCommand
{
    /** System property: the class path for every child without one of its own. */
    static final String CLASS_PATH_PROPERTY = "ipckit.child.classpath";
    /** System property: the java executable for every child without one of its own. */
    static final String JAVA_PROPERTY = "ipckit.child.java";

    private static volatile String defaultClassPath;
    private static volatile Path defaultJava;

    /**
     * The class path found from each task class, once per class: finding it looks the class file up in its loader's
     * jars, a few hundred microseconds of every start otherwise. A class that no class path can load is not kept: it
     * throws each time.
     */
    private static final ClassValue<String> FOUND_CLASS_PATHS = new ClassValue<>()
    {
        @Override
        protected String computeValue(final Class<?> taskClass)
        {
            return findClassPath(taskClass);
        }
    };

    private ChildCommand()
    {
    }

    /**
     * The java binary of this JVM.
     *
     * @return {@code <java.home>/bin/java} (or {@code java.exe} where that is the one that exists).
     */
    static Path javaBinary()
    {
        return ThisJava.BINARY;
    }

    /** This JVM's java binary, found once (two file checks on every child's start path otherwise). */
    private static final class ThisJava
    {
        static final Path BINARY = find();

        private static Path find()
        {
            final Path bin = Path.of(System.getProperty("java.home"), "bin");
            final Path java = bin.resolve("java");
            final Path windowsJava = bin.resolve("java.exe");
            return !Files.exists(java) && Files.exists(windowsJava) ? windowsJava : java;
        }
    }

    /**
     * The java executable children get when they choose none.
     *
     * @return the one set by {@link #setDefaultJava}, else {@code -Dipckit.child.java}, else this JVM's.
     */
    static Path defaultJava()
    {
        final Path chosen = defaultJava;
        if (chosen != null)
        {
            return chosen;
        }
        final String property = System.getProperty(JAVA_PROPERTY);
        return property == null || property.isBlank() ? javaBinary() : Path.of(property);
    }

    static void setDefaultJava(final Path java)
    {
        defaultJava = java;
    }

    /**
     * The feature release of a java executable, from its JDK's {@code release} file.
     *
     * @param java the executable.
     * @return its feature release; this JVM's when it is this JVM's executable or has no readable release file.
     */
    static int featureOf(final Path java)
    {
        if (java.equals(javaBinary()))
        {
            return Runtime.version().feature();
        }
        try
        {
            final Path home = java.toRealPath().getParent().getParent();
            for (final String line : Files.readAllLines(home.resolve("release")))
            {
                if (line.startsWith("JAVA_VERSION=\""))
                {
                    final String version = line.substring("JAVA_VERSION=\"".length());
                    int end = 0;
                    while (end < version.length() && Character.isDigit(version.charAt(end)))
                    {
                        end++;
                    }
                    return end == 0 ? Runtime.version().feature() : Integer.parseInt(version.substring(0, end));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // No release file (not a JDK layout): assume this JVM's release.
        }
        return Runtime.version().feature();
    }

    static void setDefaultClassPath(final String classPath)
    {
        defaultClassPath = classPath;
    }

    /**
     * For tests: give children another class path (the same as {@link #setDefaultClassPath}).
     *
     * @param classPath the class path, or null for the one found from the task.
     */
    static void overrideClassPath(final String classPath)
    {
        setDefaultClassPath(classPath);
    }

    /**
     * The class path for a child that runs a task of the given class, unless the process chose its own.
     *
     * @param taskClass the task's class.
     * @return the class path.
     * @throws IllegalStateException when no class path can load the task's class.
     */
    static String classPathFor(final Class<?> taskClass)
    {
        final String chosen = defaultClassPath;
        if (chosen != null)
        {
            return chosen;
        }
        final String property = System.getProperty(CLASS_PATH_PROPERTY);
        if (property != null && !property.isBlank())
        {
            return property;
        }
        return FOUND_CLASS_PATHS.get(taskClass);
    }

    private static String findClassPath(final Class<?> taskClass)
    {
        final ClassLoader taskLoader = taskClass.getClassLoader();
        if (taskLoader != null && taskLoader.getResource(classFileOf(taskClass)) == null)
        {
            // Defined from bytes in memory (jshell's class loader is a URLClassLoader, but its snippets are not in
            // any of its URLs): no class path has it.
            throw unloadable(taskClass, "its class file is in none of its class loader's jars or directories");
        }
        final Deque<String> entries = new ArrayDeque<>();
        for (ClassLoader loader = taskLoader; !isSystemOrAncestor(loader); loader = loader.getParent())
        {
            if (!(loader instanceof URLClassLoader))
            {
                throw unloadable(taskClass, "it was loaded by " + loader + ", which has no class path a child JVM can use");
            }
            final URL[] urls = ((URLClassLoader)loader).getURLs();
            for (int i = urls.length - 1; i >= 0; i--)
            {
                entries.addFirst(fileOf(taskClass, loader, urls[i]));   // parents first, as they delegate
            }
        }
        final String javaClassPath = System.getProperty("java.class.path", "");
        if (!javaClassPath.isBlank())
        {
            entries.addLast(javaClassPath);
        }
        if (entries.isEmpty())
        {
            throw unloadable(taskClass, "this JVM has no java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * The class file a child loads to rebuild a task of this class: the class's own, or for a lambda (a hidden class
     * that a child rebuilds from its serialized form) the class that made it.
     */
    private static String classFileOf(final Class<?> taskClass)
    {
        String name = taskClass.getName();
        final int lambda = name.indexOf("$$Lambda");
        if (lambda > 0)
        {
            name = name.substring(0, lambda);
        }
        return name.replace('.', '/') + ".class";
    }

    private static boolean isSystemOrAncestor(final ClassLoader loader)
    {
        if (loader == null)
        {
            return true;
        }
        for (ClassLoader system = ClassLoader.getSystemClassLoader(); system != null; system = system.getParent())
        {
            if (system == loader)
            {
                return true;
            }
        }
        return false;
    }

    private static String fileOf(final Class<?> taskClass, final ClassLoader loader, final URL url)
    {
        if (!"file".equals(url.getProtocol()))
        {
            throw unloadable(taskClass, "its class loader " + loader + " reads " + url + ", which is not a file");
        }
        try
        {
            return Path.of(url.toURI()).toString();
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            throw unloadable(taskClass, "its class loader " + loader + " reads " + url + ", which is not a file path");
        }
    }

    private static IllegalStateException unloadable(final Class<?> taskClass, final String why)
    {
        return new IllegalStateException(
            "cannot start a child process for a task of class " + taskClass.getName() + ": a child JVM loads the task " +
            "from a class path, and " + why + " (jshell and the source-file launcher `java App.java` keep classes in " +
            "memory). Compile the task's class into a jar or directory and give children that class path with " +
            "IpcProcess.classPath(..), IpcProcess.setDefaultClassPath(..) or -D" + CLASS_PATH_PROPERTY + "=...; it must " +
            "also hold ipc-core and its dependencies");
    }

    static List<String> build(
        final Path java,
        final List<String> flags,
        final List<String> sharingOptions,
        final List<String> processOptions,
        final String classPath)
    {
        final List<String> deserialization = Deserialization.childJvmOptions();
        final List<String> command = new ArrayList<>(
            flags.size() + sharingOptions.size() + deserialization.size() + processOptions.size() + 4);
        command.add(java.toString());
        command.addAll(flags);
        command.addAll(sharingOptions);
        command.addAll(deserialization);
        command.addAll(processOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(ChildMain.class.getName());
        return command;
    }
}
