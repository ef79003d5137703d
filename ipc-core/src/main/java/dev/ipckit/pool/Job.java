package dev.ipckit.pool;

import dev.ipckit.sync.WaitStrategy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A task on its way through the pool: serialized once, dispatched to one worker at a time, completed once. */
final class Job
{
    final long id;
    /** PoolLayout.MSG_TASK, MSG_CALL or MSG_CHUNK. */
    final int type;
    /** The message after its task id. */
    final byte[] payload;
    final JobFuture future;
    /** Longest run in a worker, 0 for none; past it the worker is killed and replaced. */
    final long timeoutNanos;
    /** When the job's current run must end; set when it reaches the head of its worker's queue. */
    long deadlineNanos;
    boolean timedOut;
    /** Set by the dispatcher when it killed the job's worker because the job was cancelled with interruption. */
    boolean cancelKilled;

    Job(final long id, final int type, final byte[] payload, final long timeoutNanos, final Helper helper)
    {
        this.id = id;
        this.type = type;
        this.payload = payload;
        // A map's chunks stream through the dispatcher's own loop, tuned for throughput: their waiters do not help.
        this.future = new JobFuture(type == PoolLayout.MSG_CHUNK ? Helper.NONE : helper, helper);
        this.timeoutNanos = timeoutNanos;
    }

    /** What a job's future asks of the pool's dispatcher ({@link PoolDispatcher}). */
    interface Helper
    {
        /** For jobs that no dispatcher serves (tests of the dispatch policy). */
        Helper NONE = new Helper()
        {
            @Override
            public void wake()
            {
            }

            @Override
            public void helpUntilDone(final CompletableFuture<?> future, final long deadlineNanos)
            {
            }
        };

        /** Wakes the dispatcher's thread (a cancellation with interruption must reach the worker). */
        void wake();

        /** Reads results and dispatches in the calling thread while it waits for {@code future} (see the dispatcher). */
        void helpUntilDone(CompletableFuture<?> future, long deadlineNanos);
    }

    /**
     * The job's future. {@code cancel(true)} of a running job stops it the only way a JVM task can be stopped from
     * outside: the dispatcher kills its worker and starts another (as for a timeout); {@code cancel(false)} lets it
     * run and drops its result, as {@code FutureTask} does. A job not yet handed to a worker never runs.
     * <p>
     * {@code get} and {@code join} of a task's future first help the dispatcher for up to {@link #HELP_NANOS} (read
     * the results and dispatch in the waiting thread, see {@link PoolDispatcher}), so a short task's result is taken by
     * the thread that waits for it, then wait as any {@code CompletableFuture} does. A map's chunks do not help.
     */
    static final class JobFuture extends CompletableFuture<Object>
    {
        /** How long a waiting thread helps before it parks: the default wait strategy's spin. */
        static final long HELP_NANOS = TimeUnit.MICROSECONDS.toNanos(WaitStrategy.DEFAULT_SPIN_MICROS);

        /** Helps while a thread waits; {@link Helper#NONE} for a map's chunks. */
        private final Helper helper;
        /** Woken by a cancellation with interruption. */
        private final Helper dispatcher;
        /** Written before the cancellation completes the future, read by the dispatcher after it sees it done. */
        private volatile boolean interruptRequested;

        JobFuture(final Helper helper, final Helper dispatcher)
        {
            this.helper = helper;
            this.dispatcher = dispatcher;
        }

        @Override
        public Object get() throws InterruptedException, ExecutionException
        {
            if (!isDone())
            {
                helper.helpUntilDone(this, System.nanoTime() + HELP_NANOS);
            }
            return super.get();
        }

        @Override
        public Object get(final long timeout, final TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException
        {
            if (isDone())
            {
                return super.get(timeout, unit);
            }
            final long start = System.nanoTime();
            final long timeoutNanos = unit.toNanos(timeout);
            helper.helpUntilDone(this, start + Math.min(timeoutNanos, HELP_NANOS));
            return super.get(Math.max(0, timeoutNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        }

        @Override
        public Object join()
        {
            if (!isDone())
            {
                helper.helpUntilDone(this, System.nanoTime() + HELP_NANOS);
            }
            return super.join();
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning)
        {
            if (mayInterruptIfRunning)
            {
                interruptRequested = true;
            }
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && mayInterruptIfRunning)
            {
                dispatcher.wake();
            }
            return cancelled;
        }

        /**
         * @return whether the job was cancelled with interruption, so a worker running it must be stopped.
         */
        boolean interruptRequested()
        {
            return interruptRequested && isCancelled();
        }
    }
}
