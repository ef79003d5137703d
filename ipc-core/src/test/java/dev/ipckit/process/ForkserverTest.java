package dev.ipckit.process;

import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.process.internal.LambdaPrelink;
import dev.ipckit.process.internal.SpareRecords;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link StartMethod#FORKSERVER}: a child is handed to a spare JVM started ahead, which is then replaced; children
 * with other options are started by spawn; a spare killed while idle is skipped and replaced; spares and the
 * children in them exit when their creator is killed; pools start, replace and recycle workers on spares.
 */
@Timeout(120)
class ForkserverTest
{
    private static final Duration SPARE_WAIT = Duration.ofSeconds(60);

    /** Spares another test class left (other JVM options) would pass for this test's spare. */
    @BeforeEach
    void noSparesYet() throws InterruptedException
    {
        stopSpares();
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        TestTasks.killLeftovers();
        stopSpares();
    }

    /**
     * Stops the idle spares and those being started (a refill scheduled by an earlier test ends by stopping its spare
     * while none are kept), and keeps the default count for the next test.
     */
    static void stopSpares() throws InterruptedException
    {
        IpcProcess.setForkserverSpares(0);
        final long deadline = System.nanoTime() + SPARE_WAIT.toNanos();
        while (Spares.starting() > 0 && System.nanoTime() - deadline < 0)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        IpcProcess.setForkserverSpares(Spares.DEFAULT_PER_SPEC);
    }

    /**
     * Makes a spare of these JVM options ready: starts a forkserver child (by spawn, when there is none yet, which
     * schedules one) and waits until a spare is idle.
     */
    static void awaitSpare(final String... options) throws Exception
    {
        final long deadline = System.nanoTime() + SPARE_WAIT.toNanos();
        while (IpcProcess.forkserverSparePids().isEmpty())
        {
            final IpcProcess<Void> starter = IpcProcess.of(() -> { }).jvmOptions(options)
                .startMethod(StartMethod.FORKSERVER).start();
            assertTrue(starter.join(SPARE_WAIT));
            final long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (IpcProcess.forkserverSparePids().isEmpty() && System.nanoTime() - wait < 0)
            {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertTrue(System.nanoTime() - deadline < 0, "no spare within " + SPARE_WAIT);
        }
    }

    @Test
    void aChildRunsInASpareWithItsOwnNameAndPidAndTheSpareIsReplaced() throws Exception
    {
        awaitSpare(CHILD_OPTIONS);
        final List<Long> spares = IpcProcess.forkserverSparePids();
        assertEquals(1, spares.size(), "one spare per spec by default");
        final IpcProcess<String> child = IpcProcess.of(() -> ProcessInfo.currentName() + "|" +
                ProcessInfo.currentPid() + "|" + ProcessInfo.parentPid().orElse(-1L) + "|" + ProcessInfo.isDaemon())
            .name("in-a-spare").daemon(true).jvmOptions(CHILD_OPTIONS).startMethod(StartMethod.FORKSERVER).start();
        assertTrue(child.startedOnSpare());
        assertEquals(spares.get(0), child.pid(), "the child is the spare");
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertEquals("in-a-spare|" + child.pid() + "|" + ProcessHandle.current().pid() + "|true", child.result());
        awaitSpare(CHILD_OPTIONS);
        assertNotEquals(spares.get(0), IpcProcess.forkserverSparePids().get(0), "a new spare replaced it");
    }

    /** A task that tells which thread initialized its class: {@code main} when the task did, else a spare's warm-up. */
    static final class InitializingThread implements SerializableCallable<String>
    {
        private static final long serialVersionUID = 1L;
        static final String NAME = Thread.currentThread().getName();

        @Override
        public String call()
        {
            return NAME;
        }
    }

    /** Records, when initialized, which thread did it. */
    static final class PreloadMarker
    {
        static
        {
            System.setProperty("ipckit.test.preloaded-by", Thread.currentThread().getName());
        }

        private PreloadMarker()
        {
        }
    }

    /** A class whose initialization fails. */
    static final class FailingInitializer
    {
        static final int VALUE = Integer.parseInt("not a number");

        private FailingInitializer()
        {
        }
    }

    @Test
    void sparesPreloadTheClassesOfEarlierTasks() throws Exception
    {
        // Options of this test's own, so no spare started before the first task is there to take.
        final String[] options = {"-Dipckit.test.spec=learned-preload"};
        final IpcProcess<String> first = IpcProcess.of(new InitializingThread()).jvmOptions(options)
            .startMethod(StartMethod.FORKSERVER).start();
        assertTrue(first.join(Duration.ofSeconds(60)));
        assertEquals("main", first.result(), "no spare knew the class yet: the task initialized it");
        awaitSpare(options);
        final IpcProcess<String> second = IpcProcess.of(new InitializingThread()).jvmOptions(options)
            .startMethod(StartMethod.FORKSERVER).start();
        assertTrue(second.startedOnSpare());
        assertTrue(second.join(Duration.ofSeconds(60)));
        assertEquals(OptionalInt.of(0), second.exitCode());
        assertEquals("ipckit-warmup", second.result(), "the spare initialized the class before the task came");
    }

    @Test
    void sparesLinkTheLambdasOfEarlierTasksAhead() throws Exception
    {
        final String[] options = {"-Dipckit.test.spec=learned-lambda"};
        final IpcProcess<List<String>> first = IpcProcess.of(linkedAhead()).jvmOptions(options)
            .startMethod(StartMethod.FORKSERVER).start();
        assertTrue(first.join(Duration.ofSeconds(60)));
        assertEquals(List.of(), first.result(), "no spare knew the lambda yet");
        awaitSpare(options);
        final IpcProcess<List<String>> second = IpcProcess.of(linkedAhead()).jvmOptions(options)
            .startMethod(StartMethod.FORKSERVER).start();
        assertTrue(second.startedOnSpare());
        assertTrue(second.join(Duration.ofSeconds(60)));
        assertEquals(OptionalInt.of(0), second.exitCode());
        // Contains, not equals: spares also link what pools on spares ran earlier in this JVM (another test's).
        assertTrue(second.result().contains(LambdaPrelink.shapeOf(linkedAhead())),
            "the spare linked the first child's lambda before its own task came: " + second.result());
    }

    @Test
    void sparesLinkTheFunctionsPoolsOnSparesRanBefore() throws Exception
    {
        final String[] options = {"-Dipckit.test.spec=pool-lambda"};
        final PoolOptions onSpares = PoolOptions.defaults().withWorkers(1).withJvmOptions(options)
            .withStartMethod(StartMethod.FORKSERVER);
        final String shape = LambdaPrelink.shapeOf(linkedAhead());
        try (ProcessPool pool = ProcessPool.create(onSpares))
        {
            assertFalse(pool.applyAsync(linkedAhead()).get(60, TimeUnit.SECONDS).contains(shape),
                "the pool's first worker came before anything ran the lambda");
        }
        assertTrue(LambdaPrelink.remembered().contains(shape), "the pool remembered what it sent");
        // A spare started now, after the pool ran the lambda, is the next pool's worker.
        stopSpares();
        awaitSpare(options);
        try (ProcessPool pool = ProcessPool.create(onSpares))
        {
            assertTrue(pool.applyAsync(linkedAhead()).get(60, TimeUnit.SECONDS).contains(shape),
                "the next pool's worker had its spare link the lambda before the task came");
        }
    }

    /** One lambda expression, so each call's lambda has the same shape: what the child JVM linked ahead. */
    private static SerializableCallable<List<String>> linkedAhead()
    {
        return () -> LambdaPrelink.linked();
    }

    @Test
    void sparesPreloadTheNamedClassesSkippingMissingAndFailingOnes() throws Exception
    {
        IpcProcess.setForkserverPreload(
            "no.such.PreloadedClass", FailingInitializer.class.getName(), PreloadMarker.class.getName());
        try
        {
            assertEquals(List.of("no.such.PreloadedClass", FailingInitializer.class.getName(),
                PreloadMarker.class.getName()), IpcProcess.forkserverPreload());
            final String[] options = {"-Dipckit.test.spec=named-preload"};
            awaitSpare(options);
            final IpcProcess<String> child = IpcProcess.of(() -> System.getProperty("ipckit.test.preloaded-by"))
                .jvmOptions(options).startMethod(StartMethod.FORKSERVER).start();
            assertTrue(child.startedOnSpare());
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(OptionalInt.of(0), child.exitCode());
            assertEquals("ipckit-warmup", child.result());
            assertTrue(child.stderrTail().contains("forkserver preload of class " + FailingInitializer.class.getName()),
                "what the spare wrote while it waited is the child's stderr: " + child.stderrTail());
        }
        finally
        {
            IpcProcess.setForkserverPreload();
        }
        assertEquals(List.of(), IpcProcess.forkserverPreload());
    }

    @Test
    void aSpareIdleLongerThanTheTimeoutIsStoppedAndReplacedOnlyWhenNeeded() throws Exception
    {
        assertThrows(IllegalArgumentException.class, () -> IpcProcess.setForkserverIdleTimeout(Duration.ofMillis(-1)));
        assertEquals(Duration.ZERO, IpcProcess.forkserverIdleTimeout(), "the default: spares stay");
        awaitSpare(CHILD_OPTIONS);
        final long kept = IpcProcess.forkserverSparePids().get(0);
        IpcProcess.setForkserverIdleTimeout(Duration.ofMillis(300));
        try
        {
            assertEquals(Duration.ofMillis(300), IpcProcess.forkserverIdleTimeout());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!IpcProcess.forkserverSparePids().isEmpty() && System.nanoTime() - deadline < 0)
            {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertEquals(List.of(), IpcProcess.forkserverSparePids(), "the idle spare was stopped");
            final ProcessHandle stopped = ProcessHandle.of(kept).orElse(null);
            assertTrue(stopped == null || stopped.onExit().get(30, TimeUnit.SECONDS) != null);
            TimeUnit.MILLISECONDS.sleep(500);
            assertEquals(List.of(), IpcProcess.forkserverSparePids(), "no replacement until a child needs one");

            final IpcProcess<Integer> child = IpcProcess.of(() -> 1).jvmOptions(CHILD_OPTIONS)
                .startMethod(StartMethod.FORKSERVER).start();
            assertFalse(child.startedOnSpare(), "no spare: spawned");
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(1, child.result());
        }
        finally
        {
            IpcProcess.setForkserverIdleTimeout(Duration.ZERO);
        }
    }

    @Test
    void idleSparesAreWrittenDownForIpckitLsAndReadersSkipWhatFailsACheck() throws Exception
    {
        awaitSpare(CHILD_OPTIONS);
        final long spare = IpcProcess.forkserverSparePids().get(0);
        final long me = ProcessHandle.current().pid();
        awaitRecords(records -> records.stream().anyMatch(r -> r.pid() == spare && r.creatorPid() == me));
        stopSpares();
        awaitRecords(records -> records.stream().noneMatch(r -> r.creatorPid() == me));

        // What a reader finds in the file is checked: a dead process's identity, this JVM's own (not a spare), junk.
        final Path file = dev.ipckit.process.internal.Children.resultDirectory().resolve("spares");
        Files.writeString(file, ProcessIdentity.current() + "\n" + (ProcessIdentity.current() + 1) +
            "\nnot a number\n99999999999999999999\n\n-5\n");
        try
        {
            assertTrue(SpareRecords.list().stream().noneMatch(r -> r.creatorPid() == me), "nothing of it is listed");
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static void awaitRecords(final java.util.function.Predicate<List<SpareRecords.Spare>> condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.test(SpareRecords.list()))
        {
            assertTrue(System.nanoTime() - deadline < 0, "spare records: " + SpareRecords.list());
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void aPreloadNameMustBeAClassName()
    {
        for (final String bad : new String[]{"", "1abc", "a b", "a..b", ".a", "-XX:+Crash", null})
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> IpcProcess.setForkserverPreload(bad));
            assertTrue(ex.getMessage().contains("not a class name"), ex.getMessage());
        }
        assertEquals(List.of(), IpcProcess.forkserverPreload(), "a refused list changes nothing");
    }

    @Test
    void aChildWithOtherOptionsIsStartedBySpawn() throws Exception
    {
        awaitSpare(CHILD_OPTIONS);
        final List<Long> spares = IpcProcess.forkserverSparePids();
        final IpcProcess<Integer> other = IpcProcess.of(() -> 7).jvmOptions("-Xmx48m", "-XX:+UseSerialGC")
            .startMethod(StartMethod.FORKSERVER).start();
        assertFalse(other.startedOnSpare(), "no spare has these options");
        assertFalse(spares.contains(other.pid()));
        assertTrue(other.join(Duration.ofSeconds(30)));
        assertEquals(7, other.result());
        assertTrue(IpcProcess.forkserverSparePids().containsAll(spares), "the other spec's spare is untouched");
    }

    @Test
    void aSpareKilledWhileIdleIsSkippedAndReplaced() throws Exception
    {
        awaitSpare(CHILD_OPTIONS);
        final long killed = IpcProcess.forkserverSparePids().get(0);
        ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false))
        {
            assertTrue(System.nanoTime() - deadline < 0, "the spare did not die");
            TimeUnit.MILLISECONDS.sleep(10);
        }
        final IpcProcess<Integer> child = IpcProcess.of(() -> 8).jvmOptions(CHILD_OPTIONS)
            .startMethod(StartMethod.FORKSERVER).start();
        assertFalse(child.startedOnSpare(), "the dead spare is not used");
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(8, child.result());
        awaitSpare(CHILD_OPTIONS);
        assertFalse(IpcProcess.forkserverSparePids().contains(killed));
    }

    @Test
    void sparesAndTheChildrenInThemExitWhenTheirCreatorIsKilled() throws Exception
    {
        try (OutputWatch watch = OutputWatch.stdout("SPARE-PIDS="))
        {
            final IpcProcess<Void> creator = IpcProcess.of(() ->
            {
                try
                {
                    IpcProcess.setDefaultStartMethod(StartMethod.FORKSERVER);
                    awaitSpare(CHILD_OPTIONS);
                    final IpcProcess<Void> inSpare = IpcProcess.of(() -> TestTasks.sleep(60_000))
                        .name("in-spare").jvmOptions(CHILD_OPTIONS).start();
                    awaitSpare(CHILD_OPTIONS);
                    System.out.println("SPARE-PIDS=" + inSpare.pid() + "," + inSpare.startedOnSpare() + "," +
                        IpcProcess.forkserverSparePids().get(0));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
                TestTasks.sleep(60_000);
            }).name("creator").jvmOptions(CHILD_OPTIONS).start();

            final String[] line = watch.awaitMarkedLine(Duration.ofSeconds(90)).trim().split(",");
            assertEquals("true", line[1], "the creator's child runs in a spare");
            final long child = ProcessIdentity.of(Long.parseLong(line[0]));
            final long spare = ProcessIdentity.of(Long.parseLong(line[2]));
            assertNotEquals(ProcessIdentity.NONE, child);
            assertNotEquals(ProcessIdentity.NONE, spare);

            creator.kill();
            final long killedAt = System.nanoTime();
            assertTrue(creator.join(Duration.ofSeconds(10)));
            assertTrue(TestTasks.awaitEnd(child, Duration.ofSeconds(10)), "the child in a spare outlived its creator");
            assertTrue(TestTasks.awaitEnd(spare, Duration.ofSeconds(10)), "the idle spare outlived its creator");
            System.out.println("forkserver: the child in a spare and the idle spare gone " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after their creator's SIGKILL");
        }
    }

    @Test
    void aForkserverPoolStartsReplacesAndRecyclesWorkersOnSpares() throws Exception
    {
        // A worker's command is a plain child's with the same options: the spare made ready here is the first worker.
        awaitSpare(CHILD_OPTIONS);
        final long spare = IpcProcess.forkserverSparePids().get(0);
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(2).withMaxTasksPerChild(3)
            .withJvmOptions(CHILD_OPTIONS).withStartMethod(StartMethod.FORKSERVER)))
        {
            assertTrue(pool.workerPids().contains(spare), "the first worker is the spare: " + pool.workerPids());
            final List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                items.add(i);
            }
            // Chunks of one: every worker is recycled after 3 tasks, its replacement taken from a spare when ready.
            final List<Integer> squares = pool.map(x -> x * x, items, 1);
            for (int i = 0; i < 40; i++)
            {
                assertEquals(i * i, squares.get(i));
            }
            final long victim = pool.applyAsync(() -> ProcessInfo.currentPid()).get(60, TimeUnit.SECONDS);
            final var dying = pool.applyAsync(() ->
            {
                if (ProcessInfo.currentPid() == victim)
                {
                    Runtime.getRuntime().halt(3);
                }
                return 0;
            });
            try
            {
                dying.get(60, TimeUnit.SECONDS);
            }
            catch (final ExecutionException ex)
            {
                assertInstanceOf(WorkerDiedException.class, ex.getCause());
            }
            assertEquals(5, pool.applyAsync(() -> 5).get(60, TimeUnit.SECONDS), "the pool goes on");
        }
    }
}
