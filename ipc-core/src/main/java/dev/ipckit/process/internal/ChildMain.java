package dev.ipckit.process.internal;

import dev.ipckit.platform.DeserializationRejectedException;
import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.platform.internal.Serialization;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import dev.ipckit.process.internal.ChildProtocol;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.internal.Children;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.internal.CurrentProcess;
import dev.ipckit.process.internal.ResultCodec;

/**
 * The child side of {@link IpcProcess}: reads the header and the task from stdin (see {@code ChildProtocol}), runs the
 * task and leaves its result or its exception in the result file. Exit code 0 when the task returned, 1 when it threw
 * (the stack trace goes to stderr, as Python prints a traceback).
 * <p>
 * A watchdog thread keeps reading the original stdin; end of file means the parent died (the pipe closes however the
 * parent dies, even by SIGKILL) and halts this JVM with exit code 1. The task sees an empty {@code System.in}.
 * <p>
 * When the task has finished, its result is in the result file, and the child then ends as {@code java Main} and
 * Python's processes do: it waits for every non-daemon thread the task started (and those threads started) to end,
 * then handles the children the task started as at a parent's exit (daemons terminated, others waited for), then
 * exits with the task's code (0 or 1; a thread's uncaught exception does not change it, as with {@code java Main}).
 * So {@code join()} in the parent returns only once those threads are done; a daemon thread is stopped at the exit.
 * A thread that calls {@code System.exit} decides the code itself.
 * <p>
 * Start cost matters here: this class loads few classes and avoids lambdas and string concatenation, whose first use
 * bootstraps {@code java.lang.invoke}, before the task runs.
 */
public final class ChildMain
{
    private static final long STOP_WAIT_MILLIS = 200;

    private ChildMain()
    {
    }

    /**
     * Runs one task as a child process; started by {@link IpcProcess}, not by hand.
     *
     * @param args none for a spawned child; {@link ChildProtocol#SPARE_ARGUMENT}, the classes to preload and the
     *             lambdas to link for a spare JVM.
     */
    public static void main(final String[] args)
    {
        // Beside the wait for the task (all of a spare's wait): what almost every task's start needs anyway.
        final boolean spare = args.length > 0 && ChildProtocol.SPARE_ARGUMENT.equals(args[0]);
        ChildWarmup.start(spare, spare ? Arrays.asList(args).subList(1, args.length) : List.of());
        // Started now, watching once the task is read: a thread start is some 300 µs on a VM, off a spare's handoff.
        final ParentWatchdog watchdog = new ParentWatchdog();
        watchdog.start();
        final InputStream stdin = System.in;
        final DataInputStream header = new DataInputStream(stdin);
        final String name;
        final boolean daemon;
        final String parentName;
        final long parentPid;
        final byte[] authkey;
        final String resultPath;
        final byte[] task;
        try
        {
            if (header.readInt() != ChildProtocol.MAGIC || header.readInt() != ChildProtocol.VERSION)
            {
                badHeader("its stdin does not carry an ipckit task of this version");
                return;
            }
            name = header.readUTF();
            daemon = header.readBoolean();
            parentName = header.readUTF();
            parentPid = header.readLong();
            final int authkeyLength = header.readInt();
            if (authkeyLength < 1 || authkeyLength > ChildProtocol.MAX_AUTHKEY_BYTES)
            {
                badHeader("its stdin carries an authkey of " + authkeyLength + " bytes");
                return;
            }
            authkey = new byte[authkeyLength];
            header.readFully(authkey);
            resultPath = header.readUTF();
            task = new byte[header.readInt()];
            header.readFully(task);
        }
        catch (final EOFException ex)
        {
            badHeader("its stdin ended before the task arrived (the parent died, or nobody sent a task)");
            return;
        }
        catch (final IOException ex)
        {
            badHeader("its stdin could not be read: ".concat(String.valueOf(ex)));
            return;
        }

        // A spare's task runs once its warm-up is done (quick when the spare has idled a while).
        ChildWarmup.awaitSpareWarmup();
        watchdog.watch();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        CurrentProcess.enterChild(name, daemon, parentName, parentPid, authkey);
        ResourceTracker.recordInto(ResourceTracker.recordFileFor(Path.of(resultPath)));

        final int exitCode = run(name, task, new File(resultPath));
        // As `java Main` and Python do: the process ends when its last non-daemon thread does, with the task's code.
        // The result file is written already, and the watchdog still halts this JVM if the parent dies meanwhile.
        awaitNonDaemonThreads();
        CurrentProcess.taskFinished();
        if (CurrentProcess.startedChildren())
        {
            // As Python does when a child's task returns: terminate daemon children, wait for the others, while
            // the watchdog still watches the parent.
            Children.stopAtExit();
        }
        watchdog.stopWatching();
        System.out.flush();
        System.err.flush();
        System.exit(exitCode);
    }

    /**
     * Waits until every non-daemon thread the task started has ended, including threads those threads start. ipckit's
     * own threads are daemons; a thread named {@code ipckit-...} is never waited for. Interrupts of the main thread do
     * not cut the wait short (the JVM's own wait at the end of {@code main} cannot be interrupted either).
     */
    static void awaitNonDaemonThreads()
    {
        boolean interrupted = false;
        Thread pending;
        while ((pending = aLiveNonDaemonThread()) != null)
        {
            try
            {
                pending.join();
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

    private static Thread aLiveNonDaemonThread()
    {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null)
        {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length)
        {
            threads = new Thread[threads.length * 2];
        }
        final Thread self = Thread.currentThread();
        for (int i = 0; i < count; i++)
        {
            final Thread thread = threads[i];
            if (thread != self && !thread.isDaemon() && thread.isAlive() && !thread.getName().startsWith("ipckit-"))
            {
                return thread;
            }
        }
        return null;
    }

    private static int run(final String name, final byte[] taskBytes, final File resultFile)
    {
        Throwable failure = null;
        byte[] value = null;
        try
        {
            final Object task = readTask(name, taskBytes);
            if (task instanceof SerializableCallable)
            {
                value = serializeResult(((SerializableCallable<?>)task).call());
            }
            else
            {
                ((SerializableRunnable)task).run();
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }

        try
        {
            if (failure == null)
            {
                ResultCodec.writeReturned(resultFile, value);
                return 0;
            }
            System.err.println("Exception in child process '".concat(name).concat("':"));
            failure.printStackTrace();
            ResultCodec.writeFailed(resultFile, failure);
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("child process '".concat(name).concat("' cannot write its result file ")
                .concat(resultFile.getPath()).concat(": ").concat(String.valueOf(ex)));
        }
        return 1;
    }

    private static Object readTask(final String name, final byte[] taskBytes) throws Exception
    {
        try
        {
            return new FunctionBytes.Reader(null).read(taskBytes, 0, taskBytes.length);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new IllegalStateException("child process '".concat(name)
                .concat("': its task was rejected by the deserialization filter: ").concat(ex.getMessage()), ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("child process '".concat(name).concat("' cannot load class ")
                .concat(ex.getMessage()).concat(" of its task from its class path ")
                .concat(System.getProperty("java.class.path", "")).concat(" (give children a class path that holds it: ")
                .concat("IpcProcess.classPath, IpcProcess.setDefaultClassPath or -Dipckit.child.classpath)"), ex);
        }
    }

    private static byte[] serializeResult(final Object value)
    {
        if (value == null)
        {
            return null;
        }
        try
        {
            return Serialization.toBytes(value);
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException("the task's result cannot be sent to the parent process: it is (or holds) "
                .concat(ex.getMessage()).concat(", which is not serializable"), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("the task's result cannot be sent to the parent process: "
                .concat(ex.toString()), ex);
        }
    }

    private static void badHeader(final String problem)
    {
        System.err.println(
            "dev.ipckit.process.internal.ChildMain is started by IpcProcess, not by hand: ".concat(problem));
        System.err.flush();
        Runtime.getRuntime().halt(ChildProtocol.EXIT_BAD_HEADER);
    }

    /**
     * Blocks on the parent's pipe (stdin, through a {@link FileChannel}); end of file or an error means the parent is
     * gone, and the child halts at once.
     * <p>
     * A channel, not a stream: a JVM that exits while a thread blocks in a native read waits 300 ms for that thread
     * (HotSpot's {@code VM_Exit}), and only a channel read can be interrupted. So the watchdog is stopped before every
     * exit, by {@link ChildMain} after the task and by a shutdown hook otherwise.
     */
    static final class ParentWatchdog extends Thread
    {
        private volatile boolean stopping;
        /** Opened by {@link #watch()}: until the main thread has read the task, stdin is its to read. */
        private final CountDownLatch taskRead = new CountDownLatch(1);

        ParentWatchdog()
        {
            super("ipckit-parent-watchdog");
            setDaemon(true);
        }

        /** The task is read: from now on the thread reads stdin, whose end is the parent's death. */
        void watch()
        {
            taskRead.countDown();
        }

        @Override
        public void run()
        {
            try
            {
                taskRead.await();
            }
            catch (final InterruptedException ex)
            {
                return; // stopped before it watched
            }
            if (!ExitDuties.register(ExitDuties.Stage.STOP_WATCHING_PARENT, new StopWatching(this)))
            {
                return;
            }
            final ByteBuffer buffer = ByteBuffer.allocate(64);
            try (FileChannel parentPipe = new FileInputStream(FileDescriptor.in).getChannel())
            {
                while (!stopping && parentPipe.read(buffer) >= 0)
                {
                    buffer.clear();
                }
            }
            catch (final AsynchronousCloseException ex)
            {
                // Stopped: ClosedByInterruptException (or interrupted by the task; then nothing can watch the pipe).
                return;
            }
            catch (final IOException ignore)
            {
                // A broken pipe is a dead parent too.
            }
            if (!stopping)
            {
                Runtime.getRuntime().halt(1);
            }
        }

        /** The exit duty that stops the watchdog: a class, not a method reference (no lambda before the task). */
        private static final class StopWatching implements Runnable
        {
            private final ParentWatchdog watchdog;

            StopWatching(final ParentWatchdog watchdog)
            {
                this.watchdog = watchdog;
            }

            @Override
            public void run()
            {
                watchdog.stopWatching();
            }
        }

        /** Stops watching and waits (briefly) until the thread has left its native read. */
        void stopWatching()
        {
            stopping = true;
            interrupt();
            try
            {
                join(STOP_WAIT_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
