package dev.ipckit.process.internal;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.process.SerializableCallable;

/**
 * Runs, in a daemon thread while {@link ChildMain} waits for its task, the first use of what running almost any task
 * needs and a fresh JVM does slowly: a serializable lambda's round trip through serialization (the
 * {@code java.lang.invoke} bootstrap, {@code SerializedLambda}, object streams, the deserialization filter) and a
 * string concatenation's bootstrap. A spare JVM ({@code StartMethod.FORKSERVER}) does it all before its task comes,
 * which is most of what the task's start would cost; a spawned child does it beside reading its task, where the main
 * thread, needing the same classes, waits for their initialization instead of doing it twice. Whatever fails here is
 * ignored: the task then pays for it as it would have.
 */
final class ChildWarmup implements Runnable
{
    /** Read by nobody: keeps the work from being optimized away. */
    static volatile Object sink;

    private ChildWarmup()
    {
    }

    /** Starts the warm-up thread. */
    static void start()
    {
        final Thread thread = new Thread(new ChildWarmup(), "ipckit-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        try
        {
            final long seed = System.nanoTime();
            final SerializableCallable<Long> sample = () -> seed + 1;
            final Object copy = Deserialization.fromBytes(Serialization.toBytes(sample));
            sink = ((SerializableCallable<?>)copy).call() + " " + seed;
        }
        catch (final Exception | LinkageError ex)
        {
            // The task pays for whatever this did not load.
        }
    }
}
