package dev.ipckit.pool.internal;

import dev.ipckit.platform.internal.SpareWarmup;

import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.List;

/**
 * A spare JVM loads and initializes the classes a pool worker needs between its task and its first result, so that
 * a pool on spares ({@code StartMethod.FORKSERVER}) does not load them on its way to that result (measured in
 * {@code benchmarks/results/2026-12-07-forkserver-handoff.md}). Every spare does it, pool worker or not: some twenty
 * classes, a few milliseconds while it idles. The worker's task class itself is preloaded with the classes of earlier
 * forkserver tasks.
 * <p>
 * By name: most of them are package-private to the pool. {@code WorkerClassesWarmupTest} loads each, so a renamed
 * class fails the build instead of silently leaving the warm-up.
 */
public final class WorkerClassesWarmup implements SpareWarmup
{
    /** The classes a pool worker loads before its first result, about in the order it loads them. */
    static final List<String> CLASSES = List.of(
        "dev.ipckit.sync.WaitStrategy",
        "dev.ipckit.pool.PoolWorker",
        "dev.ipckit.pool.PoolLayout",
        "dev.ipckit.pool.WorkerLoop",
        "dev.ipckit.platform.Deserialization$ClassResolver",
        "dev.ipckit.platform.internal.ClassCache",
        "dev.ipckit.platform.internal.FunctionBytes",
        "dev.ipckit.platform.internal.FunctionBytes$Reader",
        "dev.ipckit.platform.internal.FunctionBytes$Shape",
        "dev.ipckit.platform.internal.RecentByBytes",
        "dev.ipckit.platform.internal.PlainValues",
        "dev.ipckit.platform.internal.PlainValues$Reader",
        "dev.ipckit.pool.WorkerFunctions",
        "dev.ipckit.pool.WorkerLoop$RingTasks",
        "dev.ipckit.pool.WorkerLoop$RingResults",
        "dev.ipckit.pool.WorkerLoop$Inbox",
        "dev.ipckit.pool.WorkerLoop$End",
        "org.agrona.ExpandableArrayBuffer",
        "dev.ipckit.platform.Deserialization$Check",
        "dev.ipckit.platform.internal.LambdaForms",
        "dev.ipckit.platform.internal.LambdaForms$Deserializer");

    /** For {@link java.util.ServiceLoader}. */
    public WorkerClassesWarmup()
    {
    }

    @Override
    public void warmUp() throws ClassNotFoundException
    {
        final ClassLoader loader = WorkerClassesWarmup.class.getClassLoader();
        for (final String name : CLASSES)
        {
            final Class<?> type = Class.forName(name, true, loader);
            if (Serializable.class.isAssignableFrom(type))
            {
                // The worker's own task arrives by Java serialization: its stream descriptor (fields, and the
                // constructor accessor the JDK generates for it) is made once per JVM, here rather than on the way.
                ObjectStreamClass.lookup(type);
            }
        }
    }
}
