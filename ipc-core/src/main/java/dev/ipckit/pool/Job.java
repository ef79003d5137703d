package dev.ipckit.pool;

import java.util.concurrent.CompletableFuture;

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

    Job(final long id, final int type, final byte[] payload, final long timeoutNanos, final Runnable wakeDispatcher)
    {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.future = new JobFuture(wakeDispatcher);
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * The job's future. {@code cancel(true)} of a running job stops it the only way a JVM task can be stopped from
     * outside: the dispatcher kills its worker and starts another (as for a timeout); {@code cancel(false)} lets it
     * run and drops its result, as {@code FutureTask} does. A job not yet handed to a worker never runs.
     */
    static final class JobFuture extends CompletableFuture<Object>
    {
        private final Runnable wakeDispatcher;
        /** Written before the cancellation completes the future, read by the dispatcher after it sees it done. */
        private volatile boolean interruptRequested;

        JobFuture(final Runnable wakeDispatcher)
        {
            this.wakeDispatcher = wakeDispatcher;
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
                wakeDispatcher.run();
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
