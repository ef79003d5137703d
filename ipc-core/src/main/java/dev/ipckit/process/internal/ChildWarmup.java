package dev.ipckit.process.internal;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.platform.internal.SpareWarmup;
import dev.ipckit.process.SerializableCallable;

import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Runs, in a daemon thread while {@link ChildMain} waits for its task, the first use of what running almost any task
 * needs and a fresh JVM does slowly: a serializable lambda's round trip through serialization (the
 * {@code java.lang.invoke} bootstrap, {@code SerializedLambda}, object streams, the deserialization filter) and a
 * string concatenation's bootstrap. A spawned child does only that, beside reading its task, where the main thread,
 * needing the same classes, waits for their initialization instead of doing it twice. Whatever fails here is ignored:
 * the task then pays for it as it would have.
 * <p>
 * A spare JVM ({@code StartMethod.FORKSERVER}) does more, all before its task comes: the {@link SpareWarmup} steps of
 * the layers above (a first region, say), then it loads and initializes the preload classes its creator named (the
 * classes of its earlier tasks, and those of {@code IpcProcess.setForkserverPreload}), as Python's forkserver imports
 * its preload modules, and links the lambdas of its earlier tasks ({@link LambdaPrelink}). A spare's task starts only once this is done ({@link #awaitSpareWarmup}), so a preload's static
 * initializer never runs beside it. A preload class that is missing is skipped; one whose static initializer throws is
 * left in the erroneous state, as the task's own first use would have left it, and the exception is printed on the
 * stderr the child will have.
 */
final class ChildWarmup implements Runnable
{
    /** The longest a spare's task waits for the spare's warm-up. */
    static final long MAX_SPARE_WARMUP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Read by nobody: keeps the work from being optimized away. */
    static volatile Object sink;

    private static volatile Thread spareWarmup;

    private final boolean spare;
    private final List<String> preload;

    private ChildWarmup(final boolean spare, final List<String> preload)
    {
        this.spare = spare;
        this.preload = preload;
    }

    /**
     * Starts the warm-up thread.
     *
     * @param spare   whether this JVM is a spare, which also runs the {@link SpareWarmup} steps and the preload.
     * @param preload the classes a spare initializes.
     */
    static void start(final boolean spare, final List<String> preload)
    {
        final Thread thread = new Thread(new ChildWarmup(spare, preload), "ipckit-warmup");
        thread.setDaemon(true);
        if (spare)
        {
            spareWarmup = thread;
        }
        thread.start();
    }

    /**
     * Called by the main thread once the task's header came: in a spare, waits until the warm-up is done, so the task
     * runs in a JVM in one known state (and never beside a preload's static initializer), but at most
     * {@link #MAX_SPARE_WARMUP_WAIT_NANOS}: a preload whose static initializer blocks delays the task, never stops it
     * (the task then runs beside it, and waits for that class only if it uses it, as the JVM makes every thread wait
     * for a class being initialized).
     */
    static void awaitSpareWarmup()
    {
        final Thread thread = spareWarmup;
        if (thread == null)
        {
            return;
        }
        boolean interrupted = false;
        final long deadline = System.nanoTime() + MAX_SPARE_WARMUP_WAIT_NANOS;
        long left;
        while (thread.isAlive() && (left = deadline - System.nanoTime()) > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
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
        if (spare)
        {
            initializeChildPath();
            runSpareWarmups();
            preloadClasses();
            linkLambdas();
        }
    }

    /** Loads and initializes what the main thread needs between the task's header and the task itself. */
    private static void initializeChildPath()
    {
        final ClassLoader loader = ChildWarmup.class.getClassLoader();
        for (final Class<?> type : new Class<?>[]{ChildMain.ParentWatchdog.class, ExitDuties.class,
            ExitDuties.Stage.class, CurrentProcess.class, ResultCodec.class, ClosedByInterruptException.class})
        {
            try
            {
                Class.forName(type.getName(), true, loader);
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                // The child initializes it itself.
            }
        }
    }

    private static void runSpareWarmups()
    {
        try
        {
            for (final SpareWarmup step : ServiceLoader.load(SpareWarmup.class, ChildWarmup.class.getClassLoader()))
            {
                try
                {
                    step.warmUp();
                }
                catch (final Exception | LinkageError ex)
                {
                    // The child pays for that first use itself.
                }
            }
        }
        catch (final java.util.ServiceConfigurationError ex)
        {
            // A broken provider file on the class path: no warm-up steps.
        }
    }

    private void linkLambdas()
    {
        for (final String argument : preload)
        {
            if (argument.startsWith(ChildProtocol.LINK_LAMBDA_PREFIX))
            {
                LambdaPrelink.link(argument.substring(ChildProtocol.LINK_LAMBDA_PREFIX.length()));
            }
        }
    }

    private void preloadClasses()
    {
        final ClassLoader loader = ClassLoader.getSystemClassLoader();
        for (final String name : preload)
        {
            if (name.startsWith(ChildProtocol.LINK_LAMBDA_PREFIX))
            {
                continue;
            }
            try
            {
                Class.forName(name, true, loader);
            }
            catch (final ClassNotFoundException | NoClassDefFoundError ex)
            {
                // Not on this class path (yet): the task, if it needs it, reports it as it would have.
            }
            catch (final ExceptionInInitializerError ex)
            {
                System.err.println("ipckit: forkserver preload of class " + name + " failed in its static initializer:");
                ex.printStackTrace();
            }
            catch (final LinkageError ex)
            {
                // Loaded but not linkable here: as for a missing class.
            }
        }
    }
}
