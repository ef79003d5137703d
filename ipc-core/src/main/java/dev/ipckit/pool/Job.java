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
    final CompletableFuture<Object> future;
    /** Longest run in a worker, 0 for none; past it the worker is killed and replaced. */
    final long timeoutNanos;
    /** When the job's current run must end; set when it reaches the head of its worker's queue. */
    long deadlineNanos;
    boolean timedOut;

    Job(final long id, final int type, final byte[] payload, final long timeoutNanos)
    {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.future = new CompletableFuture<>();
        this.timeoutNanos = timeoutNanos;
    }
}
