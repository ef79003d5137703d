package dev.ipckit.process;

import dev.ipckit.platform.Deserialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: {@code <java.home>/bin/java}, the ipckit flag set, the CDS options, the parent's
 * deserialization settings ({@link Deserialization#childJvmOptions()}), the process's own options (which come later,
 * so they win), the parent's class path and {@link ChildMain}.
 */
final class ChildCommand
{
    private static volatile String classPathOverride;

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
        final Path bin = Path.of(System.getProperty("java.home"), "bin");
        final Path java = bin.resolve("java");
        final Path windowsJava = bin.resolve("java.exe");
        return !Files.exists(java) && Files.exists(windowsJava) ? windowsJava : java;
    }

    /**
     * The class path children get: the parent's {@code java.class.path}.
     *
     * @return the class path.
     * @throws IllegalStateException when this JVM has no class path (children could not load the task).
     */
    static String classPath()
    {
        final String override = classPathOverride;
        if (override != null)
        {
            return override;
        }
        final String classPath = System.getProperty("java.class.path", "");
        if (classPath.isBlank())
        {
            throw new IllegalStateException(
                "cannot start a child process: this JVM has no java.class.path for the child to load the task from");
        }
        return classPath;
    }

    /**
     * For tests: give children another class path.
     *
     * @param classPath the class path, or null for the parent's.
     */
    static void overrideClassPath(final String classPath)
    {
        classPathOverride = classPath;
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
