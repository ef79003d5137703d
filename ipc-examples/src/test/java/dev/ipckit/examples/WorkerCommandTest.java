package dev.ipckit.examples;

import dev.ipckit.net.NetOptions;
import dev.ipckit.net.PoolServer;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.ProcessInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Help;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ipckit worker --connect}: the key from a file only, bad usage, and workers that join a served pool. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerCommandTest
{
    private static final byte[] KEY = "a key shared by the two hosts".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final byte[] treeKey = ProcessInfo.currentAuthkey();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void restoreTheTreesKey()
    {
        // The command sets this JVM's tree key from the file; later tests' children expect the tree's own.
        ProcessInfo.setCurrentAuthkey(treeKey);
    }

    private int run(final String... args)
    {
        return IpckitCli.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Help.Ansi.OFF);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path keyFile(final String permissions) throws Exception
    {
        final Path file = dir.resolve("key");
        Files.write(file, KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void aKeyFileOthersCanReadOrNoKeyAtAllIsBadUsage() throws Exception
    {
        assertEquals(2, run("worker", "--connect", "127.0.0.1:1", "--authkey-file", keyFile("rw-r--r--").toString()));
        assertTrue(err().contains("may be read or written by others") && err().contains("chmod 600"), err());
        assertEquals(2, run("worker", "--connect", "127.0.0.1:1", "--authkey-file", dir.resolve("none").toString()));
        assertTrue(err().contains("is no regular file"), err());
        assertEquals(2, run("worker"));
        assertTrue(err().contains("--connect"), err());
        if (System.getenv("IPCKIT_AUTHKEY") == null)
        {
            assertEquals(2, run("worker", "--connect", "127.0.0.1:1"));
            assertTrue(err().contains("no authkey: give --authkey-file FILE or set $IPCKIT_AUTHKEY"), err());
        }
    }

    @Test
    void aWorkerThatRanThePoolsTaskLimitIsReplacedByAFreshJvm() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1)
            .withMaxTasksPerChild(2));
        try (PoolServer server = PoolServer.serve(pool, "127.0.0.1:0", KEY, NetOptions.defaults()))
        {
            final Path key = keyFile("rw-------");
            final CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() ->
                run("worker", "--connect", server.address(), "--authkey-file", key.toString(),
                    "--liveness-ms", "2000", "--jvm-option=-Xmx128m"));
            final java.util.Set<Long> pids = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++)
            {
                pids.add(pool.apply(() -> ProcessHandle.current().pid()));
            }
            // The options reached the worker JVMs.
            assertTrue(pool.apply(() -> java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-Xmx128m")), "the worker JVM got --jvm-option");
            assertEquals(3, pids.size(), "two tasks per worker JVM, each replaced: " + pids + "\n" + err());
            pool.close();
            assertEquals(0, command.get(60, TimeUnit.SECONDS), err());
            assertEquals(3, err().split("ran the pool's task limit", -1).length - 1, err());
            assertTrue(err().contains("was stopped by the pool"), err());
        }
        finally
        {
            pool.close();
        }
    }

    @Test
    void workersJoinAServedPoolAndTheCommandEndsWhenThePoolStopsThem() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(2));
        try (PoolServer server = PoolServer.serve(pool, "127.0.0.1:0", KEY, NetOptions.defaults()))
        {
            final Path key = keyFile("rw-------");
            final CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() ->
                run("worker", "--connect", server.address(), "--authkey-file", key.toString(), "--workers", "2"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pool.remoteWorkerCount() < 2)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the command's workers joined: " + err());
                Thread.sleep(10);
            }
            assertEquals(java.util.List.of(1, 4, 9), pool.map((Integer i) -> i * i, java.util.List.of(1, 2, 3)));
            pool.close();
            assertEquals(0, command.get(60, TimeUnit.SECONDS), err());
            assertEquals(2, err().split("was stopped by the pool", -1).length - 1, err());
        }
        finally
        {
            pool.close();
        }
    }
}
