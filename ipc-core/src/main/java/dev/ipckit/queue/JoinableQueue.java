package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.WaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedQueue} whose consumers report each message done, and whose producers can wait until every message
 * put is done: Python's {@code multiprocessing.JoinableQueue}.
 * <p>
 * {@link #taskDone()} also acknowledges the message the calling thread holds, so a consumer that dies after
 * {@code taskDone} never has its message delivered again. A consumer that dies between its acknowledgement and the
 * count (two stores, nanoseconds apart) leaves one task counted unfinished: {@link #join(long, TimeUnit)} then times
 * out rather than return early.
 *
 * @param <E> the message type.
 */
public final class JoinableQueue<E> extends SharedQueue<E>
{
    private static final long serialVersionUID = 1L;

    JoinableQueue(final QueueParts parts, final Codec<E> codec, final QueueOptions options)
    {
        super(parts, codec, options);
    }

    /**
     * Creates a temporary, unbounded queue of mixed messages ({@link Codecs#standard()}: primitives, strings,
     * byte arrays, buffers, {@code BytesMarshallable}) with a generated name in the default directory: Python's
     * {@code JoinableQueue()}.
     *
     * @return the new queue, owned by this process.
     */
    public static JoinableQueue<Object> create()
    {
        return create(QueueFiles.temporaryName("joinable"), Codecs.standard(), QueueOptions.defaults());
    }

    /**
     * Creates a queue of mixed messages ({@link Codecs#standard()}); fails if one of that name exists.
     *
     * @param name    the queue's name.
     * @param options capacity, persistence, directory, roll cycle, consumer rows, wait strategy.
     * @return the new queue, owned by this process.
     */
    public static JoinableQueue<Object> create(final String name, final QueueOptions options)
    {
        return create(name, Codecs.standard(), options);
    }

    /**
     * Creates a temporary, unbounded joinable queue with a generated name in the default directory.
     *
     * @param codec encodes the messages.
     * @param <E>   the message type.
     * @return the new queue, owned by this process.
     */
    public static <E> JoinableQueue<E> create(final Codec<E> codec)
    {
        return create(QueueFiles.temporaryName("joinable"), codec, QueueOptions.defaults());
    }

    /**
     * Creates a joinable queue; fails if one of that name exists.
     *
     * @param name    the queue's name.
     * @param codec   encodes the messages.
     * @param options capacity, persistence, directory, roll cycle, consumer rows, wait strategy.
     * @param <E>     the message type.
     * @return the new queue, owned by this process.
     */
    public static <E> JoinableQueue<E> create(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new JoinableQueue<>(QueueParts.create(name, options, true), codec, options);
    }

    /**
     * Opens an existing queue as a joinable queue.
     *
     * @param name    the queue's name.
     * @param codec   decodes the messages.
     * @param options directory, wait strategy and open timeout.
     * @param <E>     the message type.
     * @return the queue.
     */
    public static <E> JoinableQueue<E> open(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new JoinableQueue<>(QueueParts.open(QueueFiles.directoryFor(
            options.directory(), name, QueueFiles.QUEUE_SUFFIX), options), codec, options);
    }

    /**
     * Opens the joinable queue, or creates it.
     *
     * @param name    the queue's name.
     * @param codec   encodes the messages.
     * @param options as for {@link #create(String, Codec, QueueOptions)}.
     * @param <E>     the message type.
     * @return the queue.
     */
    public static <E> JoinableQueue<E> openOrCreate(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new JoinableQueue<>(QueueParts.openOrCreate(name, options, true), codec, options);
    }

    /**
     * Reports one taken message done, and acknowledges the message the calling thread holds.
     *
     * @throws IllegalStateException when called more times than messages were taken from the queue.
     */
    public void taskDone()
    {
        currentThreadState().acknowledge();
        control.taskDone(name());
    }

    /**
     * Messages put and not yet reported done, across all processes.
     *
     * @return the count.
     */
    public long unfinishedTasks()
    {
        ensureOpen();
        return control.unfinished();
    }

    /**
     * Waits until every message put so far is reported done; after an immediate
     * {@linkplain #shutdown(boolean) shutdown}, every message taken (the dropped ones are never done).
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void join() throws InterruptedException
    {
        join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits up to the timeout until every message put so far is reported done.
     *
     * @param timeout how long to wait.
     * @param unit    the timeout's unit.
     * @return true when all were done, false when the timeout passed.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        ensureOpen();
        final long timeoutNanos = unit.toNanos(timeout);
        if (control.unfinished() == 0)
        {
            return true;
        }
        final WaitStrategy strategy = options.waitStrategy();
        final TimedWait wait = new TimedWait(strategy.newIdleStrategy(), strategy.isBusySpin())
            .begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, this);
        while (control.unfinished() > 0)
        {
            if (wait.miss() == TimedWait.TIMED_OUT)
            {
                return control.unfinished() == 0;
            }
        }
        return true;
    }
}
