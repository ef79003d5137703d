package dev.ipckit.pool;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.RemoteException;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** ProcessPool with real worker JVMs. Time bounds are generous: the machines are shared and noisy. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolTest
{
    private static final String[] WORKER_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    private ProcessPool pool;
    private SharedRegion signals;

    @TempDir
    Path dir;

    private SharedRegion signals()
    {
        if (signals == null)
        {
            signals = SharedRegion.create("signals", 1 << 16, RegionOptions.defaults().withDirectory(dir));
        }
        return signals;
    }

    private ProcessPool pool(final PoolOptions options)
    {
        pool = ProcessPool.create(options.withJvmOptions(WORKER_JVM));
        return pool;
    }

    private ProcessPool pool(final int workers)
    {
        return pool(PoolOptions.defaults().withWorkers(workers));
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

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void pythonsMethodsAndTheExecutorServiceGiveTheirResults() throws Exception
    {
        final ProcessPool pool = pool(2);
        assertEquals(42, pool.apply(() -> 6 * 7));
        assertEquals("pid", pool.applyAsync(() -> "pid").get(60, TimeUnit.SECONDS));
        assertNotEquals(ProcessHandle.current().pid(), pool.apply(() -> ProcessHandle.current().pid()), "runs elsewhere");
        final List<Integer> items = range(1000);
        final List<Integer> squares = items.stream().map(i -> i * i).collect(Collectors.toList());
        assertEquals(squares, pool.map(i -> i * i, items));
        assertEquals(squares, pool.map(i -> i * i, items, 7));
        assertEquals(squares, pool.mapAsync((Integer i) -> i * i, items).get(60, TimeUnit.SECONDS));
        final List<Integer> lazily = new ArrayList<>();
        pool.imap((Integer i) -> i * i, items, 10).forEachRemaining(lazily::add);
        assertEquals(squares, lazily);
        final Set<Integer> unordered = new HashSet<>();
        pool.imapUnordered((Integer i) -> i * i, items, 10).forEachRemaining(unordered::add);
        assertEquals(new HashSet<>(squares), unordered);
        assertEquals(List.of(3, 7), pool.starmap(args -> (Integer)args[0] + (Integer)args[1],
            List.of(new Object[] {1, 2}, new Object[] {3, 4})));
        assertEquals(List.of(), pool.map(i -> i, List.<Integer>of()));

        assertEquals(5, pool.submit(() -> 5).get(60, TimeUnit.SECONDS));
        final List<Callable<Integer>> calls = List.of((SerializableCallable<Integer>)() -> 1, (SerializableCallable<Integer>)() -> 2);
        final List<Integer> all = new ArrayList<>();
        for (final Future<Integer> future : pool.invokeAll(calls))
        {
            all.add(future.get());
        }
        assertEquals(List.of(1, 2), all);
        assertTrue(List.of(1, 2).contains(pool.invokeAny(calls)));
        final CompletableFuture<String> callback = new CompletableFuture<>();
        pool.applyAsync(() -> "done").thenAccept(callback::complete);
        assertEquals("done", callback.get(60, TimeUnit.SECONDS), "the success callback ran");
    }

    /**
     * A waiting caller reads every result while it helps, and the dispatcher's thread is left parked meanwhile: jobs
     * whose futures nobody waits on (callbacks only), queued by another thread while callers help, must still
     * complete, whether a helper reads them or the dispatcher's thread once the helpers are gone.
     */
    @Test
    void callbackOnlyJobsCompleteWhileAnotherThreadsCallsHelp() throws Exception
    {
        final ProcessPool pool = pool(2);
        pool.apply(() -> 0); // both workers ready
        final int callbacks = 2_000;
        final java.util.concurrent.atomic.AtomicBoolean helping = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Thread helper = new Thread(() ->
        {
            try
            {
                for (int i = 0; helping.get(); i++)
                {
                    final int value = i;
                    assertEquals(value + 1, pool.applyAsync(() -> value + 1).get(60, TimeUnit.SECONDS));
                }
            }
            catch (final Exception ex)
            {
                throw new AssertionError(ex);
            }
        }, "helping-caller");
        helper.start();
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(callbacks);
        final java.util.concurrent.atomic.AtomicLong sum = new java.util.concurrent.atomic.AtomicLong();
        for (int i = 0; i < callbacks; i++)
        {
            final long value = i;
            pool.applyAsync(() -> value).thenAccept(v ->
            {
                sum.addAndGet(v);
                done.countDown();
            });
            if (i == callbacks / 2)
            {
                helping.set(false); // the second half while the helper stops and after: the dispatcher's thread reads
            }
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), done.getCount() + " callbacks never ran");
        assertEquals((long)callbacks * (callbacks - 1) / 2, sum.get());
        helper.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(helper.isAlive(), "the helping caller ended");
    }

    /**
     * An idle worker, past its wait's spins and yields, sleeps on a doorbell instead of parking again and again; the
     * pool rings it with the next task, which then runs as any other. The default's 50,000 yields last ~25 ms on a
     * quiet machine and many seconds beside busy processes (each yield gives them a time slice): the pool here
     * yields 100 times.
     */
    @Test
    void idleWorkersSleepOnTheirBellsAndTheNextTaskWakesThem() throws Exception
    {
        final ProcessPool pool = pool(PoolOptions.defaults().withWorkers(2)
            .withWaitStrategy(dev.ipckit.sync.WaitStrategy.backoff(200, 100, 1, 200, TimeUnit.MICROSECONDS)));
        for (int i = 0; i < 20; i++)
        {
            final int value = i;
            assertEquals(value, pool.apply(() -> value));
        }
        dev.ipckit.testing.Await.until(() -> pool.sleepingWorkers() == 2, "both idle workers asleep on their bells");
        for (int round = 0; round < 3; round++)
        {
            final int value = round;
            assertEquals(List.of(value, value + 1), pool.map(x -> x + value, List.of(0, 1)),
                "tasks after the workers slept, round " + round);
            dev.ipckit.testing.Await.until(() -> pool.sleepingWorkers() == 2, "both workers asleep again");
        }
    }

    @Test
    void mapCarriesEveryKindOfItemAndSplitsChunksThatOutgrowTheRings() throws Exception
    {
        final ProcessPool pool = pool(PoolOptions.defaults().withWorkers(2).withRingCapacity(64 << 10));
        final List<Object> mixed = java.util.Arrays.asList(
            "text", null, 3L, 2.5, true, 7, new java.math.BigInteger("123456789012345678901234567890"));
        assertEquals(mixed, pool.map(x -> x, mixed));
        final List<Integer> items = range(50_000);
        final List<Integer> results = pool.map(i -> i + 1, items);
        assertEquals(50_000, results.size());
        for (int i = 0; i < results.size(); i++)
        {
            assertEquals(i + 1, results.get(i));
        }
    }

    @Test
    void aTasksExceptionArrivesWithItsTypeMessageAndRemoteStackTraceAndTheWorkerGoesOn() throws Exception
    {
        final ProcessPool pool = pool(1);
        final ExecutionException failure = assertThrows(ExecutionException.class,
            () -> pool.apply(() -> { throw new IllegalStateException("boom"); }));
        final Throwable cause = failure.getCause();
        assertEquals(IllegalStateException.class, cause.getClass());
        assertEquals("boom", cause.getMessage());
        assertTrue(cause.getCause() instanceof RemoteException, "the remote stack trace as its cause: " + cause.getCause());
        final CompletableFuture<Throwable> errorCallback = new CompletableFuture<>();
        pool.applyAsync(() -> { throw new ArithmeticException("divide"); })
            .exceptionally(ex -> { errorCallback.complete(ex); return null; });
        assertTrue(errorCallback.get(60, TimeUnit.SECONDS) instanceof ArithmeticException, "the error callback ran");

        final ExecutionException unsendable = assertThrows(ExecutionException.class, () -> pool.apply(Object::new));
        assertTrue(unsendable.getCause().getMessage().contains("cannot be sent back"), unsendable.getCause().getMessage());
        final long pid = pool.apply(() -> ProcessHandle.current().pid());
        assertEquals(pid, pool.apply(() -> ProcessHandle.current().pid()), "the same worker survived");
    }

    @Test
    void chunkedImapDeliversTheResultsBeforeAFailingItem() throws Exception
    {
        final ProcessPool pool = pool(2);
        final PoolIterator<Integer> results = pool.imap((Integer i) ->
        {
            if (i == 5)
            {
                throw new IllegalArgumentException("item " + i);
            }
            return i;
        }, range(10), 3);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i, results.next(60, TimeUnit.SECONDS));
        }
        final TaskFailedException failure = assertThrows(TaskFailedException.class, results::next);
        assertEquals("item 5", failure.getCause().getMessage());
        final ExecutionException mapFailure =
            assertThrows(ExecutionException.class, () -> pool.map((Integer i) -> 10 / (i - 3), range(6), 2));
        assertTrue(mapFailure.getCause() instanceof ArithmeticException, String.valueOf(mapFailure.getCause()));
    }

    @Test
    void mapRaisesAFailureWithoutWaitingForLaterItemsStillRunning() throws Exception
    {
        final ProcessPool pool = pool(2);
        final SharedEvent release = SharedEvent.create(signals(), "release-item-1");
        final dev.ipckit.value.SharedLong finished = dev.ipckit.value.SharedLong.create(signals(), "finished", 0);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> pool.map((Integer i) ->
        {
            if (i == 0)
            {
                throw new IllegalArgumentException("item 0");
            }
            release.await(60, TimeUnit.SECONDS);
            finished.incrementAndGet();
            return i;
        }, List.of(0, 1), 1));
        assertEquals("item 0", failure.getCause().getMessage());
        assertEquals(0, finished.get(), "map threw while item 1 was still running");
        release.set();
    }

    @Test
    void aWorkerKilledMidTaskFailsThatTaskNamingTheSignalAndIsReplaced() throws Exception
    {
        final ProcessPool pool = pool(1);
        final long firstPid = pool.apply(() -> ProcessHandle.current().pid());
        final SharedEvent started = SharedEvent.create(signals(), "started");
        final CompletableFuture<Object> running = pool.applyAsync(() ->
        {
            started.set();
            runsForAMinute();
            return "never";
        });
        final CompletableFuture<Integer> queued = pool.applyAsync(() -> 7);
        assertTrue(started.await(60, TimeUnit.SECONDS), "the task never started");
        assertTrue(ProcessHandle.of(firstPid).orElseThrow().destroyForcibly());
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
        final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failure.getCause());
        assertEquals(-9, died.exitCode());
        assertEquals(firstPid, died.pid());
        assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
        assertEquals(7, queued.get(60, TimeUnit.SECONDS), "the task it had not started runs on its replacement");
        assertNotEquals(firstPid, pool.apply(() -> ProcessHandle.current().pid()));
    }

    @Test
    void systemExitInATaskFailsItWithTheExitCode() throws Exception
    {
        final ProcessPool pool = pool(1);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> pool.apply(() ->
        {
            System.exit(3);
            return null;
        }));
        assertEquals(3, assertInstanceOf(WorkerDiedException.class, failure.getCause()).exitCode());
        assertEquals(1, pool.apply(() -> 1), "a new worker took its place");
    }

    @Test
    void aTaskThatRunsItsWorkerOutOfMemoryFailsWithWorkerDiedAndThePoolGoesOn() throws Exception
    {
        final ProcessPool pool = pool(PoolOptions.defaults().withWorkers(1)
            .withJvmOptions("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"));
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> pool.apply(() ->
        {
            final List<long[]> hog = new ArrayList<>();
            while (true)
            {
                hog.add(new long[1 << 20]);
            }
        }));
        final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failure.getCause());
        assertTrue(died.exitCode() != 0, died.getMessage());
        assertEquals(4, pool.apply(() -> 4), "a new worker took its place");
    }

    @Test
    void shutdownNowKillsTheWorkersAndReturnsTheTasksThatNeverStarted() throws Exception
    {
        final ProcessPool pool = pool(1);
        assertEquals(1, pool.apply(() -> 1));
        final SharedEvent started = SharedEvent.create(signals(), "busy");
        final CompletableFuture<Object> running = pool.applyAsync(() ->
        {
            started.set();
            runsForAMinute();
            return null;
        });
        final List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            final int value = i;
            queued.add(pool.applyAsync(() -> value));
        }
        assertTrue(started.await(60, TimeUnit.SECONDS), "the task never started");
        final List<Runnable> neverStarted = pool.shutdownNow();
        assertTrue(neverStarted.size() >= 12 - DispatchPolicy.MAX_IN_FLIGHT + 1,
            "at most MAX_IN_FLIGHT - 1 were handed to the busy worker: " + neverStarted.size());
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertThrows(java.util.concurrent.CancellationException.class,
            () -> { try { running.get(10, TimeUnit.SECONDS); } catch (final ExecutionException ex) { throw ex.getCause(); } });
        for (final CompletableFuture<Integer> future : queued)
        {
            assertTrue(future.isDone(), "every queued task ends");
        }
        assertTrue(pool.workerPids().isEmpty());
        neverStarted.get(0).run(); // runs the task here, in this JVM
    }

    @Test
    void cancelWithInterruptStopsARunningTaskByReplacingItsWorker() throws Exception
    {
        final ProcessPool pool = pool(1);
        final SharedEvent started = SharedEvent.create(signals(), "cancel-started");
        final dev.ipckit.value.SharedLong runner = dev.ipckit.value.SharedLong.create(signals(), "runner", 0);
        final CompletableFuture<Object> running = pool.applyAsync(() ->
        {
            runner.set(ProcessHandle.current().pid());
            started.set();
            runsForAMinute();
            return "never";
        });
        final CompletableFuture<Integer> queued = pool.applyAsync(() -> 8);
        assertTrue(started.await(60, TimeUnit.SECONDS), "the task never started");
        final ProcessHandle worker = ProcessHandle.of(runner.get()).orElseThrow();
        assertTrue(running.cancel(true));
        assertTrue(running.isCancelled());
        worker.onExit().get(60, TimeUnit.SECONDS);
        assertFalse(worker.isAlive(), "cancel(true) stops the worker running the task");
        assertEquals(8, queued.get(60, TimeUnit.SECONDS), "the task queued behind it runs on the replacement");
        assertNotEquals(worker.pid(), pool.apply(() -> ProcessHandle.current().pid()));
    }

    @Test
    void cancelWithoutInterruptLetsTheRunningTaskFinishOnItsWorker() throws Exception
    {
        final ProcessPool pool = pool(1);
        final SharedEvent started = SharedEvent.create(signals(), "soft-started");
        final SharedEvent release = SharedEvent.create(signals(), "soft-release");
        final SharedEvent finished = SharedEvent.create(signals(), "soft-finished");
        final long workerPid = pool.apply(() -> ProcessHandle.current().pid());
        final CompletableFuture<Object> running = pool.applyAsync(() ->
        {
            started.set();
            release.await(60, TimeUnit.SECONDS);
            finished.set();
            return "dropped";
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the task never started");
        assertTrue(running.cancel(false));
        release.set();
        assertTrue(finished.await(60, TimeUnit.SECONDS), "the cancelled task ran to its end");
        assertEquals(workerPid, pool.apply(() -> ProcessHandle.current().pid()), "its worker was not replaced");
        assertThrows(java.util.concurrent.CancellationException.class, running::join);
    }

    @Test
    void aTaskPastItsTimeoutIsCancelledByReplacingItsWorker() throws Exception
    {
        final ProcessPool pool = pool(1);
        final CompletableFuture<Object> slow = pool.applyAsync(() ->
        {
            runsForAMinute();
            return "never";
        }, 300, TimeUnit.MILLISECONDS);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> slow.get(60, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("killed and replaced"), failure.getCause().getMessage());
        assertEquals(2, pool.apply(() -> 2));
    }

    @Test
    void maxTasksPerChildReplacesWorkers() throws Exception
    {
        final ProcessPool pool = pool(PoolOptions.defaults().withWorkers(1).withMaxTasksPerChild(2));
        final Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 6; i++)
        {
            pids.add(pool.apply(() -> ProcessHandle.current().pid()));
        }
        assertEquals(3, pids.size(), "two tasks per worker: " + pids);
    }

    @Test
    void anInitializerThatThrowsBreaksThePoolWithAClearError() throws Exception
    {
        final ProcessPool pool = pool(PoolOptions.defaults().withWorkers(1).withInitializer(() ->
        {
            throw new IllegalStateException("no database");
        }));
        final CompletableFuture<Integer> task = pool.applyAsync(() -> 1);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> task.get(60, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getMessage().contains("initializer failed"), failure.getCause().getMessage());
        assertTrue(failure.getCause().getMessage().contains("no database"), failure.getCause().getMessage());
        final RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 2));
        assertTrue(rejected.getMessage().contains("broken"), rejected.getMessage());
    }

    @Test
    void misuseIsAClearError() throws Exception
    {
        // No workers at all: a pool of 0 workers needs seats for remote ones.
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> ProcessPool.create(PoolOptions.defaults().withWorkers(0)));
        assertTrue(none.getMessage().contains("withRemoteWorkers"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().withWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().withRemoteWorkers(-1));
        // Python's Pool(maxtasksperchild=0) is a ValueError; "no limit" is the default, or withUnlimitedTasksPerChild().
        final IllegalArgumentException zeroTasks =
            assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().withMaxTasksPerChild(0));
        assertTrue(zeroTasks.getMessage().contains("maxTasksPerChild must be at least 1, not 0"), zeroTasks.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().withMaxTasksPerChild(-1));
        assertEquals(0, PoolOptions.defaults().withMaxTasksPerChild(3).withUnlimitedTasksPerChild().maxTasksPerChild());
        final ProcessPool pool = pool(1);
        assertThrows(IllegalArgumentException.class, () -> pool.map(i -> i, range(3), 0));
        final Callable<Integer> notSerializable = new Callable<>()
        {
            @Override
            public Integer call()
            {
                return 1;
            }
        };
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> pool.submit(notSerializable));
        assertTrue(error.getMessage().contains("Serializable"), error.getMessage());
        final SharedEvent release = SharedEvent.create(signals(), "release");
        final CompletableFuture<Integer> queued = pool.applyAsync(() ->
        {
            release.await(60, TimeUnit.SECONDS);
            return 9;
        });
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1));
        assertFalse(pool.isTerminated(), "a queued task is still running");
        release.set();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(9, queued.get(), "shutdown lets queued work finish");
        assertTrue(pool.isTerminated());
        assertTrue(pool.workerPids().isEmpty());
    }

    /**
     * The body of a task that is still running when the test acts on it (kills, cancels or times it out): it runs,
     * it does not synchronise anything.
     */
    static void runsForAMinute() throws InterruptedException
    {
        Thread.sleep(60_000);
    }
}
