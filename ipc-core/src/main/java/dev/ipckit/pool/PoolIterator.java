package dev.ipckit.pool;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@code imap} / {@code imapUnordered}, delivered as they arrive. {@link #next()} waits for the next
 * result; a failed task ends the iteration with a {@link TaskFailedException} after the results before it.
 *
 * @param <R> the result type.
 */
public interface PoolIterator<R> extends Iterator<R>
{
    /**
     * Waits up to the timeout for the next result, Python's {@code next(timeout)}.
     *
     * @param timeout how long to wait.
     * @param unit    the timeout's unit.
     * @return the result.
     * @throws TimeoutException     when none arrived in time (the iteration can go on).
     * @throws InterruptedException when interrupted while waiting.
     * @throws TaskFailedException  when the task that produced it failed.
     */
    R next(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException;
}
