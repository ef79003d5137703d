package dev.ipckit;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.process.StartMethod;
import dev.ipckit.queue.SharedQueue;

import java.util.Objects;

/**
 * Python's {@code multiprocessing.get_context(method)}: an object that makes processes and pools with one start
 * method, so that one part of a program can use forkserver and another spawn without touching the global default
 * ({@link IpcProcess#setDefaultStartMethod}).
 * <pre>{@code
 * IpcContext forkserver = IpcContext.of(StartMethod.FORKSERVER);
 * IpcProcess<String> child = forkserver.process(() -> "hello").start();
 * try (ProcessPool pool = forkserver.pool(2)) { ... }
 * }</pre>
 * What a context makes carries the method itself: a pool's workers, their replacements and recycled workers all start
 * with it. Queues do not depend on a start method in ipckit (nothing is inherited through a fork), so
 * {@link #queue()} is {@link SharedQueue#create()}, there for code ported from Python's {@code ctx.Queue()}.
 * Immutable and thread-safe.
 */
public final class IpcContext
{
    private static final IpcContext SPAWN = new IpcContext(StartMethod.SPAWN);
    private static final IpcContext FORKSERVER = new IpcContext(StartMethod.FORKSERVER);

    private final StartMethod startMethod;

    private IpcContext(final StartMethod startMethod)
    {
        this.startMethod = startMethod;
    }

    /**
     * The context of a start method (Python's {@code get_context(method)}).
     *
     * @param method the start method.
     * @return its context.
     */
    public static IpcContext of(final StartMethod method)
    {
        return Objects.requireNonNull(method, "method") == StartMethod.SPAWN ? SPAWN : FORKSERVER;
    }

    /**
     * The context of the default start method now (Python's {@code get_context()}).
     *
     * @return the context of {@link IpcProcess#defaultStartMethod()}.
     */
    public static IpcContext ofDefault()
    {
        return of(IpcProcess.defaultStartMethod());
    }

    /**
     * @return the start method of what this context makes (Python's {@code ctx.get_start_method()}).
     */
    public StartMethod startMethod()
    {
        return startMethod;
    }

    /**
     * A process that runs a callable, with this context's start method (Python's {@code ctx.Process}).
     *
     * @param task what the child runs; it and its result must be serializable.
     * @param <V>  the result type.
     * @return the process, not yet started.
     */
    public <V> IpcProcess<V> process(final SerializableCallable<V> task)
    {
        return IpcProcess.of(task).startMethod(startMethod);
    }

    /**
     * A process that runs a runnable, with this context's start method.
     *
     * @param task what the child runs; must be serializable with everything it captures.
     * @return the process, not yet started.
     */
    public IpcProcess<Void> process(final SerializableRunnable task)
    {
        return IpcProcess.of(task).startMethod(startMethod);
    }

    /**
     * A pool of {@code workers} workers started with this context's method (Python's {@code ctx.Pool(n)}).
     *
     * @param workers at least 1.
     * @return the pool; its workers are starting.
     */
    public ProcessPool pool(final int workers)
    {
        return pool(PoolOptions.defaults().withWorkers(workers));
    }

    /**
     * A pool made as the options say, its workers started with this context's method (whatever start method the
     * options name).
     *
     * @param options the pool's options.
     * @return the pool; its workers are starting.
     */
    public ProcessPool pool(final PoolOptions options)
    {
        return ProcessPool.create(Objects.requireNonNull(options, "options").withStartMethod(startMethod));
    }

    /**
     * A temporary queue of mixed messages: {@link SharedQueue#create()} (Python's {@code ctx.Queue()}).
     *
     * @return the new queue, owned by this process.
     */
    public SharedQueue<Object> queue()
    {
        return SharedQueue.create();
    }

    @Override
    public String toString()
    {
        return "IpcContext{" + startMethod.name().toLowerCase(java.util.Locale.ROOT) + "}";
    }
}
