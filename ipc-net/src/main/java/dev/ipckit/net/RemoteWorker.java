package dev.ipckit.net;

import dev.ipckit.pool.JoinedWorker;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.process.SerializableCallable;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A pool worker on this host joining a pool served on another ({@link PoolServer}): it connects with the authkey and
 * works as the pool's own workers do, until the pool stops it, its task limit, or the connection ends. See
 * {@link JoinedWorker} for what it checks (the same classes as the pool's) and how it ends.
 * <p>
 * A task cannot be stopped from outside its thread, so a worker should have a JVM of its own, which ends when the
 * worker does: {@link #start} starts one ({@code ./ipckit worker --connect} starts them and replaces each that ends).
 */
public final class RemoteWorker
{
    /** Result of a worker JVM ({@link #start}) that the pool stopped, or found it shut down: nothing more to do. */
    public static final int EXIT_STOPPED = 0;
    /** Result of a worker JVM that ran the pool's task limit: a fresh one may join. */
    public static final int EXIT_TASK_LIMIT = 3;
    /** Result of a worker JVM whose run of the pool's initializer failed. */
    public static final int EXIT_INIT_FAILED = 4;
    /** Result of a worker JVM that lost its connection (the pool's host died, or was unreachable too long). */
    public static final int EXIT_LOST = 5;
    /** Result of a worker JVM the pool refused (no free seat, wrong key) or could not reach. */
    public static final int EXIT_REFUSED = 6;

    private RemoteWorker()
    {
    }

    /**
     * Joins the pool at {@code address} with this process tree's authkey ({@link ProcessInfo#currentAuthkey()}), in
     * this JVM, and works until it ends.
     *
     * @param address the pool server's {@code host:port}.
     * @return how it ended.
     * @throws IOException           when the pool cannot be reached, or the connection failed before the worker was
     *                               seated.
     * @throws AuthenticationException when the keys differ.
     * @throws IllegalStateException when the pool refused the worker (the message says why).
     * @throws InterruptedException  when interrupted while connecting.
     */
    public static JoinedWorker.End run(final String address) throws IOException, InterruptedException
    {
        return run(address, ProcessInfo.currentAuthkey(), NetOptions.defaults());
    }

    /**
     * Joins the pool at {@code address} with {@code authkey}, in this JVM, and works until it ends.
     *
     * @param address the pool server's {@code host:port}.
     * @param authkey the pool server's key.
     * @param options limits and waits of the connection.
     * @return how it ended.
     * @throws IOException           when the pool cannot be reached, or the connection failed before the worker was
     *                               seated.
     * @throws InterruptedException  when interrupted while connecting.
     */
    public static JoinedWorker.End run(final String address, final byte[] authkey, final NetOptions options)
        throws IOException, InterruptedException
    {
        final NetConnection connection = Client.connect(address, authkey, options);
        return JoinedWorker.run(new NetWorkerLink(connection));
    }

    /**
     * Starts a worker JVM (a child of this process, with its class path and JVM options) that joins the pool at
     * {@code address} with this process tree's authkey, which it inherits, as a daemon child (it ends when this JVM
     * exits); the JVM ends with the worker (a task left running on a lost connection ends with it), its
     * {@link IpcProcess#result() result} one of this class's {@code EXIT_...} codes, the reason of a refusal on its
     * stderr.
     *
     * @param address the pool server's {@code host:port}.
     * @return the worker's process, started.
     */
    public static IpcProcess<Integer> start(final String address)
    {
        return start(address, null);
    }

    /**
     * Starts a worker JVM as {@link #start(String)} does, with the classes of the pool's tasks on its class path.
     *
     * @param address   the pool server's {@code host:port}.
     * @param classPath the worker JVM's class path (it must hold ipckit's classes too), or null for this JVM's.
     * @return the worker's process, started.
     */
    public static IpcProcess<Integer> start(final String address, final String classPath)
    {
        return start(address, classPath, null);
    }

    /**
     * Starts a worker JVM as {@link #start(String)} does, with its class path, liveness timeout and JVM options.
     *
     * @param address         the pool server's {@code host:port}.
     * @param classPath       the worker JVM's class path (it must hold ipckit's classes too), or null for this JVM's.
     * @param livenessTimeout how long the pool may be silent before the worker takes it for gone
     *                        ({@link Network#setLivenessTimeout}), or null for the default.
     * @param jvmOptions      extra JVM options, e.g. {@code -Xmx2g}.
     * @return the worker's process, started.
     */
    public static IpcProcess<Integer> start(final String address, final String classPath,
        final Duration livenessTimeout, final String... jvmOptions)
    {
        Objects.requireNonNull(address, "address");
        final long livenessMillis = livenessTimeout == null ? 0 : livenessTimeout.toMillis();
        if (livenessTimeout != null && livenessMillis < 100)
        {
            throw new IllegalArgumentException("the liveness timeout must be at least 100 ms: " + livenessTimeout);
        }
        // A daemon: it ends with the JVM that started it (ipckit worker stopped with ^C takes its workers with it).
        return IpcProcess.of(new Life(address, livenessMillis)).name("remote-worker").daemon(true)
            .classPath(classPath).jvmOptions(jvmOptions).start();
    }

    /**
     * @param end how a worker ended.
     * @return the {@code EXIT_...} code of a worker JVM that ended so.
     */
    public static int exitCodeOf(final JoinedWorker.End end)
    {
        return switch (end)
        {
            case STOPPED -> EXIT_STOPPED;
            case TASK_LIMIT -> EXIT_TASK_LIMIT;
            case INIT_FAILED -> EXIT_INIT_FAILED;
            case LOST -> EXIT_LOST;
        };
    }

    /**
     * What a worker JVM runs: one worker's life; the JVM ends after it (its worker thread is a daemon).
     *
     * @param address        the pool server's address.
     * @param livenessMillis the liveness timeout, 0 for the default.
     */
    record Life(String address, long livenessMillis) implements SerializableCallable<Integer>
    {
        @Override
        public Integer call() throws InterruptedException
        {
            if (livenessMillis > 0)
            {
                Network.setLivenessTimeout(Duration.ofMillis(livenessMillis));
            }
            try
            {
                return exitCodeOf(run(address));
            }
            catch (final IllegalStateException | IOException ex)
            {
                System.err.println("ipckit worker: " + ex.getMessage());
                return EXIT_REFUSED;
            }
        }
    }
}
