package dev.ipckit.pool;

import dev.ipckit.process.StartMethod;

import java.nio.file.Path;
import java.util.List;

/**
 * How a pool's worker JVMs are started: their extra JVM options, class path, java executable and start method (null:
 * the defaults of {@link dev.ipckit.process.IpcProcess} when the worker starts).
 *
 * @param options     extra JVM options.
 * @param classPath   the class path, or null.
 * @param java        the java executable, or null.
 * @param startMethod the start method, or null.
 */
record WorkerJvm(List<String> options, String classPath, Path java, StartMethod startMethod)
{
    static final WorkerJvm DEFAULT = new WorkerJvm(List.of(), null, null, null);

    WorkerJvm withOptions(final List<String> options)
    {
        return new WorkerJvm(options, classPath, java, startMethod);
    }

    WorkerJvm withClassPath(final String classPath)
    {
        return new WorkerJvm(options, classPath, java, startMethod);
    }

    WorkerJvm withJava(final Path java)
    {
        return new WorkerJvm(options, classPath, java, startMethod);
    }

    WorkerJvm withStartMethod(final StartMethod startMethod)
    {
        return new WorkerJvm(options, classPath, java, startMethod);
    }
}
