package dev.ipckit.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tasks for {@link ClassDataSharingTest}, kept apart from the test class: the children of that test have only ipckit
 * and this class on their class path (a jar, which class-data sharing needs), not JUnit.
 */
final class CdsTasks
{
    private CdsTasks()
    {
    }

    static SerializableCallable<String> greeting(final String who)
    {
        return () -> "hello " + who + " from " + ProcessInfo.currentName();
    }

    /** Whether the child mapped an archive from the ipckit CDS cache directory. */
    static SerializableCallable<Boolean> mapsArchive(final String cacheDirectory)
    {
        return () -> mapped(cacheDirectory);
    }

    private static boolean mapped(final String cacheDirectory) throws IOException
    {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .anyMatch(line -> line.contains(cacheDirectory) && (line.endsWith(".jsa") || line.endsWith(".aot")));
    }
}
