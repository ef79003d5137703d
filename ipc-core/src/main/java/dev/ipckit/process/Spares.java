package dev.ipckit.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.ipckit.process.internal.ChildProtocol;
import dev.ipckit.process.internal.LambdaPrelink;
import dev.ipckit.process.internal.SpareRecords;

/**
 * The spare JVMs of {@link StartMethod#FORKSERVER}: children started ahead with {@link ChildMain}, which boot and block
 * reading their stdin for the header and task that make them a particular child (see {@code ChildProtocol}). Blocked
 * in a read, a spare takes no CPU; when this JVM dies, however it dies, its stdin pipe closes and the spare exits
 * (ChildMain's "stdin ended before the task arrived").
 * <p>
 * Spares are kept per <i>spec</i>: the child's command line without the class-data-sharing options (which each spare
 * chose for itself when it started: with one of them dumping the archive on JDK 17, two spares of one spec may
 * differ there). A child takes a spare only of exactly its spec, so never one with other options or another class
 * path. Taking one schedules its replacement a little later ({@link #REFILL_DELAY_MILLIS}), so the new JVM's start
 * does not compete with the child that just took over; a spec with no spare yet gets one the same way.
 * <p>
 * A spare is started with {@link ChildProtocol#SPARE_ARGUMENT} and the classes to preload: those named by
 * {@link #setPreload} and the classes of the tasks children of its spec ran (for a lambda, whose class is hidden, its
 * nest host: the class that wrote it), Python's forkserver preloading {@code __main__}; and the shapes of the
 * serializable lambdas among those tasks and among the functions pools on spares ran, which it links ahead
 * ({@link LambdaPrelink}: the task's deserialization then finds its lambda's class made). The preload is no part of the spec: it only decides what a spare has made before its
 * task comes, which the task would make anyway.
 * <p>
 * Everything here is guarded by {@link #LOCK}; JVMs are started outside it.
 */
final class Spares
{
    /** Spares kept per spec unless told otherwise. */
    static final int DEFAULT_PER_SPEC = 1;
    /** How long after a spare was taken its replacement starts. */
    static final long REFILL_DELAY_MILLIS = 50;
    /** Task classes (and lambda shapes) remembered per spec for the preload, the most recent ones. */
    static final int LEARNED_PER_SPEC = 16;
    /** A Java binary class name: what {@link #setPreload} accepts. */
    private static final Pattern CLASS_NAME =
        Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    /**
     * One spare: the JVM, its class-data-sharing plan, and the pumps copying its output, started with it so that
     * the child that takes it does not start two threads while its task begins (on two cores those thread starts
     * delayed the spare's wake-up and its reading of the task by up to milliseconds).
     */
    record Spare(Process process, ClassDataSharing.Plan plan, OutputPump stdoutPump, OutputPump stderrPump,
        ByteTail stderrTail)
    {
        /** Starts the pumps of a spare JVM just launched. */
        static Spare launched(final Process process, final ClassDataSharing.Plan plan)
        {
            final String threadPrefix = "ipckit-spare-" + process.pid();
            final ByteTail stderrTail = new ByteTail(IpcProcess.STDERR_TAIL_BYTES);
            return new Spare(process, plan,
                OutputPump.start(process.getInputStream(), false, null, threadPrefix + "-stdout"),
                OutputPump.start(process.getErrorStream(), true, stderrTail, threadPrefix + "-stderr"), stderrTail);
        }
    }

    /**
     * What decides a child's command, but for the class-data-sharing options: a spare fits a child of an equal spec.
     * Two specs are equal when their commands are (the command holds all the rest); the hash is computed once, since
     * every take looks a spec up in several maps.
     */
    static final class Spec
    {
        private final Path java;
        private final List<String> flags;
        private final List<String> jvmOptions;
        private final List<String> processOptions;
        private final String classPath;
        private final List<String> command;
        private final int hash;

        private Spec(final Path java, final List<String> flags, final List<String> jvmOptions,
            final List<String> processOptions, final String classPath, final List<String> command)
        {
            this.java = java;
            this.flags = flags;
            this.jvmOptions = jvmOptions;
            this.processOptions = processOptions;
            this.classPath = classPath;
            this.command = command;
            this.hash = command.hashCode();
        }

        /**
         * @param java           the java executable.
         * @param flags          the ipckit flag set for its release.
         * @param jvmOptions     the flags and the process's own options, as the sharing plan keys its archive.
         * @param processOptions the options the command passes on (inherited properties and the process's own).
         * @param classPath      the class path.
         * @return the spec, keyed by the command without sharing options (deserialization settings included).
         */
        static Spec of(final Path java, final List<String> flags, final List<String> jvmOptions,
            final List<String> processOptions, final String classPath)
        {
            return new Spec(java, List.copyOf(flags), List.copyOf(jvmOptions), List.copyOf(processOptions), classPath,
                ChildCommand.build(java, flags, List.of(), processOptions, classPath));
        }

        Path java()
        {
            return java;
        }

        List<String> flags()
        {
            return flags;
        }

        List<String> jvmOptions()
        {
            return jvmOptions;
        }

        List<String> processOptions()
        {
            return processOptions;
        }

        String classPath()
        {
            return classPath;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other == this ||
                other instanceof Spec && ((Spec)other).hash == hash && ((Spec)other).command.equals(command);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }
    }

    private static final Object LOCK = new Object();
    private static final Map<Spec, ArrayDeque<Spare>> IDLE = new HashMap<>();
    /** Spares being started, per spec: counted so a burst of takes does not start more than the target. */
    private static final Map<Spec, Integer> STARTING = new HashMap<>();
    /** The task classes of each spec's children, oldest first. */
    private static final Map<Spec, LinkedHashSet<String>> LEARNED = new HashMap<>();
    /** The lambda shapes among each spec's tasks, oldest first. */
    private static final Map<Spec, LinkedHashSet<String>> LEARNED_LAMBDAS = new HashMap<>();
    private static List<String> preload = List.of();
    private static int perSpec = DEFAULT_PER_SPEC;
    /** How long a spare may stay idle before it is stopped; 0 for as long as its creator lives. */
    private static long idleTimeoutNanos;
    private static ScheduledThreadPoolExecutor refiller;

    private Spares()
    {
    }

    /**
     * Sets how many spares each spec keeps; 0 keeps none (idle ones are stopped; forkserver children then start as
     * spawn does).
     */
    static void setPerSpec(final int count)
    {
        if (count < 0 || count > 64)
        {
            throw new IllegalArgumentException("spares per spec must be from 0 to 64: " + count);
        }
        final List<Spare> stopped = new ArrayList<>();
        synchronized (LOCK)
        {
            perSpec = count;
            for (final ArrayDeque<Spare> idle : IDLE.values())
            {
                while (idle.size() > count)
                {
                    stopped.add(idle.pollLast());
                }
            }
        }
        stopped.forEach(Spares::stop);
        if (!stopped.isEmpty())
        {
            publishLater();
        }
    }

    /**
     * Sets how long a spare may wait unused before it is stopped (its memory given back); zero keeps spares as long as
     * this JVM lives, as Python's forkserver does. A stopped spare is replaced only when a child next takes one (that
     * child then starts by spawn). Counts for the idle spares from now on.
     *
     * @param timeout zero or more.
     */
    static void setIdleTimeout(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("forkserver idle timeout must not be negative: " + timeout);
        }
        final long nanos = IpcProcess.saturatedNanos(timeout);
        synchronized (LOCK)
        {
            idleTimeoutNanos = nanos;
            if (nanos > 0)
            {
                for (final ArrayDeque<Spare> idle : IDLE.values())
                {
                    idle.forEach(Spares::expireLater);
                }
            }
        }
    }

    /** The timeout of {@link #setIdleTimeout}. */
    static Duration idleTimeout()
    {
        synchronized (LOCK)
        {
            return Duration.ofNanos(idleTimeoutNanos);
        }
    }

    /** Stops {@code spare} after the idle timeout if it is idle still; called under {@link #LOCK}. */
    private static void expireLater(final Spare spare)
    {
        refiller().schedule(() -> expire(spare), idleTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static void expire(final Spare spare)
    {
        boolean removed = false;
        synchronized (LOCK)
        {
            for (final ArrayDeque<Spare> idle : IDLE.values())
            {
                // Identity: a spare taken meanwhile is a child now and is not in any deque.
                removed |= idle.removeIf(candidate -> candidate == spare);
            }
        }
        if (removed)
        {
            stop(spare);
            publishLater();
        }
    }

    /**
     * Sets the classes every spare started from now on loads and initializes before its task comes (Python's
     * {@code set_forkserver_preload}).
     *
     * @param classNames binary class names ({@code com.example.Task}, {@code com.example.Outer$Inner}).
     */
    static void setPreload(final List<String> classNames)
    {
        for (final String name : classNames)
        {
            if (name == null || !CLASS_NAME.matcher(name).matches())
            {
                throw new IllegalArgumentException("forkserver preload: not a class name: " + name);
            }
        }
        final List<String> names = List.copyOf(new LinkedHashSet<>(classNames));
        synchronized (LOCK)
        {
            preload = names;
        }
    }

    /** The classes of {@link #setPreload}. */
    static List<String> preload()
    {
        synchronized (LOCK)
        {
            return preload;
        }
    }

    /**
     * Takes a live spare of {@code spec}, and schedules its replacement.
     *
     * @param spec      the child's spec.
     * @param task      the child's task: the spares started from now on preload its class (for a lambda, whose class
     *                  is hidden, the class that wrote it: its nest host) and link it when it is a lambda.
     * @return the spare, or null when there is none (the caller starts the child by spawn).
     */
    static Spare take(final Spec spec, final Object task)
    {
        final Class<?> taskClass = task.getClass();
        final String lambda = LambdaPrelink.shapeOf(task);
        Spare spare = null;
        final List<Spare> dead = new ArrayList<>();
        synchronized (LOCK)
        {
            learn(LEARNED, spec, (taskClass.isHidden() ? taskClass.getNestHost() : taskClass).getName());
            if (lambda != null)
            {
                learn(LEARNED_LAMBDAS, spec, ChildProtocol.LINK_LAMBDA_PREFIX + lambda);
            }
            final ArrayDeque<Spare> idle = IDLE.get(spec);
            while (idle != null && !idle.isEmpty())
            {
                final Spare next = idle.pollFirst();
                if (next.process().isAlive())
                {
                    spare = next;
                    break;
                }
                dead.add(next);
            }
        }
        for (final Spare gone : dead)
        {
            // Killed while idle, say: its plan learns it ended, and a new one replaces it below.
            gone.plan().childExited(-1);
        }
        refill(spec);
        if (spare != null || !dead.isEmpty())
        {
            publishLater();
        }
        return spare;
    }

    /** How many spares are being started now (for tests that must see every spare settle). */
    static int starting()
    {
        synchronized (LOCK)
        {
            int starting = 0;
            for (final int count : STARTING.values())
            {
                starting += count;
            }
            return starting;
        }
    }

    /** The pids of the idle spares, for {@code ipckit ls} and tests. */
    static List<Long> idlePids()
    {
        final List<Long> pids = new ArrayList<>();
        synchronized (LOCK)
        {
            for (final ArrayDeque<Spare> idle : IDLE.values())
            {
                for (final Spare spare : idle)
                {
                    pids.add(spare.process().pid());
                }
            }
        }
        return pids;
    }

    /** Remembers a task class of {@code spec}, as the most recent one. */
    private static void learn(final Map<Spec, LinkedHashSet<String>> learned, final Spec spec, final String name)
    {
        final LinkedHashSet<String> names = learned.computeIfAbsent(spec, key -> new LinkedHashSet<>());
        names.remove(name);
        names.add(name);
        if (names.size() > LEARNED_PER_SPEC)
        {
            names.remove(names.iterator().next());
        }
    }

    /** Schedules starts until {@code spec} has {@link #perSpec} spares, idle or starting. */
    private static void refill(final Spec spec)
    {
        synchronized (LOCK)
        {
            final ArrayDeque<Spare> idle = IDLE.get(spec);
            final int have = (idle == null ? 0 : idle.size()) + STARTING.getOrDefault(spec, 0);
            for (int i = have; i < perSpec; i++)
            {
                STARTING.merge(spec, 1, Integer::sum);
                refiller().schedule(() -> startOne(spec), REFILL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void startOne(final Spec spec)
    {
        Spare spare = null;
        try
        {
            spare = launch(spec);
        }
        catch (final IOException | RuntimeException ex)
        {
            // No spare this time: the next forkserver child starts by spawn and schedules another try.
        }
        synchronized (LOCK)
        {
            STARTING.merge(spec, -1, Integer::sum);
            if (spare != null && perSpec > 0)
            {
                IDLE.computeIfAbsent(spec, key -> new ArrayDeque<>()).addLast(spare);
                if (idleTimeoutNanos > 0)
                {
                    expireLater(spare);
                }
                spare = null;
            }
        }
        if (spare != null)
        {
            stop(spare);
        }
        publishLater();
    }

    /**
     * Writes the idle spares down for {@code ipckit ls} ({@link SpareRecords}), on the refill thread: off the path of
     * a child's start.
     */
    private static void publishLater()
    {
        synchronized (LOCK)
        {
            refiller().execute(() -> SpareRecords.publish(idlePids()));
        }
    }

    /** Starts one JVM for {@code spec}, with the class-data-sharing options it gets now. */
    private static Spare launch(final Spec spec) throws IOException
    {
        final ClassDataSharing.Plan plan =
            ClassDataSharing.planFor(spec.java(), spec.classPath(), spec.jvmOptions());
        final List<String> command = new ArrayList<>(
            ChildCommand.build(spec.java(), spec.flags(), plan.options(), spec.processOptions(), spec.classPath()));
        command.add(ChildProtocol.SPARE_ARGUMENT);
        synchronized (LOCK)
        {
            final LinkedHashSet<String> names = new LinkedHashSet<>(preload);
            names.addAll(LEARNED.getOrDefault(spec, new LinkedHashSet<>()));
            names.addAll(LEARNED_LAMBDAS.getOrDefault(spec, new LinkedHashSet<>()));
            for (final String shape : LambdaPrelink.remembered())
            {
                names.add(ChildProtocol.LINK_LAMBDA_PREFIX + shape);
            }
            command.addAll(names);
        }
        try
        {
            return Spare.launched(new ProcessBuilder(command).start(), plan);
        }
        catch (final IOException | RuntimeException ex)
        {
            plan.childExited(-1);
            throw ex;
        }
    }

    private static void stop(final Spare spare)
    {
        spare.process().destroyForcibly();
        spare.plan().childExited(-1);
    }

    private static ScheduledThreadPoolExecutor refiller()
    {
        if (refiller == null)
        {
            refiller = new ScheduledThreadPoolExecutor(1, runnable ->
            {
                final Thread thread = new Thread(runnable, "ipckit-spares");
                thread.setDaemon(true);
                return thread;
            });
        }
        return refiller;
    }
}
