package dev.ipckit.process;

import dev.ipckit.IpcContext;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.queue.SharedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.*;

/** {@link IpcContext}: Python's {@code get_context}; what it makes starts with its method. */
@Timeout(120)
class IpcContextTest
{
    @AfterEach
    void cleanUp() throws InterruptedException
    {
        TestTasks.killLeftovers();
        ForkserverTest.stopSpares();
    }

    @Test
    void aContextsProcessesHaveItsMethodAndTheDefaultContextFollowsTheDefault()
    {
        final IpcContext forkserver = IpcContext.of(StartMethod.FORKSERVER);
        assertSame(forkserver, IpcContext.of(StartMethod.FORKSERVER));
        assertEquals(StartMethod.FORKSERVER, forkserver.startMethod());
        assertEquals(StartMethod.FORKSERVER, forkserver.process(() -> 1).startMethod());
        assertEquals(StartMethod.FORKSERVER, forkserver.process(() -> { }).startMethod());
        assertEquals(StartMethod.SPAWN, IpcContext.of(StartMethod.SPAWN).process(() -> 1).startMethod());
        assertEquals("IpcContext{forkserver}", forkserver.toString());
        assertThrows(NullPointerException.class, () -> IpcContext.of(null));

        final StartMethod before = IpcProcess.defaultStartMethod();
        try
        {
            IpcProcess.setDefaultStartMethod(StartMethod.FORKSERVER);
            assertSame(forkserver, IpcContext.ofDefault());
            IpcProcess.setDefaultStartMethod(StartMethod.SPAWN);
            assertEquals(StartMethod.SPAWN, IpcContext.ofDefault().startMethod());
            assertEquals(StartMethod.SPAWN, IpcContext.ofDefault().process(() -> 1).startMethod(),
                "a spawn context's process is spawned whatever the default becomes");
        }
        finally
        {
            IpcProcess.setDefaultStartMethod(before);
        }
    }

    @Test
    void aForkserverContextsProcessAndPoolRunOnSpares() throws Exception
    {
        final IpcContext forkserver = IpcContext.of(StartMethod.FORKSERVER);
        ForkserverTest.awaitSpare(CHILD_OPTIONS);
        final long spare = IpcProcess.forkserverSparePids().get(0);
        final IpcProcess<Long> child =
            forkserver.process(() -> ProcessInfo.currentPid()).jvmOptions(CHILD_OPTIONS).start();
        assertTrue(child.startedOnSpare());
        assertTrue(child.join(Duration.ofSeconds(60)));
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertEquals(spare, child.result());

        ForkserverTest.awaitSpare(CHILD_OPTIONS);
        final long next = IpcProcess.forkserverSparePids().get(0);
        // The context's method wins over the options'.
        try (ProcessPool pool = forkserver.pool(PoolOptions.defaults().withWorkers(1).withJvmOptions(CHILD_OPTIONS)
            .withStartMethod(StartMethod.SPAWN)))
        {
            assertEquals(java.util.List.of(next), pool.workerPids(), "the worker is the spare");
            assertEquals(7, pool.applyAsync(() -> 7).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aContextsQueueIsAQueue() throws Exception
    {
        try (SharedQueue<Object> queue = IpcContext.of(StartMethod.SPAWN).queue())
        {
            queue.put("hello");
            assertEquals("hello", queue.poll(10, TimeUnit.SECONDS));
        }
    }
}
