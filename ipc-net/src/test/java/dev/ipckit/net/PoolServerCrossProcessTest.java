package dev.ipckit.net;

import dev.ipckit.pool.ClassMismatchException;
import dev.ipckit.pool.JoinedWorker;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Pool workers on other hosts: child JVMs, each with its own media driver, join a pool over loopback UDP as workers
 * on other machines would, and run its tasks beside its own workers; a remote worker SIGKILLed or SIGSTOPped (a
 * partition) while running fails only that task, with its host and pid; a class missing or of another version on
 * the worker fails the task that needs it, clearly.
 */
@Timeout(300)
class PoolServerCrossProcessTest
{
    @TempDir
    Path dir;

    @RegisterExtension
    final NetTesting.Children children = new NetTesting.Children();

    /** A worker JVM joining the pool at {@code address} with the test key and a short liveness timeout. */
    private IpcProcess<Integer> remoteWorker(final String address)
    {
        return children.start(IpcProcess.of((SerializableCallable<Integer>)() ->
        {
            NetTesting.shortLiveness();
            return RemoteWorker.exitCodeOf(RemoteWorker.run(address, KEY, NetOptions.defaults()));
        }));
    }

    /** Waits, at most 60 s, until code running in {@code writer} has written {@code file}, failing if it ends first. */
    private static void awaitFile(final Path file, final IpcProcess<?> writer) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file))
        {
            assertTrue(System.nanoTime() - deadline < 0 && writer.isAlive(),
                file.getFileName() + " written by " + writer.name() + " (pid " + writer.pid() + ")");
            Thread.sleep(5);
        }
    }

    private static PoolServer serve(final ProcessPool pool) throws Exception
    {
        return PoolServer.serve(pool, LOOPBACK, KEY, NetOptions.defaults());
    }

    private static void awaitSeated(final ProcessPool pool, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.remoteWorkerCount() != count)
        {
            assertTrue(System.nanoTime() - deadline < 0, pool.remoteWorkerCount() + " remote workers, not " + count);
            Thread.sleep(10);
        }
    }

    @Test
    void workersOnOtherHostsRunTasksBesideThePoolsOwnAndLeaveWhenItCloses() throws Exception
    {
        final List<IpcProcess<Integer>> remotes = new ArrayList<>();
        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withRemoteWorkers(2)
            .withName("hosts"));
        final PoolServer server = serve(pool);
        try
        {
            remotes.add(remoteWorker(server.address()));
            remotes.add(remoteWorker(server.address()));
            awaitSeated(pool, 2);
            final Set<Long> remotePids = Set.of(remotes.get(0).pid(), remotes.get(1).pid());
            final Set<Long> ranIn = new HashSet<>();
            for (int round = 0; round < 50 && !ranIn.containsAll(remotePids); round++)
            {
                ranIn.addAll(pool.map((Integer i) ->
                {
                    Thread.sleep(2);
                    return ProcessHandle.current().pid();
                }, List.of(1, 2, 3, 4, 5, 6), 1));
            }
            assertTrue(ranIn.containsAll(remotePids), "both remote workers ran tasks: " + ranIn + " " + remotePids);
            assertTrue(ranIn.containsAll(pool.workerPids()), "the pool's own worker ran tasks too");
            // A function with captured values and an argument, and a map's chunks, as with local workers.
            final int offset = 1000;
            assertEquals(List.of(1001, 1002, 1003, 1004), pool.map((Integer i) -> i + offset, List.of(1, 2, 3, 4), 1));
            // The pool closes first: it tells its remote workers to stop.
            pool.close();
        }
        finally
        {
            pool.close();
            server.close();
        }
        for (final IpcProcess<Integer> remote : remotes)
        {
            assertTrue(remote.join(Duration.ofSeconds(30)), "the remote worker left when the pool closed");
            assertEquals(RemoteWorker.EXIT_STOPPED, remote.result());
        }
    }

    @Test
    void aRemoteWorkerKilledAtManyPointsFailsOnlyTheTaskItRanNamingItsHostAndPid() throws Exception
    {
        // Killed idle, while its task starts, and while it runs: each time only that task fails, the others run on the
        // pool's own worker, and the next remote worker takes the seat.
        final long[] killAfterMillis = {0, 3, 40, 300};
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withRemoteWorkers(1));
             PoolServer server = serve(pool))
        {
            for (final long delay : killAfterMillis)
            {
                final IpcProcess<Integer> remote = remoteWorker(server.address());
                awaitSeated(pool, 1);
                final long remotePid = remote.pid();
                // Tasks longer than the longest delay, so none can finish on the remote worker before its kill; each
                // tells where it ran.
                final List<CompletableFuture<Long>> tasks = new ArrayList<>();
                for (int i = 0; i < 3; i++)
                {
                    tasks.add(pool.applyAsync(() ->
                    {
                        Thread.sleep(600);
                        return ProcessHandle.current().pid();
                    }));
                }
                Thread.sleep(delay);
                final long killedAt = System.nanoTime();
                remote.kill();
                int diedOnIt = 0;
                for (final CompletableFuture<Long> task : tasks)
                {
                    try
                    {
                        assertNotEquals(remotePid, task.get(60, TimeUnit.SECONDS), "no result from the killed worker");
                    }
                    catch (final ExecutionException ex)
                    {
                        final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, ex.getCause());
                        assertEquals(remotePid, died.pid());
                        assertEquals(hostName(), died.host());
                        assertTrue(died.getMessage().contains("was lost"), died.getMessage());
                        diedOnIt++;
                        System.out.println("remote worker killed " + delay + " ms after dispatch: its task failed " +
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after the kill " +
                            "(liveness timeout " + NetTesting.LIVENESS.toMillis() + " ms)");
                    }
                }
                assertTrue(diedOnIt <= 1, "only the task the worker ran fails: " + diedOnIt);
                awaitSeated(pool, 0);
            }
        }
    }

    private static String hostName() throws Exception
    {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    @Test
    void aRemoteWorkerCutOffPastTheLivenessTimeoutFailsItsTaskAndEndsItselfWhenItWakes() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1));
             PoolServer server = serve(pool))
        {
            final IpcProcess<Integer> remote = remoteWorker(server.address());
            awaitSeated(pool, 1);
            assertEquals(remote.pid(), pool.apply(() -> ProcessHandle.current().pid()));
            final String started = dir.resolve("started").toString();
            final CompletableFuture<Integer> running = pool.applyAsync(() ->
            {
                Files.writeString(Path.of(started), "running"); // the task says it runs, on the worker's host
                Thread.sleep(2_000);
                return 1;
            });
            awaitFile(Path.of(started), remote);
            NetTesting.signal("STOP", remote.pid()); // silent, as behind a cut network
            try
            {
                final ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> running.get(60, TimeUnit.SECONDS));
                final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failure.getCause());
                assertEquals(remote.pid(), died.pid());
                assertTrue(died.getMessage().contains("unreachable past the liveness timeout"), died.getMessage());
            }
            finally
            {
                NetTesting.signal("CONT", remote.pid());
            }
            assertTrue(remote.join(Duration.ofSeconds(60)), "the worker ended itself once it found its link gone");
            assertEquals(RemoteWorker.EXIT_LOST, remote.result());
        }
    }

    @Test
    void aWorkerWhosePoolsHostIsKilledWhileItRunsATaskEndsItself() throws Exception
    {
        // Host A: a pool in a JVM of its own, which hands its remote worker a long task and says so in a file.
        final Path addressFile = dir.resolve("address");
        final Path runningFile = dir.resolve("running");
        final String addressPath = addressFile.toString();
        final String runningPath = runningFile.toString();
        final IpcProcess<Void> hostA = children.start(IpcProcess.of((SerializableCallable<Void>)() ->
        {
            NetTesting.shortLiveness();
            final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1));
            try (PoolServer server = PoolServer.serve(pool, LOOPBACK, KEY, NetOptions.defaults()))
            {
                Files.writeString(Path.of(addressPath + ".tmp"), server.address());
                Files.move(Path.of(addressPath + ".tmp"), Path.of(addressPath));
                pool.applyAsync(() ->
                {
                    // The task says it runs, and where (on the worker's host, this machine here).
                    Files.writeString(Path.of(runningPath + ".tmp"), Long.toString(ProcessHandle.current().pid()));
                    Files.move(Path.of(runningPath + ".tmp"), Path.of(runningPath));
                    Thread.sleep(120_000);
                    return 0;
                });
                Thread.sleep(120_000);
            }
            return null;
        }).name("host-A"));
        awaitFile(addressFile, hostA);
        final IpcProcess<Integer> worker = remoteWorker(Files.readString(addressFile));
        awaitFile(runningFile, worker);
        assertEquals(worker.pid(), Long.parseLong(Files.readString(runningFile)), "the remote worker runs the task");
        hostA.kill();
        assertTrue(worker.join(Duration.ofSeconds(60)), "the worker's JVM ended though its task still sleeps");
        assertEquals(RemoteWorker.EXIT_LOST, worker.result());
    }

    @Test
    void aClassOfAnotherVersionOrMissingOnTheWorkerFailsTheTaskThatNeedsItClearly() throws Exception
    {
        final Path otherVersion = compileOtherVersionOfVersionedTask();
        final String classPath = System.getProperty("java.class.path");
        final String withoutTests = Stream.of(classPath.split(File.pathSeparator))
            .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1));
             PoolServer server = PoolServer.serve(pool, LOOPBACK))
        {
            // A worker whose class path has another VersionedTask first.
            final IpcProcess<Integer> other = children.start(IpcProcess.of(new RemoteWorker.Life(server.address(), 0))
                .classPath(otherVersion + File.pathSeparator + classPath));
            awaitSeated(pool, 1);
            final ExecutionException mismatch = assertThrows(ExecutionException.class,
                () -> pool.apply(new VersionedTask()));
            final ClassMismatchException differs = assertInstanceOf(ClassMismatchException.class, mismatch.getCause(),
                () -> String.valueOf(mismatch.getCause()));
            assertEquals(VersionedTask.class.getName(), differs.className());
            assertTrue(differs.getMessage().contains("differs between the pool") &&
                differs.getMessage().contains("pid " + other.pid()), differs.getMessage());
            // The worker goes on with tasks whose classes match (this one is ipc-net's own, the same file).
            assertEquals("1", pool.apply(new RemoteWorker.Life("1", 0)::address));
            other.kill();
            awaitSeated(pool, 0);

            // A worker without this test's classes at all.
            final IpcProcess<Integer> without = children.start(IpcProcess.of(new RemoteWorker.Life(server.address(), 0))
                .classPath(withoutTests));
            awaitSeated(pool, 1);
            final ExecutionException missing = assertThrows(ExecutionException.class,
                () -> pool.apply(new VersionedTask()));
            final ClassMismatchException absent = assertInstanceOf(ClassMismatchException.class, missing.getCause());
            assertTrue(absent.getMessage().contains("is not on the class path of the worker") &&
                absent.getMessage().contains("pid " + without.pid()), absent.getMessage());
        }
    }

    @Test
    void aWorkerWithTheWrongKeyIsRefusedAndOthersStillJoin() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1));
             PoolServer server = serve(pool))
        {
            final String address = server.address();
            final IpcProcess<String> wrong = children.start(IpcProcess.of((SerializableCallable<String>)() ->
            {
                try
                {
                    RemoteWorker.run(address, NetTesting.OTHER_KEY, NetOptions.defaults());
                    return "joined";
                }
                catch (final AuthenticationException ex)
                {
                    return ex.getMessage();
                }
            }));
            assertTrue(wrong.join(Duration.ofSeconds(60)));
            // A pool without seats cannot be served: said at once, not by refusing every worker.
            try (ProcessPool seatless = ProcessPool.create(PoolOptions.defaults().withWorkers(1)))
            {
                final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> PoolServer.serve(seatless, LOOPBACK, KEY, NetOptions.defaults()));
                assertTrue(none.getMessage().contains("PoolOptions.withRemoteWorkers"), none.getMessage());
            }
            assertTrue(wrong.result().contains("authkey"), wrong.result());
            assertEquals(0, pool.remoteWorkerCount());
            remoteWorker(address);
            awaitSeated(pool, 1);
            assertEquals(7, pool.apply(() -> 7));
        }
    }

    /** Compiles a VersionedTask that returns another text into a directory of its own. */
    private Path compileOtherVersionOfVersionedTask() throws Exception
    {
        final Path source = dir.resolve("src/dev/ipckit/net/VersionedTask.java");
        Files.createDirectories(source.getParent());
        final String original = Files.readString(Path.of("src/test/java/dev/ipckit/net/VersionedTask.java"));
        Files.writeString(source, original.replace("\"version 1\"", "\"version 2\""), StandardCharsets.UTF_8);
        final Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final int rc = compiler.run(null, null, null, "--release", "17", "-classpath",
            System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertEquals(0, rc, "the other version compiles");
        return classes;
    }
}
