package dev.ipckit.process.internal;

import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import dev.ipckit.process.internal.ChildMain;
import dev.ipckit.process.IpcProcess;

/**
 * The children of this JVM that may still run, and what happens to them when this JVM exits: a shutdown hook
 * terminates daemon children (SIGTERM, then SIGKILL after {@link #DAEMON_GRACE_MILLIS}) and waits for non-daemon
 * ones, as Python does at exit. Holding the children here also keeps their stdin pipes reachable while they run.
 */
public final class Children
{
    /** How long a terminated child may take to exit before it is killed. */
    static final long DAEMON_GRACE_MILLIS = 1000;

    /** The start of the name of a JVM's result directory; its {@link ProcessIdentity} follows. */
    static final String RESULT_DIRECTORY_PREFIX = "ipckit-results-";
    private static final Set<IpcProcess<?>> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;
    private static Path resultDirectory;

    private Children()
    {
    }

    /**
     * Registers a child about to start; registers the exit duty that stops the children on first use.
     *
     * @param child the child.
     * @throws IllegalStateException when this JVM is already shutting down.
     */
    public static synchronized void add(final IpcProcess<?> child)
    {
        if (!hookInstalled)
        {
            if (!ExitDuties.register(ExitDuties.Stage.STOP_CHILDREN, Children::stopAtExit))
            {
                throw new IllegalStateException("cannot start a child process: this JVM is shutting down");
            }
            hookInstalled = true;
            CurrentProcess.childrenStarted();
        }
        LIVE.add(child);
    }

    public static synchronized void remove(final IpcProcess<?> child)
    {
        LIVE.remove(child);
    }

    /**
     * The children that still run; forgets the ones that have exited.
     *
     * @return the live children, in start order.
     */
    public static List<IpcProcess<?>> active()
    {
        final List<IpcProcess<?>> active = new ArrayList<>();
        for (final IpcProcess<?> child : snapshot())
        {
            if (child.isAlive())
            {
                active.add(child);
            }
            else
            {
                remove(child);
            }
        }
        return active;
    }

    /**
     * The directory for result files of this JVM's children, created on first use and removed at exit. Its name
     * carries this JVM's {@link ProcessIdentity}, so that directories left by JVMs that could not clean up (killed by
     * SIGKILL, or halted when their own parent died) are recognised and removed when the next one is created.
     *
     * @return the directory.
     */
    public static synchronized Path resultDirectory()
    {
        if (resultDirectory == null)
        {
            final Path temp = Path.of(System.getProperty("java.io.tmpdir"));
            PrivateDirectory.removeThoseOfDeadJvms(temp, RESULT_DIRECTORY_PREFIX);
            final Path directory = temp.resolve(RESULT_DIRECTORY_PREFIX + ProcessIdentity.current());
            final Optional<String> problem;
            try
            {
                // 0700 at the mkdir, then checked again without following links.
                problem = PrivateDirectory.createNew(directory);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create a directory for child process results in " + temp, ex);
            }
            if (problem.isPresent())
            {
                throw new IllegalStateException("cannot start a child process: its results " + problem.get());
            }
            resultDirectory = directory;
        }
        return resultDirectory;
    }

    private static synchronized List<IpcProcess<?>> snapshot()
    {
        return new ArrayList<>(LIVE);
    }

    /**
     * What happens to the children when this JVM exits: daemons (all children, at an exit that is not orderly) are
     * terminated, then killed if they still run after {@link #DAEMON_GRACE_MILLIS}; the others are waited for.
     * Called at exit ({@link ExitDuties.Stage#STOP_CHILDREN}), and by {@link ChildMain} when a child's task has finished.
     */
    static void stopAtExit()
    {
        final boolean orderly = CurrentProcess.orderlyExit();
        final List<IpcProcess<?>> terminated = new ArrayList<>();
        final List<IpcProcess<?>> awaited = new ArrayList<>();
        for (final IpcProcess<?> child : active())
        {
            if (child.isDaemon() || !orderly)
            {
                child.terminate();
                terminated.add(child);
            }
            else
            {
                awaited.add(child);
            }
        }
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DAEMON_GRACE_MILLIS);
            for (final IpcProcess<?> child : terminated)
            {
                if (!child.join(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
                {
                    child.kill();
                    child.join(DAEMON_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            for (final IpcProcess<?> child : awaited)
            {
                child.join();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final Path directory;
        synchronized (Children.class)
        {
            directory = resultDirectory;
        }
        if (directory != null)
        {
            PrivateDirectory.deleteTree(directory);
        }
    }
}
