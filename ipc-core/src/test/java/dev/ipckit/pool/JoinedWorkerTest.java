package dev.ipckit.pool;

import dev.ipckit.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers that join a pool over a link, in one JVM (links in memory): the seat protocol, the seats' life, and what a
 * lost worker does to its tasks. Across JVMs and hosts over the network: ipc-net's PoolServer tests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JoinedWorkerTest
{
    private static PoolOptions seatsOnly(final int seats)
    {
        return PoolOptions.defaults().withWorkers(0).withRemoteWorkers(seats).withName("joined");
    }

    @Test
    void aJoinedWorkerRunsTasksAndEndsWhenThePoolCloses() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(seatsOnly(1));
        final Future<JoinedWorker.End> worker;
        try
        {
            worker = join(pool);
            final int base = 40;
            assertEquals(42, pool.apply(() -> base + 2));
            assertEquals(List.of(2, 4, 6), pool.map((Integer i) -> i * 2, List.of(1, 2, 3)));
            assertEquals(7, pool.apply((Integer i) -> i + 1, 6));
            assertEquals(1, pool.remoteWorkerCount());
            final ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(() ->
            {
                throw new IllegalArgumentException("thrown in the joined worker");
            }));
            assertEquals("thrown in the joined worker", failed.getCause().getMessage());
        }
        finally
        {
            pool.close();
        }
        assertEquals(JoinedWorker.End.STOPPED, worker.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aWorkerFindingNoFreeSeatIsRefusedAndTheSeatIsFreeAgainOnceItsWorkerLeft() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(seatsOnly(1).withMaxTasksPerChild(2)))
        {
            final Future<JoinedWorker.End> first = join(pool);
            assertEquals(1, pool.apply(() -> 1));
            final MemoryLink[] second = MemoryLink.pair();
            final Future<JoinedWorker.End> refused = inBackground(() -> JoinedWorker.run(second[1]));
            final IllegalStateException full = assertThrows(IllegalStateException.class, () -> pool.acceptWorker(second[0]));
            assertTrue(full.getMessage().contains("no free seat"), full.getMessage());
            final ExecutionException told = assertThrows(ExecutionException.class, () -> refused.get(30, TimeUnit.SECONDS));
            assertTrue(told.getCause().getMessage().contains("no free seat"), told.getCause().getMessage());

            assertEquals(2, pool.apply(() -> 2));
            assertEquals(JoinedWorker.End.TASK_LIMIT, first.get(30, TimeUnit.SECONDS));
            awaitSeats(pool, 0);
            // The seat is free: the next worker takes it and the queued task runs there.
            final CompletableFuture<Integer> waiting = pool.applyAsync(() -> 3);
            final Future<JoinedWorker.End> third = join(pool);
            assertEquals(3, waiting.get(30, TimeUnit.SECONDS));
            assertFalse(third.isDone());
        }
    }

    /**
     * A seats-only pool with a task queued and no worker: close() waits for a worker that may never come, and an
     * interrupt ends the wait as ExecutorService.close() does (the queued task is dropped, the pool terminates).
     */
    @Test
    void anInterruptedCloseOfAPoolWhoseQueuedTaskCanNeverRunStopsItAndReturns() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(seatsOnly(1));
        final CompletableFuture<Integer> queued = pool.applyAsync(() -> 1);
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();
        final Thread closer = new Thread(() ->
        {
            pool.close();
            closed.complete(Thread.currentThread().isInterrupted());
        }, "closer");
        closer.start();
        Await.until(() -> closer.getState() == Thread.State.WAITING, "close() waits", Duration.ofSeconds(30));
        assertFalse(closed.isDone(), "close() waits for the queued task");
        closer.interrupt();
        assertTrue(closed.get(30, TimeUnit.SECONDS), "close() returned with the interrupt status set");
        assertTrue(pool.isTerminated());
        assertTrue(!queued.isDone() || queued.isCompletedExceptionally(), "the queued task never ran");
    }

    @Test
    void aWorkerLostWhileRunningFailsThatTaskOnlyNamingItsHostAndPid() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(seatsOnly(1)))
        {
            final MemoryLink[] link = MemoryLink.pair();
            inBackground(() -> JoinedWorker.run(link[1]));
            pool.acceptWorker(link[0]);
            assertEquals(1, pool.apply(() -> 1));
            final CompletableFuture<Integer> running = pool.applyAsync(() ->
            {
                Thread.sleep(60_000);
                return 0;
            });
            final CompletableFuture<Integer> queued = pool.applyAsync(() -> 5);
            awaitRunning(pool);
            link[1].close(); // the worker's side of the link ends: its process died, or the network was cut
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> running.get(30, TimeUnit.SECONDS));
            final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failure.getCause());
            assertEquals(JoinedWorker.hostName(), died.host());
            assertEquals(ProcessHandle.current().pid(), died.pid());
            assertEquals(WorkerDiedException.UNKNOWN_EXIT_CODE, died.exitCode());
            assertTrue(died.getMessage().contains("remote worker 'joined-remote-0'") &&
                died.getMessage().contains("on host " + died.host()), died.getMessage());
            // The task sent ahead to it waits for the next worker, which runs it.
            assertFalse(queued.isDone());
            join(pool);
            assertEquals(5, queued.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void localWorkersAndAJoinedOneShareTheTasks() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withRemoteWorkers(1)))
        {
            join(pool);
            final long here = ProcessHandle.current().pid();
            // Both kinds answer: the joined worker runs in this JVM, the pool's own in a child.
            final java.util.Set<Boolean> ranHere = new java.util.HashSet<>();
            for (int round = 0; round < 200 && ranHere.size() < 2; round++)
            {
                final List<Long> pids = pool.map((Integer i) ->
                {
                    Thread.sleep(5);
                    return ProcessHandle.current().pid();
                }, List.of(1, 2, 3, 4), 1);
                for (final long pid : pids)
                {
                    ranHere.add(pid == here);
                }
            }
            assertEquals(2, ranHere.size(), "tasks ran in both the pool's worker and the joined one");
        }
    }

    @Test
    void aLinkSpeakingSomethingElseIsRefusedAndThePoolGoesOn() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(seatsOnly(1)))
        {
            final MemoryLink[] link = MemoryLink.pair();
            link[1].send(new byte[] {9, 9, 9});
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.acceptWorker(link[0]));
            assertTrue(refused.getMessage().contains("no worker's HELLO"), refused.getMessage());
            assertThrows(EOFException.class, () -> drain(link[1]));
            join(pool);
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    @Test
    void aWorkerComingToAShutDownPoolEndsAsStopped() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(seatsOnly(1));
        pool.shutdown();
        final MemoryLink[] link = MemoryLink.pair();
        final Future<JoinedWorker.End> worker = inBackground(() -> JoinedWorker.run(link[1]));
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.acceptWorker(link[0]));
        assertTrue(refused.getMessage().contains("is shut down"), refused.getMessage());
        assertEquals(JoinedWorker.End.STOPPED, worker.get(30, TimeUnit.SECONDS));
        pool.close();
    }

    @Test
    void classNamesAWorkerAsksAboutAreBinaryNamesOnly()
    {
        assertTrue(RemoteSeat.binaryName("dev.ipckit.pool.JoinedWorkerTest$1"));
        assertFalse(RemoteSeat.binaryName("../../etc/passwd"));
        assertFalse(RemoteSeat.binaryName("a/b"));
        assertFalse(RemoteSeat.binaryName("a..b"));
        assertFalse(RemoteSeat.binaryName(""));
        assertFalse(RemoteSeat.binaryName("a\u0000b"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Future<JoinedWorker.End> join(final ProcessPool pool) throws Exception
    {
        final MemoryLink[] link = MemoryLink.pair();
        final Future<JoinedWorker.End> worker = inBackground(() -> JoinedWorker.run(link[1]));
        pool.acceptWorker(link[0]);
        return worker;
    }

    private static void drain(final MemoryLink link) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0)
        {
            link.receive(10, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the link did not end");
    }

    private static void awaitSeats(final ProcessPool pool, final int seated) throws InterruptedException
    {
        Await.until(() -> pool.remoteWorkerCount() == seated, seated + " seated workers (" +
            pool.remoteWorkerCount() + " when the wait began)", Duration.ofSeconds(30));
    }

    /** Waits until the worker thread runs a task (it sleeps in it). */
    private static void awaitRunning(final ProcessPool pool) throws InterruptedException
    {
        Await.until(() -> Thread.getAllStackTraces().entrySet().stream().anyMatch(e ->
            e.getKey().getName().equals("ipckit-joined-worker") && e.getKey().getState() == Thread.State.TIMED_WAITING &&
                java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("sleep"))),
            "the joined worker runs its task", Duration.ofSeconds(30));
    }

    private static <T> Future<T> inBackground(final java.util.concurrent.Callable<T> call)
    {
        final FutureTask<T> task = new FutureTask<>(call);
        final Thread thread = new Thread(task, "test-joined-worker-life");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** One side of a link in memory; both sides end together. */
    static final class MemoryLink implements WorkerLink
    {
        private final BlockingQueue<byte[]> in;
        private final BlockingQueue<byte[]> out;
        private final AtomicBoolean ended;
        private final String peer;

        private MemoryLink(final BlockingQueue<byte[]> in, final BlockingQueue<byte[]> out, final AtomicBoolean ended,
            final String peer)
        {
            this.in = in;
            this.out = out;
            this.ended = ended;
            this.peer = peer;
        }

        static MemoryLink[] pair()
        {
            final BlockingQueue<byte[]> toWorker = new LinkedBlockingQueue<>();
            final BlockingQueue<byte[]> toPool = new LinkedBlockingQueue<>();
            final AtomicBoolean ended = new AtomicBoolean();
            return new MemoryLink[] {new MemoryLink(toPool, toWorker, ended, "memory:worker"),
                new MemoryLink(toWorker, toPool, ended, "memory:pool")};
        }

        @Override
        public void send(final byte[] message) throws IOException
        {
            if (ended.get())
            {
                throw new EOFException("the link ended");
            }
            out.add(message.clone());
        }

        @Override
        public byte[] receive(final long timeout, final TimeUnit unit) throws IOException, InterruptedException
        {
            final long deadline = System.nanoTime() + unit.toNanos(timeout);
            do
            {
                final byte[] message = in.poll(1, TimeUnit.MILLISECONDS);
                if (message != null)
                {
                    return message;
                }
                if (ended.get())
                {
                    throw new EOFException("the link ended");
                }
            }
            while (System.nanoTime() - deadline < 0);
            return null;
        }

        @Override
        public String peer()
        {
            return peer;
        }

        @Override
        public void close()
        {
            ended.set(true);
        }
    }
}
