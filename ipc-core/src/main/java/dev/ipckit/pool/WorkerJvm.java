package dev.ipckit.pool;

import java.nio.file.Path;
import java.util.List;

/**
 * How a pool's worker JVMs are started: their extra JVM options, class path and java executable (null: the
 * defaults of {@link dev.ipckit.process.IpcProcess}).
 *
 * @param options   extra JVM options.
 * @param classPath the class path, or null.
 * @param java      the java executable, or null.
 */
record WorkerJvm(List<String> options, String classPath, Path java)
{
    static final WorkerJvm DEFAULT = new WorkerJvm(List.of(), null, null);

    WorkerJvm withOptions(final List<String> options)
    {
        return new WorkerJvm(options, classPath, java);
    }

    WorkerJvm withClassPath(final String classPath)
    {
        return new WorkerJvm(options, classPath, java);
    }

    WorkerJvm withJava(final Path java)
    {
        return new WorkerJvm(options, classPath, java);
    }
}
