package dev.ipckit.examples;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedList;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.CreationSteps;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpckitCliTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return IpckitCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommandsAndNoArgumentsIsBadUsage()
    {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("demo [name...]") && out().contains("race [options]") && out().contains("clean"), out());
        assertEquals(2, run());
    }

    @Test
    void anUnknownCommandIsBadUsageAndSaysWhich()
    {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"), err());
    }

    @Test
    void demoListNamesTheDemosAndAnUnknownDemoIsBadUsage()
    {
        assertEquals(0, run("demo", "--list"));
        for (final String name : Demos.DEMOS.keySet())
        {
            assertTrue(out().contains(name + " "), name + " is missing from: " + out());
        }
        assertTrue(Demos.DEMOS.keySet().containsAll(java.util.List.of("processes", "info", "pool", "timing", "mapreduce",
            "queue", "pipe", "duplex", "values", "manager", "lock", "rlock", "semaphore", "event", "condition", "barrier",
            "race")), Demos.DEMOS.keySet().toString());
        assertEquals(2, run("demo", "nosuchdemo"));
        assertTrue(err().contains("no demo named 'nosuchdemo'"), err());
        assertEquals(0, run("demo", "--help"));
    }

    @Test
    void lsShowsRegionsObjectsAndValuesAndCleanKeepsLiveOnes() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("listed", 1 << 20, RegionOptions.defaults().withDirectory(dir));
             SharedQueue<Object> queue = SharedQueue.create("jobs", QueueOptions.defaults().withDirectory(dir).withCapacity(10)))
        {
            SharedLong.create(region, "hits", 7);
            queue.put("a");
            queue.put("b");
            assertEquals(0, run("ls", dir.toString()));
            assertTrue(out().contains("listed") && out().contains("alive"), out());
            assertTrue(out().contains("hits") && out().contains("= 7"), out());
            assertTrue(out().contains("jobs.queue  depth 2 of 10  put 2  taken 0"), out());

            assertEquals(0, run("clean", dir.toString()));
            assertTrue(out().contains("0 stale region(s) and 0 stale queue(s) or pipe(s) removed"), out());
            assertTrue(Files.exists(region.path()));
            assertTrue(Files.exists(queue.directory()));
        }
        assertEquals(2, run("ls", "a", "b"));
        assertTrue(err().contains("at most one directory"), err());
    }

    @Test
    void cleanRemovesWhatCreatorsKilledHalfWayLeftAndTheNamesWorkAgain() throws Exception
    {
        // A region's creator dead with its file still under the unfinished name, a persistent queue's creator dead
        // before the queue's control block was published: both without the minute's wait for unknown leftovers.
        final String directory = dir.toString();
        final long regionCreator = haltAt(CreationSteps.REGION_HEADER_WRITTEN, () -> SharedRegion.create("half", 1 << 16,
            RegionOptions.defaults().withDirectory(Path.of(directory))));
        final long queueCreator = haltAt(CreationSteps.QUEUE_JOURNAL_OPENED, () -> SharedQueue.create("halfq",
            QueueOptions.defaults().withDirectory(Path.of(directory)).withPersistent(true)));

        assertEquals(0, run("ls", dir.toString()));
        assertTrue(out().contains("half.region.") && out().contains("creator pid " + regionCreator) &&
            out().contains("STALE"), out());
        assertTrue(out().contains("halfq.queue  STALE"), out());

        assertEquals(0, run("clean", dir.toString()));
        assertTrue(out().contains("1 stale region(s) and 1 stale queue(s) or pipe(s) removed"), out());
        try (java.util.stream.Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count(), "creator pids " + regionCreator + ", " + queueCreator + ": " + out());
        }
        try (SharedRegion region = SharedRegion.create("half", 1 << 16, RegionOptions.defaults().withDirectory(dir));
             SharedQueue<Object> queue = SharedQueue.create("halfq", QueueOptions.defaults().withDirectory(dir)))
        {
            queue.put("works");
            assertEquals("works", queue.take());
            assertTrue(region.isCreator());
        }
    }

    private static long haltAt(final String step, final dev.ipckit.process.SerializableRunnable creation)
        throws InterruptedException
    {
        final IpcProcess<Void> child = IpcProcess.of(creation).name("creator")
            .jvmOptions("-D" + CreationSteps.HALT_PROPERTY + "=" + step, "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1").start();
        assertTrue(child.join(java.time.Duration.ofSeconds(30)));
        assertEquals(CreationSteps.HALT_STATUS, child.exitCode().getAsInt(), child.stderrTail());
        return child.pid();
    }

    @Test
    void lsShowsLockOwnersAliveOrDeadAndTheManagersContents() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("owners", 1 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedLock orphaned = SharedLock.create(region, "orphaned");
            final SharedLock mine = SharedLock.create(region, "mine");
            SharedLock.create(region, "idle");
            final SharedEvent locked = SharedEvent.create(region, "locked");
            SharedSemaphore.create(region, "slots", 3);
            final SharedDict<Object, Object> dict = SharedDict.create(region, "config", 16, 4096);
            dict.put("mode", "fast");
            final SharedList<Object> list = SharedList.create(region, "log", 16, 4096);
            list.add("started");
            list.add(42);

            final IpcProcess<Boolean> holder = IpcProcess.of(() ->
            {
                orphaned.lock();
                locked.set();
                return new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS); // until it is killed
            }).name("holder").jvmOptions("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1").start();
            assertTrue(locked.await(30, TimeUnit.SECONDS), "the child never took the lock");
            final long holderPid = holder.pid();
            holder.kill();
            assertTrue(holder.join(java.time.Duration.ofSeconds(30)));
            mine.lock();
            try
            {
                assertEquals(0, run("ls", dir.toString()));
            }
            finally
            {
                mine.unlock();
            }
            final String listing = out();
            assertTrue(listing.contains("held by pid " + holderPid + " (DEAD"), listing);
            assertTrue(listing.contains("held by pid " + ProcessHandle.current().pid() + " (alive)"), listing);
            assertTrue(listing.matches("(?s).*idle\\s+LOCK\\s+free.*"), listing);
            assertTrue(listing.contains("3 permit(s) available"), listing);
            assertTrue(listing.contains("set"), listing);
            assertTrue(listing.contains("1 item(s) {mode=fast}"), listing);
            assertTrue(listing.contains("2 item(s) [started, 42]"), listing);
        }
    }

    @Test
    void lsAndCleanOnADirectoryOthersCanWriteSayWhyAndFail() throws Exception
    {
        SharedRegion.create("kept", 1 << 16, RegionOptions.defaults().withDirectory(dir).withPersistent(true)).close();
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        for (final String command : java.util.List.of("ls", "clean"))
        {
            err.reset();
            assertEquals(1, run(command, dir.toString()), err());
            final String message = err();
            assertTrue(message.startsWith("ipckit " + command + ": region " + dir + ": not used: directory " + dir +
                " (owned by "), message);
            assertTrue(message.contains("mode 0777 (rwxrwxrwx): every user can write it; remove it or chmod go-w " + dir),
                message);
            assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace: " + message);
        }
        assertTrue(Files.exists(dir.resolve("kept.region")), "clean removed nothing");
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}
