package dev.ipckit.pool;

import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.PlainValues;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.process.StartMethod;
import dev.ipckit.process.internal.LambdaPrelink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker JVMs, Python's {@code multiprocessing.Pool} as a Java {@link java.util.concurrent.ExecutorService}:
 * {@link #map}, {@link #imap}, {@link #imapUnordered}, {@link #starmap}, {@link #apply}, {@link #applyAsync} and
 * {@link #mapAsync}, besides {@code submit}, {@code invokeAll}, {@code invokeAny} and the shutdown methods.
 * <p>
 * Tasks are serializable lambdas ({@link SerializableCallable}, {@link TaskFunction}, {@link StarFunction}); they go
 * to the workers with Java serialization through two Agrona ring buffers per worker in a shared region (no Chronicle
 * journal, so a worker starts in about 0.1 s), and so do their results. Items, arguments and results of the common
 * types (Integer, Long, Double, Boolean, String, byte[], null) travel in a few bytes each, anything else with Java
 * serialization.
 * <p>
 * <b>Functions are kept.</b> A {@link TaskFunction} (of {@code map}, {@code imap}, {@code apply(function, argument)})
 * is serialized on every call, but each worker deserializes a given function only once: it keeps the last 16 it has
 * read and reuses one when the same bytes arrive again. State a function changes in a worker therefore stays there
 * for its later calls in that worker, as a Python worker's module globals do; pass what varies as the argument. A
 * {@link SerializableCallable} task is read afresh for each run.
 * <p>
 * <b>Errors.</b> A task's exception reaches the caller as the cause of the {@link ExecutionException} (or of the
 * {@link TaskFailedException} an iterator throws) with its own type, message and remote stack trace, and the remote
 * stack trace as text in its cause. A result that cannot be serialized fails that task; the worker goes on.
 * <p>
 * <b>Worker death.</b> When a worker process dies (SIGKILL, {@code System.exit}, out of memory), the task it was
 * running fails with a {@link WorkerDiedException} naming the worker and its exit code or signal, the tasks it had
 * not started go back to the queue, and a new worker takes its place: nothing hangs (Python's Pool does). A task
 * given a timeout ({@link #applyAsync(SerializableCallable, long, TimeUnit)}) that runs longer is cancelled by
 * killing its worker, which is replaced; the task fails with a {@link TimeoutException}.
 * <p>
 * <b>Cancellation.</b> {@code cancel(true)} on a task's future stops a running task the same way: its worker is
 * killed and replaced (a JVM cannot interrupt a thread of another JVM), and the tasks handed to that worker ahead of
 * time go back to the queue. {@code cancel(false)} lets a running task finish and drops its result. A cancelled task
 * not yet handed to a worker never runs.
 * <p>
 * <b>Lifetime.</b> {@link #shutdown()} (Python's {@code close()}) lets queued tasks finish, then stops the workers;
 * {@link #shutdownNow()} ({@code terminate()}) kills them at once; {@link #close()} is shutdown plus waiting.
 */
public final class ProcessPool extends AbstractExecutorService implements AutoCloseable
{
    // Why this class is long (about 970 lines): it is Python's Pool API and an ExecutorService (36 public members,
    // each a few lines of delegation under its javadoc). The machinery lives apart: PoolDispatcher (the thread),
    // DispatchPolicy (the scheduling), ChunkFeed and ChunkResults (imap's lazy chunks), PoolIterator, WorkerJvm.

    private static final long REGION_OVERHEAD = 64 << 10;
    /** A map's chunks wake the dispatcher once every this many chunks, not each (the first per worker do). */
    private static final int WAKE_BATCH = 64;
    /** Chunks {@code imap} keeps sent ahead of the results taken, per worker, when it reads its input lazily. */
    static final int CHUNKS_AHEAD_PER_WORKER = 16;
    /** While map waits for its last chunk, how often it looks for a failure earlier in the items. */
    private static final long MAP_FAILURE_CHECK_MILLIS = 10;

    private final String name;
    private final PoolOptions options;
    private final PoolDispatcher dispatcher;
    /** Given to every job's future, so cancel(true) wakes the dispatcher and get() helps it: one object. */
    private final Job.Helper helper;
    private final AtomicLong ids = new AtomicLong();

    private ProcessPool(final PoolOptions options)
    {
        this.name = options.name();
        this.options = options;
        if (options.slots() == 0)
        {
            throw new IllegalArgumentException("pool '" + name + "' has no workers: withWorkers(0) needs remote " +
                "worker seats (PoolOptions.withRemoteWorkers)");
        }
        final long length = (long)options.slots() * PoolLayout.slotLength(options.ringCapacity()) + REGION_OVERHEAD;
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("pool '" + name + "': " + options.slots() + " workers with rings of " +
                options.ringCapacity() + " bytes need " + length + " bytes of shared memory, more than a region holds");
        }
        final SharedRegion region = SharedRegion.create(
            "pool-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8), length,
            options.directory() == null ? RegionOptions.defaults() :
                RegionOptions.defaults().withDirectory(options.directory()));
        final ClassLoader creators = Thread.currentThread().getContextClassLoader();
        this.dispatcher = new PoolDispatcher(name, options, region,
            creators != null ? creators : ProcessPool.class.getClassLoader());
        this.helper = dispatcher;
        final Thread thread = new Thread(dispatcher, "ipckit-" + name + "-dispatcher");
        thread.setDaemon(true);
        dispatcher.start(thread);
    }

    /**
     * A pool of one worker per CPU.
     *
     * @return the pool; its workers are starting.
     */
    public static ProcessPool create()
    {
        return new ProcessPool(PoolOptions.defaults());
    }

    /**
     * A pool of {@code workers} workers.
     *
     * @param workers at least 1.
     * @return the pool; its workers are starting.
     */
    public static ProcessPool create(final int workers)
    {
        return new ProcessPool(PoolOptions.defaults().withWorkers(workers));
    }

    /**
     * A pool made as the options say.
     *
     * @param options workers, initializer, maxTasksPerChild, rings, wait strategy, JVM options, name.
     * @return the pool; its workers are starting.
     */
    public static ProcessPool create(final PoolOptions options)
    {
        return new ProcessPool(Objects.requireNonNull(options, "options"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Python's methods

    /**
     * Runs a task in a worker and waits for its result, Python's {@code apply}.
     *
     * @param task the task.
     * @param <T>  the result type.
     * @return its result.
     * @throws ExecutionException   when the task failed (the cause is its exception) or its worker died.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <T> T apply(final SerializableCallable<T> task) throws ExecutionException, InterruptedException
    {
        return applyAsync(task).get();
    }

    /**
     * Runs a task in a worker, Python's {@code apply_async}: the future's {@code get(timeout, unit)},
     * {@code thenAccept} (success callback) and {@code exceptionally} (error callback) are Python's
     * {@code get(timeout)}, {@code callback} and {@code error_callback}. A thread waiting in {@code get} or
     * {@code join} first takes the results itself for a moment (see {@code docs/pools.md}), so callbacks run in the
     * pool's dispatcher thread or in a waiting caller's: they should not block.
     *
     * @param task the task.
     * @param <T>  the result type.
     * @return its future.
     */
    public <T> CompletableFuture<T> applyAsync(final SerializableCallable<T> task)
    {
        return applyAsync(task, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs a task in a worker with a time limit: past it the worker is killed and replaced, and the task fails with
     * a {@link TimeoutException}.
     *
     * @param task    the task.
     * @param timeout longest run, measured from the task's start in its worker; 0 for none.
     * @param unit    the timeout's unit.
     * @param <T>     the result type.
     * @return its future.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> applyAsync(final SerializableCallable<T> task, final long timeout, final TimeUnit unit)
    {
        Objects.requireNonNull(task, "task");
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be 0 (none) or more: " + timeout);
        }
        return (CompletableFuture<T>)enqueue(PoolLayout.MSG_TASK, serialize(task, "task"), unit.toNanos(timeout)).future;
    }

    /**
     * Applies a function to one argument in a worker and waits for the result, Python's {@code apply(func, args)}.
     * The cheapest way to run one call: the worker keeps the function (see the class comment) and the argument
     * travels in a few bytes when it is of a common type.
     *
     * @param function the function.
     * @param argument its argument (serializable).
     * @param <T>      the argument type.
     * @param <R>      the result type.
     * @return its result.
     * @throws ExecutionException   when the function threw (the cause is its exception) or its worker died.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <T, R> R apply(final TaskFunction<T, R> function, final T argument)
        throws ExecutionException, InterruptedException
    {
        return applyAsync(function, argument).get();
    }

    /**
     * Applies a function to one argument in a worker, Python's {@code apply_async(func, args)}.
     *
     * @param function the function.
     * @param argument its argument (serializable).
     * @param <T>      the argument type.
     * @param <R>      the result type.
     * @return the result's future.
     */
    public <T, R> CompletableFuture<R> applyAsync(final TaskFunction<T, R> function, final T argument)
    {
        return applyAsync(function, argument, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #applyAsync(TaskFunction, Object)} with a time limit: past it the worker is killed and replaced, and
     * the call fails with a {@link TimeoutException}.
     *
     * @param function the function.
     * @param argument its argument (serializable).
     * @param timeout  longest run, measured from the call's start in its worker; 0 for none.
     * @param unit     the timeout's unit.
     * @param <T>      the argument type.
     * @param <R>      the result type.
     * @return the result's future.
     */
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> applyAsync(
        final TaskFunction<T, R> function, final T argument, final long timeout, final TimeUnit unit)
    {
        Objects.requireNonNull(function, "function");
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be 0 (none) or more: " + timeout);
        }
        final byte[] functionBytes = serialize(function, "function");
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(Integer.BYTES + functionBytes.length + 64);
        final int argumentOffset = putFunction(buffer, functionBytes);
        final int end;
        try
        {
            end = PlainValues.write(buffer, argumentOffset, argument);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("pool '" + name + "': the argument: " + ex.getMessage(), ex);
        }
        final byte[] payload = new byte[end];
        buffer.getBytes(0, payload);
        return (CompletableFuture<R>)enqueue(PoolLayout.MSG_CALL, payload, unit.toNanos(timeout)).future;
    }

    /**
     * Applies {@code function} to every item in the workers and returns the results in the items' order, Python's
     * {@code map} with its default chunking (about four chunks per worker).
     *
     * @param function the function.
     * @param items    the items (serializable).
     * @param <T>      the item type.
     * @param <R>      the result type.
     * @return the results.
     * @throws ExecutionException   when a task failed (the first failure in item order) or its worker died.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <T, R> List<R> map(final TaskFunction<T, R> function, final Collection<? extends T> items)
        throws ExecutionException, InterruptedException
    {
        return map(function, items, defaultChunkSize(items.size()));
    }

    /**
     * As {@link #map(TaskFunction, Collection)}, in chunks of {@code chunkSize} items per task.
     *
     * @param function  the function.
     * @param items     the items.
     * @param chunkSize items per task, at least 1.
     * @param <T>       the item type.
     * @param <R>       the result type.
     * @return the results.
     * @throws ExecutionException   when a task failed or its worker died.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <T, R> List<R> map(final TaskFunction<T, R> function, final Collection<? extends T> items, final int chunkSize)
        throws ExecutionException, InterruptedException
    {
        final List<CompletableFuture<Object>> chunks = submitChunks(function, items, chunkSize);
        final List<R> results = new ArrayList<>(items.size());
        int collected = 0;
        while (true)
        {
            while (collected < chunks.size() && chunks.get(collected).isDone())
            {
                addChunkResults(chunks.get(collected++), results);
            }
            if (collected == chunks.size())
            {
                return results;
            }
            // Waiting for the last chunk, not the next one: with small chunks the caller would otherwise park and
            // be unparked by the dispatcher once per chunk. The time limit lets a failure earlier in the items
            // surface without waiting for the rest.
            final CompletableFuture<Object> last = chunks.get(chunks.size() - 1);
            final CompletableFuture<Object> target = last.isDone() ? chunks.get(collected) : last;
            try
            {
                target.get(MAP_FAILURE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException | ExecutionException | CancellationException ignore)
            {
                // Collected (and thrown) in item order above.
            }
        }
    }

    private static <R> void addChunkResults(final CompletableFuture<Object> chunk, final List<R> results)
        throws ExecutionException, InterruptedException
    {
        final PoolDispatcher.ChunkOutcome outcome;
        try
        {
            outcome = (PoolDispatcher.ChunkOutcome)chunk.get();
        }
        catch (final ExecutionException ex)
        {
            throw new ExecutionException("a task of the pool failed: " + ex.getCause(), ex.getCause());
        }
        catch (final CancellationException ex)
        {
            throw new ExecutionException("a task of the pool was cancelled", ex);
        }
        for (final Object result : outcome.results())
        {
            results.add(cast(result));
        }
        if (outcome.failure() != null)
        {
            throw new ExecutionException("a task of the pool failed: " + outcome.failure(), outcome.failure());
        }
    }

    /**
     * As {@link #map(TaskFunction, Collection)} without waiting, Python's {@code map_async}.
     *
     * @param function the function.
     * @param items    the items.
     * @param <T>      the item type.
     * @param <R>      the result type.
     * @return a future of the results in the items' order.
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(final TaskFunction<T, R> function, final Collection<? extends T> items)
    {
        final List<CompletableFuture<Object>> chunks = submitChunks(function, items, defaultChunkSize(items.size()));
        return CompletableFuture.allOf(chunks.toArray(new CompletableFuture<?>[0])).thenApply(done ->
        {
            final List<R> results = new ArrayList<>(items.size());
            for (final CompletableFuture<Object> chunk : chunks)
            {
                final PoolDispatcher.ChunkOutcome outcome = (PoolDispatcher.ChunkOutcome)chunk.join();
                for (final Object result : outcome.results())
                {
                    results.add(cast(result));
                }
                if (outcome.failure() != null)
                {
                    throw new CompletionException(outcome.failure());
                }
            }
            return results;
        });
    }

    /**
     * Applies {@code function} to every item and delivers the results in the items' order as they arrive, Python's
     * {@code imap}. A failing item ends the iteration after the results before it.
     * <p>
     * A {@link Collection} is sent whole at once (it is in memory already). Any other {@link Iterable} is read
     * lazily, by the thread that takes the results, at most {@value #CHUNKS_AHEAD_PER_WORKER} chunks per worker
     * ahead of them: an endless input works. If reading the input throws, or an item cannot be encoded,
     * {@code next()} throws that exception after the results of the items before it, and the iteration ends.
     * Items not yet read when the pool is shut down are not sent: {@code next()} throws a
     * {@link RejectedExecutionException} after the results of those that were.
     *
     * @param function  the function.
     * @param items     the items.
     * @param chunkSize items per task, at least 1.
     * @param <T>       the item type.
     * @param <R>       the result type.
     * @return the results, lazily.
     */
    public <T, R> PoolIterator<R> imap(final TaskFunction<T, R> function, final Iterable<? extends T> items,
        final int chunkSize)
    {
        return ChunkResults.ordered(feed(function, items, chunkSize), chunkSender(), window(items));
    }

    /**
     * As {@link #imap} with chunks of one item.
     *
     * @param function the function.
     * @param items    the items.
     * @param <T>      the item type.
     * @param <R>      the result type.
     * @return the results, lazily, in order.
     */
    public <T, R> PoolIterator<R> imap(final TaskFunction<T, R> function, final Iterable<? extends T> items)
    {
        return imap(function, items, 1);
    }

    /**
     * As {@link #imap}, delivering each chunk's results as soon as it completes, Python's {@code imap_unordered}.
     * The input is read as {@link #imap(TaskFunction, Iterable, int)} reads it.
     *
     * @param function  the function.
     * @param items     the items.
     * @param chunkSize items per task, at least 1.
     * @param <T>       the item type.
     * @param <R>       the result type.
     * @return the results, lazily, in completion order.
     */
    public <T, R> PoolIterator<R> imapUnordered(final TaskFunction<T, R> function, final Iterable<? extends T> items,
        final int chunkSize)
    {
        return ChunkResults.unordered(feed(function, items, chunkSize), chunkSender(), window(items));
    }

    /**
     * Applies {@code function} to each argument list, Python's {@code starmap}.
     *
     * @param function      the function of several arguments.
     * @param argumentLists one array of arguments per call.
     * @param <R>           the result type.
     * @return the results in order.
     * @throws ExecutionException   when a call failed or its worker died.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <R> List<R> starmap(final StarFunction<R> function, final Collection<Object[]> argumentLists)
        throws ExecutionException, InterruptedException
    {
        Objects.requireNonNull(function, "function");
        final TaskFunction<Object[], R> spread = args -> function.apply(args);
        return map(spread, argumentLists);
    }

    /**
     * @return the pids of the live workers.
     */
    public List<Long> workerPids()
    {
        return dispatcher.workerPids();
    }

    /** Workers asleep on their doorbell now (idle past their wait's spins and yields); for tests. */
    int sleepingWorkers()
    {
        return dispatcher.sleepingWorkers();
    }

    /**
     * @return the number of workers the pool starts on this host (its remote seats not counted).
     */
    public int size()
    {
        return options.workers();
    }

    /**
     * @return how many workers from other hosts sit in the pool's remote seats now.
     */
    public int remoteWorkerCount()
    {
        return dispatcher.remoteWorkerCount();
    }

    /**
     * @return how many workers from other hosts the pool can seat ({@link PoolOptions#withRemoteWorkers}).
     */
    public int remoteWorkerSeats()
    {
        return options.remoteWorkers();
    }

    /**
     * Seats a worker that joins over {@code link} ({@link JoinedWorker#run} at its other end): it gets the pool's
     * initializer and terms, then tasks alongside the pool's own workers. Transports call this (the network's
     * {@code dev.ipckit.net.PoolServer} for each authenticated connection); applications use those. When the worker
     * leaves, dies or is cut off, the task it was running fails with a {@link WorkerDiedException} naming its host and
     * pid, the tasks sent ahead to it go back to the queue, and its seat is free for the next.
     *
     * @param link a link to a worker that is about to say HELLO.
     * @throws IllegalStateException when no seat is free ({@link PoolOptions#withRemoteWorkers}), the pool is shut
     *                               down, or the worker speaks another protocol; the worker is told why and the link
     *                               closed.
     * @throws IOException           when the link failed, or no HELLO came within 10 s.
     * @throws InterruptedException  when interrupted while waiting for the HELLO.
     */
    public void acceptWorker(final WorkerLink link) throws IOException, InterruptedException
    {
        dispatcher.acceptWorker(Objects.requireNonNull(link, "link"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ExecutorService

    /**
     * Runs a serializable task in a worker.
     *
     * @param task the task.
     * @param <T>  its result type.
     * @return its future.
     */
    public <T> CompletableFuture<T> submit(final SerializableCallable<T> task)
    {
        return applyAsync(task);
    }

    /**
     * Runs a serializable task in a worker.
     *
     * @param task the task.
     * @return its future, completed with null.
     */
    public CompletableFuture<?> submit(final SerializableRunnable task)
    {
        Objects.requireNonNull(task, "task");
        return applyAsync(() ->
        {
            task.run();
            return null;
        });
    }

    /**
     * Runs a task in a worker; it must be {@link Serializable} (a lambda typed as {@link SerializableCallable}).
     *
     * @throws IllegalArgumentException when the task is not serializable.
     */
    @Override
    public <T> CompletableFuture<T> submit(final Callable<T> task)
    {
        return applyAsync(serializable(task));
    }

    @Override
    public CompletableFuture<?> submit(final Runnable task)
    {
        return submit(serializable(task));
    }

    @Override
    public <T> CompletableFuture<T> submit(final Runnable task, final T result)
    {
        final SerializableRunnable runnable = serializable(task);
        final Serializable value = serializableValue(result);
        @SuppressWarnings("unchecked")
        final SerializableCallable<T> call = () ->
        {
            runnable.run();
            return (T)value;
        };
        return applyAsync(call);
    }

    @Override
    public void execute(final Runnable command)
    {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(final Collection<? extends Callable<T>> tasks) throws InterruptedException
    {
        final List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (final Callable<T> task : tasks)
        {
            futures.add(submit(task));
        }
        for (final Future<T> future : futures)
        {
            try
            {
                future.get();
            }
            catch (final ExecutionException | CancellationException ex)
            {
                // Reported through the future.
            }
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(
        final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (final Callable<T> task : tasks)
        {
            futures.add(submit(task));
        }
        for (final Future<T> future : futures)
        {
            try
            {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException | CancellationException ex)
            {
                // Reported through the future.
            }
            catch (final TimeoutException ex)
            {
                futures.forEach(f -> f.cancel(true));
                break;
            }
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException
    {
        try
        {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("no deadline, yet timed out", ex);
        }
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        if (tasks.isEmpty())
        {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        final LinkedBlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        final List<CompletableFuture<T>> futures = new ArrayList<>(tasks.size());
        for (final Callable<T> task : tasks)
        {
            final CompletableFuture<T> future = submit(task);
            futures.add(future);
            future.whenComplete((value, failure) -> done.add(future));
        }
        final long deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(timeout);
        ExecutionException last = null;
        try
        {
            for (int i = 0; i < futures.size(); i++)
            {
                final CompletableFuture<T> next = deadline == Long.MAX_VALUE ? done.take() :
                    done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null)
                {
                    throw new TimeoutException("no task of invokeAny completed in time");
                }
                try
                {
                    return next.get();
                }
                catch (final ExecutionException ex)
                {
                    last = ex;
                }
                catch (final CancellationException ex)
                {
                    last = new ExecutionException(ex);
                }
            }
            throw last;
        }
        finally
        {
            futures.forEach(f -> f.cancel(true));
        }
    }

    /**
     * No new tasks; queued and running ones finish, then the workers stop (Python's {@code close()}).
     */
    @Override
    public void shutdown()
    {
        synchronized (dispatcher)
        {
            if (dispatcher.state == PoolDispatcher.RUNNING)
            {
                dispatcher.state = PoolDispatcher.SHUTDOWN;
            }
        }
        dispatcher.wake();
    }

    /**
     * Kills the workers now (Python's {@code terminate()}): running tasks fail with a
     * {@link CancellationException}; the queued ones are returned, each as a runnable that runs it in this JVM.
     *
     * @return the tasks that never started.
     */
    @Override
    public List<Runnable> shutdownNow()
    {
        final List<Runnable> never = new ArrayList<>();
        synchronized (dispatcher)
        {
            if (dispatcher.state < PoolDispatcher.STOPPED)
            {
                dispatcher.state = PoolDispatcher.STOPPED;
            }
            Job job;
            while ((job = dispatcher.pending.pollFirst()) != null)
            {
                final Job notStarted = job;
                notStarted.future.completeExceptionally(
                    new CancellationException("pool '" + name + "' was terminated before the task started"));
                never.add(() -> runHere(notStarted));
            }
        }
        dispatcher.wake();
        return never;
    }

    @Override
    public boolean isShutdown()
    {
        return dispatcher.state != PoolDispatcher.RUNNING;
    }

    @Override
    public boolean isTerminated()
    {
        return dispatcher.state == PoolDispatcher.TERMINATED;
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return dispatcher.terminated.await(timeout, unit);
    }

    /**
     * Shuts down and waits until every queued task is done and the workers have stopped (Python's {@code close()}
     * and {@code join()}). Interrupted while it waits, it stops the workers and drops what is queued, as
     * {@link #shutdownNow()} does, then waits for that (the contract of {@code ExecutorService.close()} since Java
     * 19), and returns with the interrupt status set: so a pool whose queued tasks can never run (no worker
     * left, none joining) does not hold its closer for ever.
     */
    @Override
    public void close()
    {
        shutdown();
        boolean interrupted = false;
        while (true)
        {
            try
            {
                dispatcher.terminated.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                if (!interrupted)
                {
                    shutdownNow();
                }
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the workers and waits until the pool has terminated (Python's {@code terminate()}).
     */
    public void terminate()
    {
        shutdownNow();
        close();
    }

    @Override
    public String toString()
    {
        return "ProcessPool{" + name + ", " + options.workers() + " workers, " +
            (options.remoteWorkers() > 0 ? remoteWorkerCount() + "/" + options.remoteWorkers() + " remote, " : "") +
            new String[] {"running", "shut down", "stopping", "terminated"}[dispatcher.state] + "}";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    private byte[] serialize(final Object task, final String what)
    {
        try
        {
            final byte[] bytes = FunctionBytes.encode(task);
            if ((options.jvm().startMethod() != null ? options.jvm().startMethod() : IpcProcess.defaultStartMethod()) ==
                StartMethod.FORKSERVER)
            {
                // Workers started on later spares (replacements, recycled ones) find this lambda linked.
                LambdaPrelink.remember(task);
            }
            return bytes;
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException("pool '" + name + "': the " + what + " captures a " + ex.getMessage() +
                ", which is not serializable (capture only serializable values)", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("pool '" + name + "': the " + what + " cannot be serialized: " + ex, ex);
        }
    }

    private Job enqueue(final int type, final byte[] payload, final long timeoutNanos)
    {
        return enqueue(type, payload, timeoutNanos, true);
    }

    /** Queues a job; {@code wake} false leaves the dispatcher to find it (a batch wakes it at its end). */
    private Job enqueue(final int type, final byte[] payload, final long timeoutNanos, final boolean wake)
    {
        final int limit = options.ringCapacity() / 8 - PoolLayout.TASK_ID_LENGTH;
        if (payload.length > limit)
        {
            throw new IllegalArgumentException("pool '" + name + "': the task is " + payload.length + " bytes " +
                "serialized; the pool carries at most " + limit + " (PoolOptions.withRingCapacity, or smaller chunks)");
        }
        final Job job = new Job(ids.incrementAndGet(), type, payload, timeoutNanos, helper);
        synchronized (dispatcher)
        {
            if (dispatcher.broken != null)
            {
                throw new RejectedExecutionException(dispatcher.broken.getMessage(), dispatcher.broken);
            }
            if (dispatcher.state != PoolDispatcher.RUNNING)
            {
                throw new RejectedExecutionException("pool '" + name + "' is shut down: it takes no new tasks");
            }
            dispatcher.pending.addLast(job);
        }
        if (wake)
        {
            // Handed to a worker from this thread when the dispatcher is not at work; the dispatcher's thread is woken
            // if it parks (not while callers help, who read every result), since nobody else may take this job's
            // result (a caller that only adds a callback).
            dispatcher.dispatchNow();
            dispatcher.wakeForNewJob();
        }
        return job;
    }

    /** Sends every chunk of the items now (map, mapAsync); a problem with an item is thrown here. */
    private <T, R> List<CompletableFuture<Object>> submitChunks(
        final TaskFunction<T, R> function, final Collection<? extends T> items, final int chunkSize)
    {
        final ChunkFeed feed = feed(function, items, chunkSize);
        final ChunkResults.Sender sender = chunkSender();
        final List<CompletableFuture<Object>> chunks = new ArrayList<>();
        try
        {
            byte[] payload;
            while ((payload = feed.nextChunk()) != null)
            {
                chunks.add(sender.send(payload, chunks.size()));
            }
        }
        finally
        {
            sender.wake();
        }
        if (feed.failure() != null)
        {
            throw feed.failure();
        }
        return chunks;
    }

    private <T, R> ChunkFeed feed(final TaskFunction<T, R> function, final Iterable<? extends T> items, final int chunkSize)
    {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunkSize must be at least 1: " + chunkSize);
        }
        // A chunk ends at chunkSize items, or earlier when its message would outgrow a ring's message limit.
        return new ChunkFeed(name, serialize(function, "function"), items.iterator(), chunkSize,
            options.ringCapacity() / 8 - PoolLayout.TASK_ID_LENGTH);
    }

    /** How many chunks imap keeps sent ahead of the results taken: all of a collection, a window of others. */
    private int window(final Iterable<?> items)
    {
        return items instanceof Collection ? Integer.MAX_VALUE : options.slots() * CHUNKS_AHEAD_PER_WORKER;
    }

    private ChunkResults.Sender chunkSender()
    {
        return new ChunkResults.Sender()
        {
            @Override
            public CompletableFuture<Object> send(final byte[] payload, final int index)
            {
                // Chunks wake the dispatcher in batches: one wake per chunk would make this thread pay an unpark (a
                // system call) whenever the dispatcher has caught up and parked. The dispatcher finds the others
                // while it polls for results, and the batch's last wake comes from wake().
                final boolean wake = index < options.slots() || index % WAKE_BATCH == 0;
                return enqueue(PoolLayout.MSG_CHUNK, payload, 0, wake).future;
            }

            @Override
            public void wake()
            {
                dispatcher.wake();
            }
        };
    }

    /** Writes a CALL or CHUNK message's function at the start of {@code buffer}; returns the offset after it. */
    static int putFunction(final ExpandableArrayBuffer buffer, final byte[] functionBytes)
    {
        buffer.putInt(0, functionBytes.length);
        buffer.putBytes(Integer.BYTES, functionBytes);
        return Integer.BYTES + functionBytes.length;
    }

    /** Python's rule: about four chunks per worker. */
    private int defaultChunkSize(final int items)
    {
        final int chunks = options.slots() * 4;
        return Math.max(1, (items + chunks - 1) / chunks);
    }

    /** Runs a job that never reached a worker in this JVM (the runnables shutdownNow returns). */
    @SuppressWarnings("unchecked")
    private static void runHere(final Job job)
    {
        try
        {
            if (job.type == PoolLayout.MSG_TASK)
            {
                ((SerializableCallable<?>)new FunctionBytes.Reader(null).read(job.payload, 0, job.payload.length)).call();
                return;
            }
            final UnsafeBuffer in = new UnsafeBuffer(job.payload);
            final int functionLength = in.getInt(0);
            final TaskFunction<Object, Object> function =
                (TaskFunction<Object, Object>)new FunctionBytes.Reader(null).read(job.payload, Integer.BYTES, functionLength);
            final PlainValues.Reader arguments = new PlainValues.Reader().wrap(in, Integer.BYTES + functionLength);
            final int count = job.type == PoolLayout.MSG_CALL ? 1 : arguments.readInt();
            for (int i = 0; i < count; i++)
            {
                function.apply(arguments.read());
            }
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("a task returned by shutdownNow failed when run here: " + ex, ex);
        }
    }

    private static <T> SerializableCallable<T> serializable(final Callable<T> task)
    {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableCallable)
        {
            return (SerializableCallable<T>)task;
        }
        if (!(task instanceof Serializable))
        {
            throw new IllegalArgumentException("a pool task must be Serializable to reach a worker process: " +
                task.getClass().getName() + " is not (type the lambda as SerializableCallable)");
        }
        final Callable<T> serializableTask = task;
        return serializableTask::call;
    }

    private static SerializableRunnable serializable(final Runnable task)
    {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableRunnable)
        {
            return (SerializableRunnable)task;
        }
        if (!(task instanceof Serializable))
        {
            throw new IllegalArgumentException("a pool task must be Serializable to reach a worker process: " +
                task.getClass().getName() + " is not (type the lambda as SerializableRunnable)");
        }
        final Runnable serializableTask = task;
        return serializableTask::run;
    }

    private static Serializable serializableValue(final Object value)
    {
        if (value != null && !(value instanceof Serializable))
        {
            throw new IllegalArgumentException("the result value " + value.getClass().getName() + " is not Serializable");
        }
        return (Serializable)value;
    }

    @SuppressWarnings("unchecked")
    private static <R> R cast(final Object value)
    {
        return (R)value;
    }
}
