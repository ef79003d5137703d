package dev.ipckit.pool;

import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How {@code imap} and {@code imapUnordered} read an input that is not a collection, with real worker JVMs: lazily,
 * a window ahead of the results taken, so an endless input works, and the input's own failure comes out of
 * {@code next()} after the results of the items before it, as in Python.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImapInputTest
{
    private static final String[] WORKER_JVM = ChildJvms.SMALL;
    private static final int WORKERS = 2;
    /** The most items imap may have read beyond the results taken, with chunks of {@code chunkSize}. */
    private static final int WINDOW_CHUNKS = WORKERS * ProcessPool.CHUNKS_AHEAD_PER_WORKER;

    private final ProcessPool pool =
        ProcessPool.create(PoolOptions.defaults().withWorkers(WORKERS).withJvmOptions(WORKER_JVM));

    @AfterEach
    void terminate()
    {
        pool.terminate();
    }

    @Test
    void anEndlessInputIsReadAWindowAheadOfTheResultsTaken() throws Exception
    {
        final Counting endless = new Counting(Long.MAX_VALUE, -1);
        final PoolIterator<Long> doubled = pool.imap((Long i) -> i * 2, () -> endless, 3);
        for (long i = 0; i < 1_000; i++)
        {
            assertEquals(i * 2, doubled.next(60, TimeUnit.SECONDS));
            assertTrue(endless.read.get() <= i + 1 + (WINDOW_CHUNKS + 1) * 3L,
                "read " + endless.read.get() + " items for " + (i + 1) + " results");
        }
        assertTrue(doubled.hasNext());

        final Counting alsoEndless = new Counting(Long.MAX_VALUE, -1);
        final PoolIterator<Long> unordered = pool.imapUnordered((Long i) -> i + 1, () -> alsoEndless, 1);
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 500; i++)
        {
            assertTrue(seen.add(unordered.next(60, TimeUnit.SECONDS)), "each result once");
        }
        assertTrue(alsoEndless.read.get() <= 500 + WINDOW_CHUNKS + 1, "read " + alsoEndless.read.get());
        for (final long result : seen)
        {
            assertTrue(result >= 1 && result <= alsoEndless.read.get(), "a result of an item read: " + result);
        }
    }

    @Test
    void anInputThatThrowsAtItemKGivesTheResultsBeforeItThenItsException() throws Exception
    {
        for (final int chunkSize : new int[]{1, 3, 100})
        {
            final PoolIterator<Long> results = pool.imap((Long i) -> i * 10, () -> new Counting(100, 7), chunkSize);
            for (long i = 0; i < 7; i++)
            {
                assertEquals(i * 10, results.next(60, TimeUnit.SECONDS), "chunks of " + chunkSize);
            }
            final IllegalStateException inputFailure = assertThrows(IllegalStateException.class, results::next);
            assertEquals("the input broke at item 7", inputFailure.getMessage());
            assertFalse(results.hasNext(), "the input's failure ends the iteration");
            assertThrows(NoSuchElementException.class, results::next);
        }

        final Set<Long> unordered = new HashSet<>();
        final PoolIterator<Long> results = pool.imapUnordered((Long i) -> i, () -> new Counting(100, 5), 2);
        final IllegalStateException inputFailure = assertThrows(IllegalStateException.class, () ->
        {
            while (true)
            {
                unordered.add(results.next(60, TimeUnit.SECONDS));
            }
        });
        assertEquals("the input broke at item 5", inputFailure.getMessage());
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), unordered, "every result before the failure, in any order");
    }

    @Test
    void anItemThatCannotBeEncodedFailsNextAfterTheResultsBeforeIt() throws Exception
    {
        final Iterable<Object> items = () -> new Iterator<>()
        {
            private int next;

            @Override
            public boolean hasNext()
            {
                return next < 10;
            }

            @Override
            public Object next()
            {
                return next++ == 4 ? new Object() : (Object)Integer.valueOf(next - 1);
            }
        };
        final PoolIterator<Object> results = pool.imap((Object x) -> x, items, 1);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(i, results.next(60, TimeUnit.SECONDS));
        }
        final IllegalArgumentException unencodable = assertThrows(IllegalArgumentException.class, results::next);
        assertTrue(unencodable.getMessage().contains("item 4 of the map"), unencodable.getMessage());
        assertFalse(results.hasNext());
    }

    @Test
    void itemsNotYetReadWhenThePoolShutsDownAreNotSentAndNextSaysSo() throws Exception
    {
        final Counting endless = new Counting(Long.MAX_VALUE, -1);
        final PoolIterator<Long> results = pool.imap((Long i) -> i, () -> endless, 1);
        assertEquals(0L, results.next(60, TimeUnit.SECONDS));
        pool.shutdown();
        long expected = 1;
        while (true)
        {
            final Long result;
            try
            {
                result = results.next(60, TimeUnit.SECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                assertTrue(ex.getMessage().contains("imap could not send the rest of its items"), ex.getMessage());
                break;
            }
            assertEquals(expected++, result, "the items sent before the shutdown all give their results");
        }
        assertTrue(expected <= 2 + WINDOW_CHUNKS, "results after the shutdown: " + expected);
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the pool finished what was sent, then stopped");
    }

    /** 0, 1, 2, ... up to {@code end}; throws at {@code failAt} (never when negative); counts what it gave. */
    private static final class Counting implements Iterator<Long>
    {
        final AtomicLong read = new AtomicLong();
        private final long end;
        private final long failAt;

        Counting(final long end, final long failAt)
        {
            this.end = end;
            this.failAt = failAt;
        }

        @Override
        public boolean hasNext()
        {
            return read.get() < end;
        }

        @Override
        public Long next()
        {
            final long item = read.get();
            if (item == failAt)
            {
                throw new IllegalStateException("the input broke at item " + item);
            }
            return read.getAndIncrement();
        }
    }
}
