package dev.ipckit.process;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.DeserializationRejectedException;
import dev.ipckit.platform.internal.Doorbells;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.JvmFlags;
import dev.ipckit.wait.Waitable;
import dev.ipckit.wait.internal.RingingWaitable;
import org.agrona.collections.IntArrayList;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.ipckit.process.internal.ChildMain;
import dev.ipckit.process.internal.ChildProtocol;
import dev.ipckit.process.internal.Children;
import dev.ipckit.process.internal.CurrentProcess;
import dev.ipckit.process.internal.ResultCodec;
import dev.ipckit.process.internal.Outcome;

/**
 * A task run in a child JVM: Python's {@code multiprocessing.Process}.
 * <pre>{@code
 * IpcProcess<Integer> worker = IpcProcess.of(() -> 6 * 7).name("worker").jvmOptions("-Xmx64m").start();
 * worker.join();
 * int answer = worker.result();
 * }</pre>
 * The child is {@code <java.home>/bin/java} with the ipckit flag set ({@link JvmFlags#forCurrentRuntime()}), this
 * JVM's class path and {@link ChildMain}; the task is serialized here and deserialized there, so a lambda must
 * capture only serializable values. The child's stdout and stderr are copied to this JVM's {@code System.out} and
 * {@code System.err}.
 * <p>
 * Exit codes follow Python: 0 when the task returned, 1 when it threw, N for {@code System.exit(N)} in the task and
 * -N when the child died by signal N. Java reports a death by signal N as 128 + N, so a task that calls
 * {@code System.exit} with 129..192 is reported as the shell reports it: as a signal, -1..-64.
 * <p>
 * Lifetime: like {@code java Main}, a child exits when its task has returned (or thrown) and every non-daemon thread
 * the task started has ended; the exit code is the task's, and {@link #join()} returns after those threads. A child
 * exits within about a second after this JVM dies, however it dies (it watches its stdin pipe), threads or not.
 * When this JVM exits, daemon children are terminated (SIGTERM, then SIGKILL after a second) and non-daemon children
 * are waited for. A child that is itself terminated while its task runs terminates all its own children.
 * <p>
 * Configure before {@link #start()}; the query methods are thread safe. {@link #close()} releases what the process
 * object holds once the child has exited (Python's {@code Process.close()}); most methods fail afterwards.
 * <p>
 * {@code of} is overloaded for runnables and callables: a lambda or method reference that fits both (such as an
 * overloaded method like {@code Instant::now}) may be ambiguous; write a lambda, {@code () -> Instant.now()}, or cast
 * to {@link SerializableCallable}.
 *
 * @param <V> the type of the task's result ({@link Void} for a runnable).
 */
public final class IpcProcess<V>
{
    // Why this class is long (about 950 lines): it is Python's Process API (30 public members: the options before
    // start, start, join, terminate, kill, interrupt, close, sentinel, exit code and result, each with its
    // javadoc). The machinery lives apart: process.internal (ChildMain, Children, ChildProtocol, ResultCodec),
    // ChildCommand, OutputPump, Signals, ClassDataSharing.

    /** Last bytes of the child's stderr kept for {@link #stderrTail()}. */
    public static final int STDERR_TAIL_BYTES = 64 * 1024;

    /** How long {@link #join()} waits, after the child's exit, for the output it wrote to be copied. */
    private static final long OUTPUT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final AtomicInteger NAME_COUNTER = new AtomicInteger();
    private static final AtomicLong RESULT_COUNTER = new AtomicLong();
    private static volatile StartMethod defaultStartMethod = StartMethod.SPAWN;

    private final Object task;
    private final long parentPid = ProcessHandle.current().pid();
    private volatile ByteTail stderrTail;
    /** Guards the one-time handling of the child's exit, which the exit callback and join may both start. */
    private final Object exitLock = new Object();
    private boolean exitHandled;

    private volatile String name = "IpcProcess-" + NAME_COUNTER.incrementAndGet();
    /** As Python: a process started by a daemon child is a daemon unless told otherwise. */
    private volatile boolean daemon = CurrentProcess.isDaemon();
    private volatile List<String> jvmOptions = List.of();
    private volatile String classPath;
    private volatile Path javaExecutable;
    private volatile StartMethod startMethod = defaultStartMethod;
    /** Whether start() handed the task to a spare JVM (forkserver) rather than starting one. */
    private volatile boolean startedOnSpare;

    private volatile Process process;
    private volatile boolean closed;
    /** The child's stdin: never written after the task, and closed only by close() after the child exited. */
    private OutputStream stdin;
    private OutputPump stdoutPump;
    private OutputPump stderrPump;
    private Path resultFile;
    private ClassDataSharing.Plan sharingPlan = ClassDataSharing.Plan.NONE;

    private boolean collected;
    private Outcome outcome;
    private IOException outcomeError;
    private RemoteException remoteFailure;
    private boolean valueRead;
    private V value;

    private IpcProcess(final Object task)
    {
        this.task = Objects.requireNonNull(task, "task");
    }

    /**
     * A process that runs a runnable.
     *
     * @param task what the child runs; must be serializable with everything it captures.
     * @return the process, not yet started.
     */
    public static IpcProcess<Void> of(final SerializableRunnable task)
    {
        return new IpcProcess<>(task);
    }

    /**
     * A process that runs a callable and sends its result back.
     *
     * @param task what the child runs; it and its result must be serializable.
     * @param <V>  the result type.
     * @return the process, not yet started.
     */
    public static <V> IpcProcess<V> of(final SerializableCallable<V> task)
    {
        return new IpcProcess<>(task);
    }

    /**
     * Switches the class-data-sharing archive for children on or off (default: on; {@code -Dipckit.cds=false} turns
     * it off). With it, the first child dumps the classes it loaded into an archive (a few MB in
     * {@code <java.io.tmpdir>/ipckit-cds-<user>/}, kept across runs) that later children map, which cuts their start
     * time, pool workers' included; that first child's exit takes longer by the dump. It needs a class path of jars
     * only; otherwise children simply run without it.
     *
     * @param enable true to use the archive.
     */
    public static void useClassDataSharing(final boolean enable)
    {
        ClassDataSharing.enable(enable);
    }

    /**
     * Whether children use the class-data-sharing archive.
     *
     * @return true unless {@link #useClassDataSharing(boolean)} or {@code -Dipckit.cds=false} switched it off.
     */
    public static boolean usesClassDataSharing()
    {
        return ClassDataSharing.enabled();
    }

    /**
     * Sets the name, which the child sees as {@link ProcessInfo#currentName()}; default {@code IpcProcess-N}.
     *
     * @param name the name.
     * @return this.
     */
    public synchronized IpcProcess<V> name(final String name)
    {
        requireNotStarted("name");
        Objects.requireNonNull(name, "name");
        if (name.length() > 1024)
        {
            throw new IllegalArgumentException("a process name must be at most 1024 characters, not " + name.length());
        }
        this.name = name;
        return this;
    }

    /**
     * Makes the child a daemon: terminated, not waited for, when this JVM exits. Default: false in the main process,
     * and in a child whether that child is a daemon (as Python's {@code daemon} is inherited from the creator).
     *
     * @param daemon whether the child is a daemon.
     * @return this.
     */
    public synchronized IpcProcess<V> daemon(final boolean daemon)
    {
        requireNotStarted("daemon");
        this.daemon = daemon;
        return this;
    }

    /**
     * Sets extra JVM options for the child, such as {@code -Xmx64m}; they follow the ipckit flag set, so they can
     * override it. Replaces options set before.
     *
     * @param options the options.
     * @return this.
     */
    public synchronized IpcProcess<V> jvmOptions(final String... options)
    {
        requireNotStarted("jvmOptions");
        this.jvmOptions = List.of(options);
        return this;
    }

    /**
     * Sets the class path of the child JVM, which must hold the task's classes, ipc-core and its dependencies.
     * Without it the child gets the global one ({@link #setDefaultClassPath}), else the one the task's class was
     * loaded from (see the class comment).
     *
     * @param classPath the class path, entries separated by {@link java.io.File#pathSeparator}; null for the default.
     * @return this.
     */
    public synchronized IpcProcess<V> classPath(final String classPath)
    {
        requireNotStarted("classPath");
        if (classPath != null && classPath.isBlank())
        {
            throw new IllegalArgumentException("a child's class path must not be blank");
        }
        this.classPath = classPath;
        return this;
    }

    /**
     * Sets the java executable that starts the child (Python's {@code set_executable}, per process). The child gets
     * the ipckit flags for that JDK's release (read from its {@code release} file) and no class-data-sharing archive.
     *
     * @param java the executable, e.g. {@code /usr/lib/jvm/jdk-25/bin/java}; null for the default.
     * @return this.
     */
    public synchronized IpcProcess<V> javaExecutable(final Path java)
    {
        requireNotStarted("javaExecutable");
        if (java != null && !Files.isExecutable(java))
        {
            throw new IllegalArgumentException("java executable " + java + " does not exist or is not executable");
        }
        this.javaExecutable = java;
        return this;
    }

    /**
     * Chooses how the child JVM is started (Python's start methods): a fresh JVM ({@link StartMethod#SPAWN}) or a
     * spare one started ahead ({@link StartMethod#FORKSERVER}). Default: {@link #defaultStartMethod()}.
     *
     * @param method the start method.
     * @return this.
     */
    public synchronized IpcProcess<V> startMethod(final StartMethod method)
    {
        requireNotStarted("startMethod");
        this.startMethod = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * @return how this child is (or will be) started.
     */
    public StartMethod startMethod()
    {
        return startMethod;
    }

    /**
     * Whether {@code start()} handed the task to a spare JVM (with {@link StartMethod#FORKSERVER}, when a spare of
     * this child's executable, class path and options was ready); false for a child started by spawn.
     *
     * @return whether the child runs in a spare.
     */
    public boolean startedOnSpare()
    {
        return startedOnSpare;
    }

    /**
     * Sets the start method of every process created later without one of its own, pool workers included: Python's
     * {@code set_start_method}. The default is {@link StartMethod#SPAWN}.
     *
     * @param method the start method.
     */
    public static void setDefaultStartMethod(final StartMethod method)
    {
        defaultStartMethod = Objects.requireNonNull(method, "method");
    }

    /**
     * @return the start method of processes created now without one of their own.
     */
    public static StartMethod defaultStartMethod()
    {
        return defaultStartMethod;
    }

    /**
     * Sets how many spare JVMs {@link StartMethod#FORKSERVER} keeps ready for each combination of java executable,
     * class path and JVM options that children used (default {@value Spares#DEFAULT_PER_SPEC}); 0 stops the idle
     * ones, and forkserver children then start as spawn does. Each idle spare is a booted JVM blocked in a read: no
     * CPU, and its memory (see {@code docs/processes.md}).
     *
     * @param count from 0 to 64.
     */
    public static void setForkserverSpares(final int count)
    {
        Spares.setPerSpec(count);
    }

    /**
     * Sets how long a spare JVM may wait unused before it is stopped and its memory given back; zero (the default)
     * keeps spares as long as this JVM lives, as Python's forkserver does. A stopped spare is replaced when a
     * forkserver child next needs one (that child then starts by spawn). Counts for the spares idle from now on.
     *
     * @param timeout zero or more.
     * @throws IllegalArgumentException when negative.
     */
    public static void setForkserverIdleTimeout(final Duration timeout)
    {
        Spares.setIdleTimeout(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * @return the timeout of {@link #setForkserverIdleTimeout}; zero for none.
     */
    public static Duration forkserverIdleTimeout()
    {
        return Spares.idleTimeout();
    }

    /**
     * Sets classes that every spare JVM started from now on loads and initializes while it waits for a task (Python's
     * {@code set_forkserver_preload}): classes the tasks will need whose first use is slow. Spares also preload the
     * classes of the tasks forkserver children ran before (for a lambda, the class that wrote it), as Python's
     * forkserver preloads {@code __main__}. A class that is missing is skipped; one whose static initializer throws
     * stays unusable in that child, as its first use there would have left it.
     *
     * @param classNames binary class names; none to preload only the tasks' classes.
     * @throws IllegalArgumentException when a name is not a class name.
     */
    public static void setForkserverPreload(final String... classNames)
    {
        Spares.setPreload(Arrays.asList(classNames));
    }

    /**
     * @return the classes of {@link #setForkserverPreload}.
     */
    public static List<String> forkserverPreload()
    {
        return Spares.preload();
    }

    /**
     * @return the pids of the spare JVMs ready now, for every combination of options.
     */
    public static List<Long> forkserverSparePids()
    {
        return Spares.idlePids();
    }

    /**
     * Sets the class path of every child started later without one of its own ({@code -Dipckit.child.classpath}
     * does the same), pool workers included.
     *
     * @param classPath the class path, or null to go back to the one found from each task.
     */
    public static void setDefaultClassPath(final String classPath)
    {
        if (classPath != null && classPath.isBlank())
        {
            throw new IllegalArgumentException("a child's class path must not be blank");
        }
        ChildCommand.setDefaultClassPath(classPath);
    }

    /**
     * Sets the java executable of every child started later without one of its own (Python's
     * {@code multiprocessing.set_executable}; {@code -Dipckit.child.java} does the same), pool workers included.
     *
     * @param java the executable, or null to go back to this JVM's.
     */
    public static void setDefaultJavaExecutable(final Path java)
    {
        if (java != null && !Files.isExecutable(java))
        {
            throw new IllegalArgumentException("java executable " + java + " does not exist or is not executable");
        }
        ChildCommand.setDefaultJava(java);
    }

    /**
     * Serializes the task and starts the child JVM.
     *
     * @return this.
     * @throws IllegalArgumentException when the task cannot be serialized (it captures something not serializable).
     * @throws IllegalStateException    when it was already started.
     * @throws UncheckedIOException     when the child JVM cannot be launched.
     */
    public synchronized IpcProcess<V> start()
    {
        requireOpen("start");
        if (process != null)
        {
            throw new IllegalStateException(
                "IpcProcess '" + name + "' was already started (pid " + process.pid() + "); a process starts once only");
        }
        final byte[] taskBytes = serializeTask();
        final Path java = javaExecutable != null ? javaExecutable : ChildCommand.defaultJava();
        final String classPath = this.classPath != null ? this.classPath : ChildCommand.classPathFor(task.getClass());
        final List<String> flags = JvmFlags.forFeature(ChildCommand.featureOf(java));
        final List<String> allOptions = new ArrayList<>(flags);
        allOptions.addAll(jvmOptions);
        final List<String> processOptions = inheritedOptions();
        // Forkserver: a spare of exactly this executable, class path and options, if one is ready.
        final Spares.Spare spare = startMethod == StartMethod.FORKSERVER ?
            Spares.take(Spares.Spec.of(java, flags, allOptions, processOptions, classPath), task) : null;
        final Path file = Children.resultDirectory().resolve("child-" + RESULT_COUNTER.incrementAndGet() + ".result");

        Children.add(this);
        final ClassDataSharing.Plan plan;
        final Process started;
        if (spare != null)
        {
            plan = spare.plan();
            started = spare.process();
            startedOnSpare = true;
        }
        else
        {
            plan = ClassDataSharing.planFor(java, classPath, allOptions);
            final List<String> command = ChildCommand.build(java, flags, plan.options(), processOptions, classPath);
            try
            {
                started = new ProcessBuilder(command).start();
            }
            catch (final IOException | RuntimeException ex)
            {
                Children.remove(this);
                plan.childExited(-1);
                throw new UncheckedIOException("cannot start child process '" + name + "' with " + java + ": " + ex,
                    ex instanceof IOException ? (IOException)ex : new IOException(ex));
            }
        }
        resultFile = file;
        sharingPlan = plan;
        stdin = started.getOutputStream();
        if (spare != null)
        {
            // A spare's output has been pumped since it started: its pumps, and what it wrote while it waited (a
            // preload's failure), become this child's.
            stdoutPump = spare.stdoutPump();
            stderrPump = spare.stderrPump();
            stderrTail = spare.stderrTail();
            writeHeader(file, taskBytes);
            final String threadPrefix = "ipckit-" + name + "-" + started.pid();
            stdoutPump.rename(threadPrefix + "-stdout");
            stderrPump.rename(threadPrefix + "-stderr");
        }
        else
        {
            // A booting JVM reads its task only once up and may write to stderr before (warnings): pumps first, so
            // a header larger than the pipe's buffer cannot wait on a child blocked on a full stderr.
            startOutputPumps(started);
            writeHeader(file, taskBytes);
        }
        process = started; // after the pumps: a join on another thread waits for their output
        started.onExit().whenComplete((exited, error) -> exited());
        return this;
    }

    private void writeHeader(final Path file, final byte[] taskBytes)
    {
        try
        {
            ChildProtocol.writeHeader(stdin, name, daemon, CurrentProcess.name(), CurrentProcess.authkey(),
                file.toString(), taskBytes);
        }
        catch (final IOException ex)
        {
            // The child died before reading its task (a bad JVM option, say); its exit code and stderr tell why.
        }
    }

    private void startOutputPumps(final Process started)
    {
        final String threadPrefix = "ipckit-" + name + "-" + started.pid();
        stderrTail = new ByteTail(STDERR_TAIL_BYTES);
        stdoutPump = OutputPump.start(started.getInputStream(), false, null, threadPrefix + "-stdout");
        stderrPump = OutputPump.start(started.getErrorStream(), true, stderrTail, threadPrefix + "-stderr");
    }

    /**
     * Waits until the child has exited and its output has been copied.
     *
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when it was not started.
     */
    public void join() throws InterruptedException
    {
        final Process started = requireStarted("join");
        started.waitFor();
        awaitOutput(OUTPUT_GRACE_NANOS);
        exited();
    }

    /**
     * Waits at most the given time until the child has exited.
     *
     * @param timeout how long to wait; zero or less does not wait.
     * @param unit    the unit of the timeout.
     * @return true when the child has exited.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when it was not started.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final Process started = requireStarted("join");
        final long budget = timeout <= 0 ? 0 : unit.toNanos(timeout);
        final long begin = System.nanoTime();
        if (!started.waitFor(budget, TimeUnit.NANOSECONDS))
        {
            return false;
        }
        awaitOutput(Math.min(OUTPUT_GRACE_NANOS, budget - (System.nanoTime() - begin)));
        exited();
        return true;
    }

    /**
     * Waits at most the given time until the child has exited.
     *
     * @param timeout how long to wait; zero or negative does not wait.
     * @return true when the child has exited.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when it was not started.
     */
    public boolean join(final Duration timeout) throws InterruptedException
    {
        return join(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /** The duration in nanoseconds, or {@link Long#MIN_VALUE}/{@link Long#MAX_VALUE} beyond what a long holds. */
    static long saturatedNanos(final Duration timeout)
    {
        try
        {
            return timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Whether the child runs: started and not yet exited.
     *
     * @return true while the child runs; false before start and after exit.
     */
    public boolean isAlive()
    {
        requireOpen("ask whether it is alive");
        final Process started = process;
        if (started == null)
        {
            return false;
        }
        if (started.isAlive())
        {
            return true;
        }
        exited();
        return false;
    }

    /**
     * A future completed once the child has exited and its exit is handled (as {@link #isAlive()} would handle it),
     * as {@link Process#onExit()} is: its callbacks run in a JDK thread and must not block. Asked after the exit, it
     * is complete already.
     *
     * @return the future, completed with this process.
     * @throws IllegalStateException when it was not started, or was closed.
     */
    public CompletableFuture<IpcProcess<V>> onExit()
    {
        final Process started = requireStarted("wait for the exit of");
        if (!started.isAlive())
        {
            exited();
            return CompletableFuture.completedFuture(this);
        }
        return started.onExit().thenApply(exitedProcess ->
        {
            exited();
            return this;
        });
    }

    /**
     * A handle that is ready once the child has ended, for {@link dev.ipckit.wait.Waiting#any} (Python's
     * {@code Process.sentinel}): wait for several children, and pipes and queues, in one call.
     *
     * @return the sentinel.
     * @throws IllegalStateException when it was not started, or was closed.
     */
    public Waitable sentinel()
    {
        final Process started = requireStarted("get the sentinel of");
        return new Sentinel(started.toHandle(), true, "IpcProcess '" + name + "' (pid " + started.pid() + ")");
    }

    /**
     * The child's process id.
     *
     * @return the pid.
     * @throws IllegalStateException when it was not started.
     */
    public long pid()
    {
        return requireStarted("pid").pid();
    }

    /**
     * The process name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Whether the child is a daemon.
     *
     * @return true for a daemon.
     */
    public boolean isDaemon()
    {
        return daemon;
    }

    /**
     * The exit code, Python style: 0 returned, 1 threw, N {@code System.exit(N)}, -N killed by signal N.
     *
     * @return the exit code, or empty before start and while the child runs.
     */
    public OptionalInt exitCode()
    {
        requireOpen("read the exit code");
        final Process started = process;
        if (started == null || started.isAlive())
        {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ExitCodes.fromExitValue(started.exitValue()));
    }

    /**
     * Asks the child to stop: SIGTERM (its shutdown hooks run, and its exit code is -15). Does nothing when it has
     * exited.
     *
     * @throws IllegalStateException when it was not started.
     */
    public void terminate()
    {
        // Through the ProcessHandle: Process.destroy() would also close the child's stdin, and the child would halt
        // at once, with exit code 1, as if this JVM had died; it would also cut the output the child writes last.
        requireStarted("terminate").toHandle().destroy();
    }

    /**
     * Stops the child at once: SIGKILL (exit code -9). Does nothing when it has exited.
     *
     * @throws IllegalStateException when it was not started.
     */
    public void kill()
    {
        requireStarted("kill").toHandle().destroyForcibly();
    }

    /**
     * Interrupts the child as Ctrl-C would: SIGINT (Python 3.14's {@code interrupt()}). The child JVM handles it
     * as {@code java Main} does: its shutdown hooks run (ipckit's included: its own children are stopped, its queues
     * and regions released) and it exits with code -2, unless the task ends first or a hook halts it. Python's child
     * raises {@code KeyboardInterrupt} instead and exits with 1 when the task does not catch it; a Java task that
     * wants to react to the interrupt registers a shutdown hook. Does nothing when the child has exited.
     *
     * @throws IllegalStateException when it was not started, or was closed, or the child ignores SIGINT: it inherits
     *                               an ignored SIGINT from this JVM, as a shell script's background jobs have it.
     * @throws UncheckedIOException  when the signal cannot be sent (no {@code kill} command).
     */
    public void interrupt()
    {
        final Process started = requireStarted("interrupt");
        if (!started.isAlive())
        {
            return;
        }
        if (Signals.ignoresInterrupt(started.pid()))
        {
            throw new IllegalStateException("cannot interrupt IpcProcess '" + name + "' (pid " + started.pid() +
                "): it ignores SIGINT, which a child inherits when its parent ignores it (this JVM was started " +
                "with SIGINT ignored, as a shell script's background job is); terminate() stops it");
        }
        Signals.interrupt(started.pid());
    }

    /**
     * Releases what this object holds for the child (the pipe to its stdin, its result file, the result read from
     * it), as Python's {@code Process.close()}. Afterwards only {@link #name()}, {@link #isDaemon()},
     * {@link #stderrTail()} and {@link #toString()} work; every other method throws {@link IllegalStateException}.
     * Closing again does nothing; a process never started can be closed, and then never starts.
     *
     * @throws IllegalStateException when the child is still running.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        final Process started = process;
        if (started != null)
        {
            if (started.isAlive())
            {
                throw new IllegalStateException("cannot close IpcProcess '" + name + "' (pid " + started.pid() +
                    "): it is still running; join, terminate or kill it first");
            }
            exited();
            if (!collected)
            {
                collected = true;
                deleteQuietly(resultFile);
                deleteQuietly(Path.of(resultFile + ".tmp"));
            }
            try
            {
                stdin.close();
            }
            catch (final IOException ignore)
            {
                // The child has exited: nothing reads the pipe any more.
            }
        }
        outcome = null;
        value = null;
        remoteFailure = null;
        closed = true;
    }

    /**
     * The value the callable returned, deserialized; null for a runnable.
     *
     * @return the result.
     * @throws RemoteException       when the task threw (exit code 1).
     * @throws IllegalStateException when it was not started, has not finished, exited without a result (killed, or
     *                               {@code System.exit} in the task) or the result cannot be deserialized here.
     */
    public V result()
    {
        final Process started = requireStarted("result");
        if (started.isAlive())
        {
            throw new IllegalStateException(
                "IpcProcess '" + name() + "' (pid " + started.pid() + ") has not finished: join it before asking for its result");
        }
        exited();
        return collectedValue(ExitCodes.fromExitValue(started.exitValue()));
    }

    /**
     * The exception the child's task threw and did not catch.
     *
     * @return the failure, or empty before start, while running and when the task did not throw.
     */
    public Optional<RemoteException> failure()
    {
        requireOpen("read the failure");
        final Process started = process;
        if (started == null || started.isAlive())
        {
            return Optional.empty();
        }
        exited();
        synchronized (this)
        {
            requireOpen("read the failure");
            collect();
            return Optional.ofNullable(remoteFailure);
        }
    }

    /**
     * The last {@value #STDERR_TAIL_BYTES} bytes the child wrote to stderr (also copied to {@code System.err}).
     *
     * @return the text, decoded with the default charset; empty before start.
     */
    public String stderrTail()
    {
        final ByteTail tail = stderrTail;
        return tail == null ? "" : tail.text(Charset.defaultCharset());
    }

    /**
     * Python's repr: {@code <IpcProcess name='worker' pid=1234 parent=1200 started daemon>}, {@code ... stopped
     * exitcode=1>} or {@code <IpcProcess name='worker' parent=1200 initial>}.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        final Process started = process;
        final StringBuilder text = new StringBuilder("<IpcProcess name='").append(name()).append('\'');
        if (started != null)
        {
            text.append(" pid=").append(started.pid());
        }
        text.append(" parent=").append(parentPid);
        if (started == null)
        {
            text.append(" initial");
        }
        else if (started.isAlive())
        {
            text.append(" started");
        }
        else
        {
            text.append(" stopped exitcode=").append(ExitCodes.fromExitValue(started.exitValue()));
        }
        if (isDaemon())
        {
            text.append(" daemon");
        }
        if (closed)
        {
            text.append(" closed");
        }
        return text.append('>').toString();
    }

    private byte[] serializeTask()
    {
        try
        {
            // A lambda capturing only plain values goes as its shape and values, which a child reads without an
            // object stream; anything else by Java serialization.
            return FunctionBytes.encode(task);
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException(
                "the task of IpcProcess '" + name + "' cannot be sent to a child process: it captures " + ex.getMessage() +
                ", which is not serializable (capture only serializable values, or create the object inside the task)",
                ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(
                "the task of IpcProcess '" + name + "' cannot be sent to a child process: serializing it failed with " + ex,
                ex);
        }
    }

    private synchronized V collectedValue(final int exitCode)
    {
        requireOpen("read the result");
        collect();
        if (remoteFailure != null)
        {
            throw remoteFailure;
        }
        if (outcomeError != null)
        {
            throw new IllegalStateException(
                "IpcProcess '" + name + "' exited with code " + exitCode + " but its result file cannot be read: " + outcomeError,
                outcomeError);
        }
        if (outcome == null || outcome.failed || exitCode != 0)
        {
            throw new IllegalStateException("IpcProcess '" + name + "' exited with code " + exitCode + " without a result" +
                (exitCode < 0 ? " (killed by signal " + -exitCode + ")" :
                exitCode == 0 ? " (the task called System.exit?)" : ""));
        }
        if (!valueRead)
        {
            value = deserializeValue();
            valueRead = true;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private V deserializeValue()
    {
        if (outcome.value == null)
        {
            return null;
        }
        try
        {
            return (V)Deserialization.fromBytes(outcome.value);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new IllegalStateException("the result of IpcProcess '" + name + "' was rejected by the " +
                "deserialization filter: " + ex.getMessage(), ex);
        }
        catch (final IOException | ClassNotFoundException | RuntimeException ex)
        {
            throw new IllegalStateException("the result of IpcProcess '" + name + "' cannot be deserialized: " + ex, ex);
        }
    }

    /** Reads and deletes the result file, once, after the child has exited. */
    private void collect()
    {
        if (collected)
        {
            return;
        }
        collected = true;
        try
        {
            outcome = ResultCodec.read(resultFile);
        }
        catch (final IOException ex)
        {
            outcomeError = ex;
        }
        finally
        {
            deleteQuietly(resultFile);
            deleteQuietly(Path.of(resultFile + ".tmp"));
        }
        if (outcome != null && outcome.failed && !outcome.failure.isEmpty())
        {
            remoteFailure = RemoteException.of(outcome.failure, deserializeFailure(outcome.serializedFailure), name, process.pid());
        }
    }

    private static Throwable deserializeFailure(final byte[] serialized)
    {
        if (serialized == null)
        {
            return null;
        }
        try
        {
            final Object failure = Deserialization.fromBytes(serialized);
            return failure instanceof Throwable ? (Throwable)failure : null;
        }
        catch (final IOException | ClassNotFoundException | RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    /**
     * The child's JVM options: an automatic-cleanup setting given to this JVM first (a process tree is swept or not
     * as a whole), then the options given to this process, which may override it.
     */
    private List<String> inheritedOptions()
    {
        final String cleanup = System.getProperty(ResourceTracker.CLEANUP_PROPERTY);
        if (cleanup == null)
        {
            return jvmOptions;
        }
        final List<String> options = new ArrayList<>(jvmOptions.size() + 1);
        options.add("-D" + ResourceTracker.CLEANUP_PROPERTY + "=" + cleanup);
        options.addAll(jvmOptions);
        return options;
    }

    /**
     * Handles the child's exit once: forgets it as a live child, moves a freshly dumped CDS archive into place and
     * removes what the child left in the directories it used; a second caller waits until the first is done.
     */
    private void exited()
    {
        final Process started = process;
        if (started == null || started.isAlive())
        {
            return;
        }
        synchronized (exitLock)
        {
            if (!exitHandled)
            {
                exitHandled = true;
                Children.remove(this);
                sharingPlan.childExited(ExitCodes.fromExitValue(started.exitValue()));
                // Automatic cleanup: what the child made and left (killed, or exited without closing) goes now.
                ResourceTracker.sweepRecorded(ResourceTracker.recordFileFor(resultFile));
            }
        }
    }

    private void awaitOutput(final long timeoutNanos) throws InterruptedException
    {
        final long begin = System.nanoTime();
        if (stdoutPump.awaitEnd(timeoutNanos))
        {
            stderrPump.awaitEnd(timeoutNanos - (System.nanoTime() - begin));
        }
    }

    private Process requireStarted(final String action)
    {
        requireOpen(action);
        final Process started = process;
        if (started == null)
        {
            throw new IllegalStateException("cannot " + action + " IpcProcess '" + name() + "': it has not been started");
        }
        return started;
    }

    private void requireOpen(final String action)
    {
        if (closed)
        {
            throw new IllegalStateException("cannot " + action + " IpcProcess '" + name + "': it was closed");
        }
    }

    private void requireNotStarted(final String setting)
    {
        requireOpen("set " + setting + " of");
        if (process != null)
        {
            throw new IllegalStateException(
                "cannot set " + setting + " of IpcProcess '" + name + "': it was already started (pid " + process.pid() + ")");
        }
    }

    /**
     * Ready once a process has ended: the sentinel of a child ({@link #sentinel()}) and of a parent. A waiter asleep in
     * {@link dev.ipckit.wait.Waiting#any} is rung by the JDK's exit callback: at once for a child (its exit is
     * reaped); for a parent the JDK only polls, so such a waiter also looks every {@value #PARENT_CHECK_MILLIS} ms.
     */
    static final class Sentinel implements RingingWaitable
    {
        static final long PARENT_CHECK_MILLIS = 100;

        private final ProcessHandle process;
        private final String what;
        private final long period;
        /** Under this: bells to ring at exit. */
        private final IntArrayList bells = new IntArrayList();
        /** Under this: whether the exit callback is registered. */
        private boolean hooked;
        private volatile boolean exited;

        /**
         * @param process the process, or null for one that was gone already when the handle was sought.
         * @param child   whether it is a child of this JVM (its exit rings at once).
         * @param what    what it is, for {@code toString}.
         */
        Sentinel(final ProcessHandle process, final boolean child, final String what)
        {
            this.process = process;
            this.what = what;
            this.period = child ? ONLY_WHEN_RUNG : TimeUnit.MILLISECONDS.toNanos(PARENT_CHECK_MILLIS);
        }

        @Override
        public boolean isReady()
        {
            return process == null || exited || !process.isAlive();
        }

        @Override
        public long ringWhenReady(final int bell)
        {
            if (process != null)
            {
                synchronized (this)
                {
                    bells.addInt(bell);
                    if (!hooked)
                    {
                        hooked = true;
                        process.onExit().thenRun(this::ringAll);
                    }
                }
            }
            return period;
        }

        @Override
        public synchronized void stopRinging(final int bell)
        {
            bells.removeInt(bell);
        }

        private void ringAll()
        {
            exited = true;
            final int[] ringing;
            synchronized (this)
            {
                ringing = bells.toIntArray();
            }
            for (final int bell : ringing)
            {
                Doorbells.ring(bell);
            }
        }

        @Override
        public String toString()
        {
            return "sentinel of " + what;
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // The result directory is removed at exit anyway.
        }
    }
}
