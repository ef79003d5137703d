package dev.ipckit.pool;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@code imap} and {@code imapUnordered}: sends the chunks a {@link ChunkFeed} reads, at most
 * {@code window} of them ahead of the results consumed, and hands out their results. The feed is read by the thread
 * that consumes the results, in {@link #next(long, TimeUnit)} and {@link #hasNext()}: an endless input costs a
 * window of chunks, not the heap. A problem with the input (its exception, an item that cannot be encoded, the pool
 * refusing a chunk once shut down) comes out of {@code next()} after the results of the items before it, and ends
 * the iteration.
 * <p>
 * Not thread safe, as iterators are not.
 *
 * @param <R> the result type.
 */
abstract class ChunkResults<R> implements PoolIterator<R>
{
    /** Sends one chunk to the pool. */
    interface Sender
    {
        /**
         * Queues a chunk.
         *
         * @param payload the CHUNK message.
         * @param index   how many chunks this iteration sent before it.
         * @return the chunk's future outcome ({@link PoolDispatcher.ChunkOutcome}).
         */
        CompletableFuture<Object> send(byte[] payload, int index);

        /** Wakes the dispatcher after a batch of {@link #send}s. */
        void wake();
    }

    private final ChunkFeed feed;
    private final Sender sender;
    private final int window;
    private int chunksSent;
    private boolean inputFailureDelivered;

    private Object[] current = new Object[0];
    private int position;
    /** A task failure found with the last chunk's results, thrown after them. */
    private Throwable pendingFailure;

    ChunkResults(final ChunkFeed feed, final Sender sender, final int window)
    {
        this.feed = feed;
        this.sender = sender;
        this.window = window;
    }

    /** The iterator over results in the items' order, Python's {@code imap}. */
    static <R> ChunkResults<R> ordered(final ChunkFeed feed, final Sender sender, final int window)
    {
        final ChunkResults<R> results = new Ordered<>(feed, sender, window);
        results.topUp();
        return results;
    }

    /** The iterator over results in the order chunks complete, Python's {@code imap_unordered}. */
    static <R> ChunkResults<R> unordered(final ChunkFeed feed, final Sender sender, final int window)
    {
        final ChunkResults<R> results = new Unordered<>(feed, sender, window);
        results.topUp();
        return results;
    }

    /** Chunks sent whose results have not been taken. */
    abstract int outstanding();

    /** Keeps a chunk just sent. */
    abstract void sent(CompletableFuture<Object> chunk);

    /**
     * Waits for the next chunk's outcome.
     *
     * @return the outcome; null when no chunk is outstanding.
     */
    abstract PoolDispatcher.ChunkOutcome nextOutcome(long timeout, TimeUnit unit)
        throws TimeoutException, InterruptedException, ExecutionException;

    @Override
    public final boolean hasNext()
    {
        if (position < current.length || pendingFailure != null || outstanding() > 0)
        {
            return true;
        }
        final boolean more = feed.hasMoreItems();
        return more || (feed.failure() != null && !inputFailureDelivered);
    }

    @Override
    public final R next()
    {
        try
        {
            return next(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("no deadline, yet timed out", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("interrupted while waiting for a result", ex);
        }
    }

    @Override
    public final R next(final long timeout, final TimeUnit unit) throws TimeoutException, InterruptedException
    {
        while (position >= current.length)
        {
            if (pendingFailure != null)
            {
                final Throwable failure = pendingFailure;
                pendingFailure = null;
                throw new TaskFailedException("a task of the pool failed: " + failure, failure);
            }
            topUp();
            final PoolDispatcher.ChunkOutcome outcome;
            try
            {
                outcome = nextOutcome(timeout, unit);
            }
            catch (final ExecutionException ex)
            {
                throw new TaskFailedException("a task of the pool failed: " + ex.getCause(), ex.getCause());
            }
            catch (final CancellationException ex)
            {
                throw new TaskFailedException("a task of the pool was cancelled", ex);
            }
            if (outcome == null)
            {
                final RuntimeException inputFailure = feed.failure();
                if (inputFailure != null && !inputFailureDelivered)
                {
                    inputFailureDelivered = true;
                    throw inputFailure;
                }
                throw new NoSuchElementException("no more results");
            }
            current = outcome.results();
            position = 0;
            pendingFailure = outcome.failure();
        }
        return cast(current[position++]);
    }

    /** Reads and sends chunks until {@code window} are outstanding or the input ends. */
    private void topUp()
    {
        int sentNow = 0;
        try
        {
            while (outstanding() < window && feed.hasMoreItems())
            {
                final byte[] payload = feed.nextChunk();
                if (payload == null)
                {
                    return;
                }
                final CompletableFuture<Object> chunk;
                try
                {
                    chunk = sender.send(payload, chunksSent);
                }
                catch (final RejectedExecutionException ex)
                {
                    feed.fail(new RejectedExecutionException("imap could not send the rest of its items (" +
                        feed.itemsRead() + " read, the last chunk's included): " + ex.getMessage(), ex));
                    return;
                }
                catch (final IllegalArgumentException ex)
                {
                    feed.fail(ex);
                    return;
                }
                chunksSent++;
                sentNow++;
                sent(chunk);
            }
        }
        finally
        {
            if (sentNow > 0)
            {
                sender.wake();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> R cast(final Object value)
    {
        return (R)value;
    }

    private static PoolDispatcher.ChunkOutcome outcomeOf(final Object value)
    {
        return (PoolDispatcher.ChunkOutcome)value;
    }

    /** Results in the items' order: waits for the oldest chunk. */
    private static final class Ordered<R> extends ChunkResults<R>
    {
        private final ArrayDeque<CompletableFuture<Object>> chunks = new ArrayDeque<>();

        Ordered(final ChunkFeed feed, final Sender sender, final int window)
        {
            super(feed, sender, window);
        }

        @Override
        int outstanding()
        {
            return chunks.size();
        }

        @Override
        void sent(final CompletableFuture<Object> chunk)
        {
            chunks.addLast(chunk);
        }

        @Override
        PoolDispatcher.ChunkOutcome nextOutcome(final long timeout, final TimeUnit unit)
            throws TimeoutException, InterruptedException, ExecutionException
        {
            final CompletableFuture<Object> oldest = chunks.peekFirst();
            if (oldest == null)
            {
                return null;
            }
            try
            {
                // A timeout leaves the chunk first in line: the next call waits for it again.
                final Object outcome = timeout == Long.MAX_VALUE ? oldest.get() : oldest.get(timeout, unit);
                chunks.pollFirst();
                return outcomeOf(outcome);
            }
            catch (final ExecutionException | CancellationException ex)
            {
                chunks.pollFirst();
                throw ex;
            }
        }
    }

    /** Results in the order chunks complete. */
    private static final class Unordered<R> extends ChunkResults<R>
    {
        private final LinkedBlockingQueue<CompletableFuture<Object>> completed = new LinkedBlockingQueue<>();
        private int chunksLeft;

        Unordered(final ChunkFeed feed, final Sender sender, final int window)
        {
            super(feed, sender, window);
        }

        @Override
        int outstanding()
        {
            return chunksLeft;
        }

        @Override
        void sent(final CompletableFuture<Object> chunk)
        {
            chunksLeft++;
            chunk.whenComplete((value, failure) -> completed.add(chunk));
        }

        @Override
        PoolDispatcher.ChunkOutcome nextOutcome(final long timeout, final TimeUnit unit)
            throws TimeoutException, InterruptedException, ExecutionException
        {
            if (chunksLeft == 0)
            {
                return null;
            }
            final CompletableFuture<Object> chunk =
                timeout == Long.MAX_VALUE ? completed.take() : completed.poll(timeout, unit);
            if (chunk == null)
            {
                throw new TimeoutException("no result within " + timeout + " " + unit);
            }
            chunksLeft--;
            try
            {
                return outcomeOf(chunk.join());
            }
            catch (final CompletionException ex)
            {
                throw new ExecutionException(ex.getCause());
            }
        }
    }
}
