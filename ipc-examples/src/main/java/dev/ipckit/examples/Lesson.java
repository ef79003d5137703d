package dev.ipckit.examples;

import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.TaskFunction;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every lesson shares: how a process names itself in the output, unique region names, small child JVMs, and
 * joining children or closing a pool with a time limit, failing loudly when a child failed.
 */
final class Lesson
{
    /** Options for children whose speed does not matter: a small heap, the serial collector, C1 only. */
    static final String[] SMALL_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    /** How long a lesson waits for any child or blocking call before it gives up. */
    static final long WAIT_SECONDS = 60;

    private static final AtomicInteger RUNS = new AtomicInteger();

    private Lesson()
    {
    }

    /**
     * @return this process as the lessons print it: {@code worker-1 pid=1234}.
     */
    static String who()
    {
        return ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid();
    }

    /**
     * Prints one line tagged with this process's name and pid; children's lines are indented.
     *
     * @param out  where: the lesson's stream in the main process, {@code System.out} in a child.
     * @param text what happened.
     */
    static void say(final PrintStream out, final String text)
    {
        out.println((ProcessInfo.isChild() ? "  [" : "[") + who() + "] " + text);
    }

    /**
     * Prints one line from a child (its standard output reaches the parent's).
     *
     * @param text what happened.
     */
    static void say(final String text)
    {
        say(System.out, text);
    }

    /**
     * @param lesson the lesson's short name.
     * @return a region or manager name no other run of this JVM or another process uses.
     */
    static String uniqueName(final String lesson)
    {
        return lesson + "-" + ProcessInfo.currentPid() + "-" + RUNS.incrementAndGet();
    }

    /**
     * Starts the children in order.
     *
     * @param children the children.
     */
    static void startAll(final List<? extends IpcProcess<?>> children)
    {
        for (final IpcProcess<?> child : children)
        {
            child.start();
        }
    }

    /**
     * Joins one child within {@link #WAIT_SECONDS}, whatever its exit code; kills it and throws when it does not end.
     *
     * @param child a started child.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when it did not end in time.
     */
    static void join(final IpcProcess<?> child) throws InterruptedException
    {
        if (!child.join(WAIT_SECONDS, TimeUnit.SECONDS))
        {
            child.kill();
            throw new IllegalStateException(child.name() + " (pid " + child.pid() + ") did not finish within " +
                WAIT_SECONDS + " s; it was killed");
        }
    }

    /**
     * Joins every child, each within {@link #WAIT_SECONDS}; kills the rest and throws when one does not end in time
     * or ends with a non-zero exit code.
     *
     * @param children started children.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when a child failed or hung.
     */
    static void joinAll(final List<? extends IpcProcess<?>> children) throws InterruptedException
    {
        for (final IpcProcess<?> child : children)
        {
            if (!child.join(WAIT_SECONDS, TimeUnit.SECONDS))
            {
                children.forEach(IpcProcess::kill);
                throw new IllegalStateException(child.name() + " (pid " + child.pid() + ") did not finish within " +
                    WAIT_SECONDS + " s; every child was killed");
            }
            if (child.exitCode().orElse(-1) != 0)
            {
                children.forEach(IpcProcess::kill);
                throw new IllegalStateException(child.name() + " failed with exit code " + child.exitCode().orElse(-1) +
                    ": " + child.failure().map(Throwable::toString).orElse("no failure recorded"));
            }
        }
    }

    /**
     * Closes a pool as Python's {@code close()} and {@code join()} do, within {@link #WAIT_SECONDS}; kills its
     * workers when they do not stop in time.
     *
     * @param pool the pool.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when the workers did not stop in time.
     */
    static void close(final ProcessPool pool) throws InterruptedException
    {
        pool.shutdown();
        if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS))
        {
            pool.terminate();
            throw new IllegalStateException(pool + " did not finish its work within " + WAIT_SECONDS + " s; killed");
        }
    }

    /**
     * Runs rounds of one probe per worker until every worker has answered one: a pool hands tasks only to workers that
     * have started, so without this a short map may run wholly in the first worker up.
     *
     * @param pool  the pool.
     * @param probe returns the pid of the worker that ran it (and may warm it up).
     * @return the pids that answered.
     * @throws IllegalStateException when not every worker answered within {@link #WAIT_SECONDS}.
     */
    static Set<Long> awaitWorkers(final ProcessPool pool, final TaskFunction<Integer, Long> probe)
        throws ExecutionException, InterruptedException
    {
        final List<Integer> round = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++)
        {
            round.add(i);
        }
        final Set<Long> answered = new TreeSet<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (answered.size() < pool.size())
        {
            require("an answer from every worker of " + pool, System.nanoTime() < deadline);
            answered.addAll(pool.map(probe, round, 1));
        }
        return answered;
    }

    /**
     * Fails when a timed wait ran out: the lessons' steps never wait for ever.
     *
     * @param what  what was awaited, for the message.
     * @param ready what the timed wait returned: whether it came within {@link #WAIT_SECONDS}.
     * @throws IllegalStateException when it did not.
     */
    static void require(final String what, final boolean ready)
    {
        if (!ready)
        {
            throw new IllegalStateException(who() + ": " + what + " did not happen within " + WAIT_SECONDS + " s");
        }
    }

    /**
     * Pretends to work for a while, as the Python lessons' {@code time.sleep} does.
     *
     * @param millis how long.
     */
    static void work(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(who() + " was interrupted", ex);
        }
    }
}
