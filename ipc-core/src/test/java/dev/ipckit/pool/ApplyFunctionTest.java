package dev.ipckit.pool;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * apply(function, argument), the functions a worker keeps and how jobs are handed to workers, with real worker JVMs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApplyFunctionTest
{
    private static final String[] WORKER_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
    private static final TaskFunction<Integer, Integer> INCREMENT = x -> x + 1;

    private ProcessPool pool;
    private SharedRegion signals;

    @TempDir
    Path dir;

    private ProcessPool pool(final int workers)
    {
        pool = ProcessPool.create(PoolOptions.defaults().withWorkers(workers).withJvmOptions(WORKER_JVM));
        return pool;
    }

    private SharedRegion signals()
    {
        if (signals == null)
        {
            signals = SharedRegion.create("signals", 1 << 16, RegionOptions.defaults().withDirectory(dir));
        }
        return signals;
    }

    @AfterEach
    void terminate()
    {
        if (pool != null)
        {
            pool.terminate();
        }
        if (signals != null)
        {
            signals.close();
        }
    }

    /** Returns its counter and counts up: its state shows whether a worker kept it. */
    static final class Counting implements TaskFunction<Object, Integer>, SerializableCallable<Integer>
    {
        private static final long serialVersionUID = 1L;
        int next;

        Counting(final int next)
        {
            this.next = next;
        }

        @Override
        public Integer apply(final Object ignored)
        {
            return next++;
        }

        @Override
        public Integer call()
        {
            return next++;
        }
    }

    /**
     * Threads that submit and wait at once take turns reading results and dispatching (the dispatcher's step lock):
     * every result reaches its own future, whichever thread read it.
     */
    @Test
    void manyThreadsWaitingAtOnceEachGetTheirOwnResults() throws Exception
    {
        final ProcessPool pool = pool(2);
        final int threads = 4;
        final int calls = 2_000;
        final List<CompletableFuture<Void>> callers = new ArrayList<>();
        final java.util.concurrent.ExecutorService threadsOfCallers = java.util.concurrent.Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++)
        {
            final int base = t * calls;
            callers.add(CompletableFuture.runAsync(() ->
            {
                for (int i = base; i < base + calls; i++)
                {
                    try
                    {
                        assertEquals(i + 1, pool.applyAsync(INCREMENT, i).get(60, TimeUnit.SECONDS));
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException("call " + i, ex);
                    }
                }
            }, threadsOfCallers));
        }
        try
        {
            for (final CompletableFuture<Void> caller : callers)
            {
                caller.get(100, TimeUnit.SECONDS);
            }
        }
        finally
        {
            threadsOfCallers.shutdownNow();
        }
    }

    @Test
    void applyRunsTheFunctionOnItsArgumentInAWorkerForEveryKindOfArgument() throws Exception
    {
        final ProcessPool pool = pool(2);
        assertEquals(42, pool.apply(INCREMENT, 41));
        assertEquals(8, pool.applyAsync(INCREMENT, 7).get(60, TimeUnit.SECONDS));
        final long workerPid = pool.apply((Object x) -> ProcessHandle.current().pid(), null);
        assertNotEquals(ProcessHandle.current().pid(), workerPid, "runs in a worker");
        assertEquals("null", pool.apply((Object x) -> String.valueOf(x), null));
        assertEquals("TEXT", pool.apply(String::toUpperCase, "text"));
        assertEquals(6L, pool.apply((Long x) -> x * 2, 3L));
        assertEquals(5.0, pool.apply((Double x) -> x * 2, 2.5));
        assertEquals(3, pool.apply((byte[] x) -> x.length, new byte[3]));
        assertEquals(Duration.ofSeconds(3), pool.apply((Duration d) -> d.multipliedBy(3), Duration.ofSeconds(1)));
        final List<CompletableFuture<Integer>> many = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            many.add(pool.applyAsync(INCREMENT, i));
        }
        for (int i = 0; i < many.size(); i++)
        {
            assertEquals(i + 1, many.get(i).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFunctionsExceptionReachesTheCallerWithItsTypeAndMessage() throws Exception
    {
        final ProcessPool pool = pool(1);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> pool.apply((Integer x) ->
        {
            throw new IllegalArgumentException("bad argument " + x);
        }, 7));
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertEquals("bad argument 7", failure.getCause().getMessage());
        assertEquals(2, pool.apply(INCREMENT, 1), "the worker goes on");
        final IllegalArgumentException notSerializable = assertThrows(IllegalArgumentException.class,
            () -> pool.applyAsync((Object x) -> x, new Object()));
        assertTrue(notSerializable.getMessage().contains("argument"), notSerializable.getMessage());
    }

    @Test
    void aWorkerKeepsAFunctionAndReadsItAfreshOnlyWhenItsBytesChange() throws Exception
    {
        final ProcessPool pool = pool(1);
        final Counting counting = new Counting(100);
        assertEquals(100, pool.apply(counting, null));
        assertEquals(101, pool.apply(counting, null), "the worker kept the function it read, state and all");
        counting.next = 500;
        assertEquals(500, pool.apply(counting, null), "changed in the parent: new bytes, read afresh");
        counting.next = 100;
        assertEquals(102, pool.apply(counting, null), "the same bytes as the first call: the kept function");
        assertEquals(List.of(501, 502), pool.map(new Counting(501), List.of(0, 0), 1),
            "map's chunks share the kept function too");
    }

    @Test
    void aTaskIsReadAfreshForEveryRun() throws Exception
    {
        final ProcessPool pool = pool(1);
        final SerializableCallable<Integer> task = new Counting(100);
        assertEquals(100, pool.apply(task));
        assertEquals(100, pool.apply(task), "a task is one job's object: never kept");
    }

    @Test
    void aCallPastItsTimeoutIsCancelledByReplacingItsWorker() throws Exception
    {
        final ProcessPool pool = pool(1);
        final SharedEvent never = SharedEvent.create(signals(), "never");
        final CompletableFuture<Boolean> slow = pool.applyAsync((Integer x) -> never.await(60, TimeUnit.SECONDS), 1,
            300, TimeUnit.MILLISECONDS);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> slow.get(60, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failure.getCause());
        assertEquals(3, pool.apply(INCREMENT, 2), "a new worker took its place");
        assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(INCREMENT, 1, -1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> pool.applyAsync((TaskFunction<Integer, Integer>)null, 1));
    }

    @Test
    void shutdownNowReturnsCallsThatRunHere() throws Exception
    {
        final ProcessPool pool = pool(1);
        final SharedEvent started = SharedEvent.create(signals(), "started");
        final SharedEvent never = SharedEvent.create(signals(), "never");
        final SharedEvent ranHere = SharedEvent.create(signals(), "ran-here");
        pool.applyAsync((Integer x) ->
        {
            started.set();
            return never.await(60, TimeUnit.SECONDS);
        }, 0);
        for (int i = 0; i < 12; i++)
        {
            pool.applyAsync((Integer x) ->
            {
                ranHere.set();
                return x;
            }, i);
        }
        assertTrue(started.await(60, TimeUnit.SECONDS), "the first call never started");
        final List<Runnable> neverStarted = pool.shutdownNow();
        assertFalse(neverStarted.isEmpty());
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertFalse(ranHere.isSet(), "no queued call ran in the killed worker");
        neverStarted.get(0).run();
        assertTrue(ranHere.isSet(), "the returned runnable ran the call here");
    }

    @Test
    void thePoolsRegionLivesInTheDirectoryItWasGivenAndGoesWithThePool() throws Exception
    {
        final Path poolDirectory = dir.resolve("pools");
        java.nio.file.Files.createDirectories(poolDirectory);
        pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withDirectory(poolDirectory)
            .withJvmOptions(WORKER_JVM));
        assertEquals(2, pool.apply(INCREMENT, 1));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(poolDirectory))
        {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("pool-")), "the pool's region is there");
        }
        pool.close();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(poolDirectory))
        {
            assertEquals(0, files.count(), "nothing left after close");
        }
    }

    @Test
    void jobsQueuedWhileWorkersStartAreSharedWithTheWorkersThatStartLater() throws Exception
    {
        // On 2 CPUs the second worker starts once the first is ready; jobs queued meanwhile must not all go to the
        // first: it takes only STARTING_IN_FLIGHT ahead, so the second gets some and both run at once.
        final ProcessPool pool = pool(2);
        final dev.ipckit.sync.SharedCountDownLatch running =
            dev.ipckit.sync.SharedCountDownLatch.create(signals(), "running", 2);
        final SharedEvent release = SharedEvent.create(signals(), "release");
        final List<CompletableFuture<Long>> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            jobs.add(pool.applyAsync((Integer x) ->
            {
                running.countDown();
                release.await(60, TimeUnit.SECONDS);
                return ProcessHandle.current().pid();
            }, i));
        }
        assertTrue(running.await(60, TimeUnit.SECONDS), "two jobs never ran at once: one worker took them all");
        release.set();
        final java.util.Set<Long> pids = new java.util.HashSet<>();
        for (final CompletableFuture<Long> job : jobs)
        {
            pids.add(job.get(60, TimeUnit.SECONDS));
        }
        assertEquals(2, pids.size(), "both workers ran jobs");
    }

    @Test
    void workersHeldBackByTheStaggeredStartStartAnywayWhenNoWorkerBecomesReady() throws Exception
    {
        // The initializer never ends, so no worker ever reports ready: the held-back one starts after the time cap.
        final SharedEvent never = SharedEvent.create(signals(), "never-ready");
        pool = ProcessPool.create(PoolOptions.defaults().withWorkers(2).withJvmOptions(WORKER_JVM)
            .withInitializer(() ->
            {
                try
                {
                    never.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.workerPids().size() < 2 && System.nanoTime() < deadline)
        {
            never.await(20, TimeUnit.MILLISECONDS); // never set: a 20 ms pause
        }
        assertEquals(2, pool.workerPids().size(), "both workers run although none is ready");
    }

    @Test
    void onceJobsAreLongNoJobWaitsBehindARunningOneWhileAnotherWorkerIsFree() throws Exception
    {
        final ProcessPool pool = pool(2);
        // Jobs of ~20 ms: the dispatcher now knows jobs are long, and both workers are ready.
        final TaskFunction<Integer, Long> twentyMillis = x ->
        {
            Thread.sleep(20);
            return ProcessHandle.current().pid();
        };
        final java.util.Set<Long> ready = new java.util.HashSet<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ready.size() < 2 && System.nanoTime() < deadline)
        {
            ready.addAll(pool.map(twentyMillis, List.of(1, 2, 3, 4), 1));
        }
        assertEquals(2, ready.size(), "both workers ran warm-up jobs");

        final SharedEvent release = SharedEvent.create(signals(), "release-long-job");
        final CompletableFuture<Long> blocked = pool.applyAsync((Integer x) ->
        {
            release.await(60, TimeUnit.SECONDS);
            return ProcessHandle.current().pid();
        }, 0);
        final List<CompletableFuture<Long>> others = new ArrayList<>();
        for (int i = 1; i <= 3; i++)
        {
            others.add(pool.applyAsync(twentyMillis, i));
        }
        // With a job queued behind the blocked one (as when each worker took several ahead), this times out.
        final java.util.Set<Long> otherPids = new java.util.HashSet<>();
        for (final CompletableFuture<Long> other : others)
        {
            otherPids.add(other.get(30, TimeUnit.SECONDS));
        }
        assertFalse(blocked.isDone(), "the blocked job is still running");
        release.set();
        final long blockedPid = blocked.get(30, TimeUnit.SECONDS);
        assertEquals(1, otherPids.size(), "the other jobs all ran on the free worker");
        assertFalse(otherPids.contains(blockedPid), "none of them ran on the busy worker");
    }
}
