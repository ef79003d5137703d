package dev.ipckit.pool;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.ClassCache;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool worker that joins a {@link ProcessPool} from another process or host over a {@link WorkerLink}, and runs its
 * tasks as the pool's own worker processes do: the pool's initializer first, then tasks until the pool stops it, its
 * task limit ({@code maxTasksPerChild}), or the end of the link. {@code ./ipckit worker --connect host:port} runs one
 * per JVM (see {@code docs/network.md}); {@code dev.ipckit.net.RemoteWorker} connects one from Java.
 * <p>
 * <b>The same classes.</b> As Python's remote workers need the same modules, a joined worker needs the pool's class
 * files. The first time a task or function names a class (not the JDK's), the worker asks the pool for the SHA-256
 * of its class file and compares it with its own; a class missing here or different there fails that task with a
 * {@link ClassMismatchException} naming the class and the host, and the worker goes on with the next task.
 * <p>
 * <b>Losing the link.</b> A task cannot be stopped from outside its thread, so when the link ends while a task runs,
 * {@link #run} returns {@link End#LOST} at once and leaves the task's (daemon) thread running: a process that runs a
 * joined worker should exit then, as {@code ./ipckit worker} does (and starts a fresh worker JVM).
 */
public final class JoinedWorker
{
    /** How long the worker waits for the pool's WELCOME, and for each answer about a class. */
    static final long ANSWER_TIMEOUT_SECONDS = 10;
    /** How long the worker's thread waits for a task before asking again. */
    private static final long RECEIVE_SLICE_MILLIS = 50;
    /** How often the calling thread looks at the link while the worker runs a task. */
    private static final long WATCH_MILLIS = 50;

    /** How a joined worker ended. */
    public enum End
    {
        /** The pool stopped it, or was shut down when it came: nothing more to do. */
        STOPPED,
        /** It ran the pool's {@code maxTasksPerChild}: a fresh worker may join in its place. */
        TASK_LIMIT,
        /** The pool's initializer failed here; the pool dropped this worker. */
        INIT_FAILED,
        /** The link ended (the pool's process died, closed the link, or was unreachable too long). */
        LOST
    }

    private final WorkerLink link;
    private final String host;
    /** Held by whichever thread receives from the link: the worker's, or this one's watch while a task runs. */
    private final ReentrantLock receiving = new ReentrantLock();
    /** RING frames received and not yet run, in order; under {@link #receiving}. */
    private final ArrayDeque<byte[]> tasks = new ArrayDeque<>();
    private final ConcurrentHashMap<String, byte[]> answers = new ConcurrentHashMap<>();
    private volatile boolean linkEnded;

    private JoinedWorker(final WorkerLink link, final String host)
    {
        this.link = link;
        this.host = host;
    }

    /**
     * Joins the pool at the other end of {@code link} and works for it until it ends; closes the link.
     *
     * @param link a link to a pool's {@link ProcessPool#acceptWorker}.
     * @return how it ended.
     * @throws IllegalStateException when the pool refused the worker (no free seat, another version); the message
     *                               says why. A pool shut down is {@link End#STOPPED}.
     * @throws IOException           when the link failed or the pool did not answer within 10 s.
     * @throws InterruptedException  when the thread was interrupted while it waited for the pool.
     */
    public static End run(final WorkerLink link) throws IOException, InterruptedException
    {
        try (link)
        {
            return new JoinedWorker(link, hostName()).work();
        }
    }

    private End work() throws IOException, InterruptedException
    {
        link.send(SeatProtocol.hello(ProcessHandle.current().pid(), host));
        final WorkerTerms terms = awaitWelcome();
        if (terms == null)
        {
            return End.STOPPED; // the pool was shut down: nothing to do, as if it had stopped this worker
        }
        final ClassCache classes = new ClassCache(JoinedWorker.class.getClassLoader(), this::checkClass);
        final WorkerLoop loop = new WorkerLoop(terms.name(), terms.ringCapacity(), classes);
        final WorkerLoop.End[] ended = new WorkerLoop.End[1];
        final Throwable[] failed = new Throwable[1];
        // The worker's thread receives its tasks itself, runs them and sends the results: one thread on the common
        // path, no hand-over between threads (each costs a wake-up on a busy machine).
        final Thread worker = new Thread(() ->
        {
            try
            {
                ended[0] = loop.run(new LinkTasks(), new LinkResults(), terms.initializer(), terms.maxTasks());
            }
            catch (final RuntimeException | Error ex)
            {
                failed[0] = ex;
            }
            finally
            {
                // The pool sees the link end once what the loop sent has arrived.
                link.close();
            }
        }, "ipckit-joined-worker");
        worker.setDaemon(true);
        worker.start();
        // This thread watches the link while the worker runs a task (and does not receive): an end then is LOST.
        while (true)
        {
            worker.join(WATCH_MILLIS);
            if (!worker.isAlive())
            {
                break;
            }
            if (receiving.tryLock())
            {
                try
                {
                    while (pump(0))
                    {
                        // What arrived while the task runs waits for the worker in order.
                    }
                }
                catch (final IOException end)
                {
                    // Lost, unless the loop has just ended and closed the link itself.
                    worker.join(WATCH_MILLIS);
                    if (worker.isAlive())
                    {
                        return End.LOST;
                    }
                    break;
                }
                finally
                {
                    receiving.unlock();
                }
            }
        }
        if (failed[0] instanceof Error error)
        {
            throw error;
        }
        if (failed[0] != null || ended[0] == null)
        {
            return End.LOST;
        }
        return switch (ended[0])
        {
            case STOPPED -> End.STOPPED;
            case TASK_LIMIT -> End.TASK_LIMIT;
            case INIT_FAILED -> End.INIT_FAILED;
        };
    }

    /** @return the pool's terms, or null when it is shut down. */
    private WorkerTerms awaitWelcome() throws IOException, InterruptedException
    {
        final byte[] frame = link.receive(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (frame == null)
        {
            throw new IOException("the pool at " + link.peer() + " did not answer this worker's HELLO within " +
                ANSWER_TIMEOUT_SECONDS + " s");
        }
        SeatProtocol.requireLength(frame, 1, "first", link.peer());
        if (frame[SeatProtocol.KIND_OFFSET] == SeatProtocol.SHUT_DOWN)
        {
            return null;
        }
        if (frame[SeatProtocol.KIND_OFFSET] == SeatProtocol.REFUSED)
        {
            throw new IllegalStateException("the pool at " + link.peer() + " refused this worker: " +
                SeatProtocol.textOf(frame, 1));
        }
        if (frame[SeatProtocol.KIND_OFFSET] != SeatProtocol.WELCOME)
        {
            throw new IOException("the pool at " + link.peer() + " answered HELLO with a frame of kind " +
                frame[SeatProtocol.KIND_OFFSET] + ": not a pool of this version");
        }
        SeatProtocol.requireLength(frame, SeatProtocol.WELCOME_TERMS_OFFSET, "WELCOME", link.peer());
        final int version = new UnsafeBuffer(frame).getInt(SeatProtocol.VERSION_OFFSET);
        if (version != SeatProtocol.VERSION)
        {
            throw new IOException("the pool at " + link.peer() + " speaks worker protocol " + version + ", this " +
                "worker " + SeatProtocol.VERSION + ": run the same ipckit version on both hosts");
        }
        try
        {
            return (WorkerTerms)Deserialization.fromBytes(Arrays.copyOfRange(frame, SeatProtocol.WELCOME_TERMS_OFFSET,
                frame.length));
        }
        catch (final ClassNotFoundException | ClassCastException ex)
        {
            throw new IOException("the pool's terms cannot be read by this worker (its initializer's class is " +
                "missing here?): " + ex, ex);
        }
    }

    /**
     * Under {@link #receiving}: receives one frame, waiting up to {@code timeoutMillis}: a RING frame joins the
     * tasks, a CLASS_ANSWER the answers.
     *
     * @return whether a frame came.
     * @throws IOException at the link's end ({@link EOFException}), or a frame this worker does not expect.
     */
    private boolean pump(final long timeoutMillis) throws IOException
    {
        final byte[] frame;
        try
        {
            frame = link.receive(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while receiving from the pool", ex);
        }
        catch (final IOException ex)
        {
            linkEnded = true;
            throw ex;
        }
        if (frame == null)
        {
            return false;
        }
        SeatProtocol.requireLength(frame, 1, "", link.peer());
        switch (frame[SeatProtocol.KIND_OFFSET])
        {
            case SeatProtocol.RING ->
            {
                SeatProtocol.requireLength(frame, SeatProtocol.RING_MESSAGE_OFFSET, "RING", link.peer());
                tasks.addLast(frame);
            }
            case SeatProtocol.CLASS_ANSWER ->
            {
                SeatProtocol.requireLength(frame, SeatProtocol.ANSWER_NAME_OFFSET, "CLASS_ANSWER", link.peer());
                answers.put(SeatProtocol.textOf(frame, SeatProtocol.ANSWER_NAME_OFFSET), frame);
            }
            default -> throw new IOException("the pool at " + link.peer() + " sent a frame of kind " +
                frame[SeatProtocol.KIND_OFFSET] + " to a working worker");
        }
        return true;
    }

    /** The worker's tasks: RING frames from the link, received by the worker's own thread. */
    private final class LinkTasks implements WorkerLoop.Tasks
    {
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        @Override
        public boolean next(final MessageHandler handler)
        {
            receiving.lock();
            try
            {
                if (tasks.isEmpty() && !pump(RECEIVE_SLICE_MILLIS))
                {
                    return false;
                }
                final byte[] frame = tasks.pollFirst();
                if (frame == null)
                {
                    return false; // a class answer came: the next call waits again
                }
                view.wrap(frame);
                handler.onMessage(view.getInt(SeatProtocol.RING_TYPE_OFFSET), view, SeatProtocol.RING_MESSAGE_OFFSET,
                    frame.length - SeatProtocol.RING_MESSAGE_OFFSET);
                return true;
            }
            catch (final IOException ex)
            {
                // The link ended (or broke): the loop ends, and run() says LOST.
                throw new IllegalStateException("the link to the pool at " + link.peer() + " ended: " + ex, ex);
            }
            finally
            {
                receiving.unlock();
            }
        }
    }

    /** The first use of a class in this worker: compares its class file with the pool's. */
    private void checkClass(final String name, final Class<?> loaded)
    {
        if (loaded != null && !ClassDigests.compared(loaded))
        {
            return;
        }
        final byte[] answer = askPool(name);
        final byte verdict = answer[SeatProtocol.ANSWER_VERDICT_OFFSET];
        final String where = "worker on host " + host + " (pid " + ProcessHandle.current().pid() + ")";
        if (loaded == null)
        {
            throw new ClassMismatchException(name, "class " + name + " is not on the class path of the " + where +
                (verdict == SeatProtocol.ABSENT ? " (nor on the pool's)" : "") +
                ": a worker on another host needs the pool's classes");
        }
        if (verdict != SeatProtocol.FOUND)
        {
            return;
        }
        final byte[] poolDigest = Arrays.copyOfRange(answer, SeatProtocol.ANSWER_DIGEST_OFFSET,
            SeatProtocol.ANSWER_DIGEST_OFFSET + SeatProtocol.DIGEST_LENGTH);
        final byte[] ownDigest = ClassDigests.of(loaded.getClassLoader(), name);
        if (ownDigest != null && !Arrays.equals(ownDigest, poolDigest))
        {
            throw new ClassMismatchException(name, "class " + name + " differs between the pool (class file sha-256 " +
                ClassDigests.hex(poolDigest) + "...) and the " + where + " (" + ClassDigests.hex(ownDigest) +
                "...): run the same version of it on both hosts");
        }
    }

    private byte[] askPool(final String name)
    {
        try
        {
            link.send(SeatProtocol.text(SeatProtocol.CLASS_QUERY, name));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
            byte[] answer;
            while ((answer = answers.remove(name)) == null)
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    throw new IllegalStateException("the pool at " + link.peer() + " did not answer about class " +
                        name + " within " + ANSWER_TIMEOUT_SECONDS + " s");
                }
                receiving.lock();
                try
                {
                    if (!answers.containsKey(name))
                    {
                        pump(Math.min(RECEIVE_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                    }
                }
                finally
                {
                    receiving.unlock();
                }
            }
            return answer;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot ask the pool at " + link.peer() + " about class " + name + ": " +
                (linkEnded ? "the link ended" : ex.toString()), ex);
        }
    }

    /** The worker's results go straight onto the link, from the worker's thread. */
    private final class LinkResults implements WorkerLoop.Results
    {
        @Override
        public void send(final int type, final DirectBuffer buffer, final int length)
        {
            final byte[] frame = new byte[SeatProtocol.RING_MESSAGE_OFFSET + length];
            final UnsafeBuffer view = new UnsafeBuffer(frame);
            view.putByte(SeatProtocol.KIND_OFFSET, SeatProtocol.RING);
            view.putInt(SeatProtocol.RING_TYPE_OFFSET, type);
            buffer.getBytes(0, frame, SeatProtocol.RING_MESSAGE_OFFSET, length);
            try
            {
                link.send(frame);
            }
            catch (final IOException ex)
            {
                // The link ended: the pool has given up on this worker (and fails or re-queues its tasks).
                throw new IllegalStateException("the link to the pool at " + link.peer() + " ended: " + ex, ex);
            }
        }
    }

    /** This host's name as the pool's messages give it: the kernel's, else the JDK's, else "unknown". Read once. */
    static String hostName()
    {
        return HostName.NAME;
    }

    /** The host's name, looked up on first use (a failure message of a local worker may ask for it too). */
    private static final class HostName
    {
        static final String NAME = lookUp();

        private static String lookUp()
        {
            try
            {
                final Path kernel = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(kernel))
                {
                    final String name = new String(Files.readAllBytes(kernel), StandardCharsets.UTF_8).trim();
                    if (!name.isEmpty())
                    {
                        return name;
                    }
                }
                return InetAddress.getLocalHost().getHostName();
            }
            catch (final IOException ex)
            {
                return "unknown";
            }
        }
    }
}
