package dev.ipckit.ops;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.manager.SharedDict;
import dev.ipckit.codec.Codecs;
import dev.ipckit.manager.ManagedObject;
import dev.ipckit.manager.ManagedType;
import dev.ipckit.manager.SharedSet;
import dev.ipckit.manager.SharedList;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.StartMethod;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.ShareableList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ipckit ls}, {@code clean} and {@code repair}: what they show and remove, their options and exit codes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionCommandsTest
{
    @TempDir
    Path dir;

    /**
     * Automatic cleanup off, here and (inherited) in the children: what ls and clean are tested on is what dead
     * creators left, which the test JVM (their parent) or the next child would otherwise remove first.
     */
    @BeforeEach
    void automaticCleanupOff()
    {
        System.setProperty(ResourceTracker.CLEANUP_PROPERTY, "false");
    }

    @AfterEach
    void automaticCleanupBack()
    {
        System.clearProperty(ResourceTracker.CLEANUP_PROPERTY);
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        out.reset();
        return OpsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
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
        assertEquals(2, run("ls", dir.toString(), dir.toString()));
        assertTrue(err().contains("ipckit ls: Unmatched argument at index 2"), err());
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
            SharedSet.create(region, "seen", 16, 4096).add("url");
            ManagedObject.create(region, "motd", ManagedType.of("Motd", String.class, Codecs.string(), () -> "hello"),
                256);
            ShareableList.create(region, "settings", java.util.List.of(8080L, "eu"));

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
            assertTrue(listing.matches("(?s).*seen\\s+SET\\[\\d+\\]\\s+1 item\\(s\\) \\[url\\].*"), listing);
            assertTrue(listing.contains("2 item(s) ShareableList([8080, 'eu'], name='settings')"), listing);
            assertTrue(listing.matches("(?s).*motd\\s+OBJECT\\[\\d+\\]\\s+object of type Motd.*"), listing);
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

    @Test
    void lsJsonHasEveryRegionObjectAndQueueWithTheFactsTheTextShows() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("listed", 1 << 20, RegionOptions.defaults().withDirectory(dir));
             SharedQueue<Object> queue = SharedQueue.create("jobs", QueueOptions.defaults().withDirectory(dir).withCapacity(10)))
        {
            SharedLong.create(region, "hits", 7);
            SharedLock.create(region, "guard");
            queue.put("a");
            queue.put("b");
            assertEquals(0, run("ls", "--json", dir.toString()), err());
            final Map<String, Object> listing = JSON.std.mapFrom(out());
            assertEquals(dir.toString(), listing.get("directory"));

            final List<?> regions = (List<?>)listing.get("regions");
            assertEquals(1, regions.size(), out());
            final Map<?, ?> listed = (Map<?, ?>)regions.get(0);
            assertEquals("listed", listed.get("name"));
            assertEquals(region.path().toString(), listed.get("path"));
            assertEquals("pid " + ProcessHandle.current().pid(), ((String)listed.get("creator")).split(" \\(")[0]);
            assertEquals(Boolean.TRUE, listed.get("creatorAlive"));
            assertEquals(Boolean.FALSE, listed.get("stale"));
            assertEquals(Boolean.FALSE, listed.get("damaged"));
            assertEquals(List.of(Map.of("name", "hits", "type", "LONG", "state", "= 7", "damaged", false),
                Map.of("name", "guard", "type", "LOCK", "state", "free", "damaged", false)), listed.get("objects"));

            final List<?> queues = (List<?>)listing.get("queues");
            assertEquals(1, queues.size(), out());
            final Map<?, ?> jobs = (Map<?, ?>)queues.get(0);
            assertEquals("jobs.queue", jobs.get("name"));
            assertEquals(2, ((Number)jobs.get("depth")).intValue());
            assertEquals(10, ((Number)jobs.get("capacity")).intValue());
            assertEquals(2, ((Number)jobs.get("put")).intValue());
            assertEquals(0, ((Number)jobs.get("taken")).intValue());
            assertEquals(Boolean.FALSE, jobs.get("damaged"));
        }
    }

    @Test
    void lsListsTheIdleSparesOfThisUsersJvms() throws Exception
    {
        IpcProcess.setForkserverSpares(1);
        try
        {
            // The first forkserver child of these options is spawned and has a spare made ready for the next one.
            final IpcProcess<Void> first = IpcProcess.of(() -> { }).startMethod(StartMethod.FORKSERVER).start();
            assertTrue(first.join(Duration.ofSeconds(30)));
            final long me = ProcessHandle.current().pid();
            final Map<?, ?> spare = awaitListedSpare(me, true);
            assertTrue(IpcProcess.forkserverSparePids().contains(((Number)spare.get("pid")).longValue()), out());
            assertTrue(((String)spare.get("command")).contains("ChildMain --spare"), out());
            assertEquals(0, run("ls", dir.toString()), err());
            assertTrue(out().contains("pid " + spare.get("pid") + "  spare of pid " + me), out());

            IpcProcess.setForkserverSpares(0);
            awaitListedSpare(me, false);
        }
        finally
        {
            IpcProcess.setForkserverSpares(1);
            IpcProcess.setForkserverSpares(0);
            IpcProcess.setForkserverSpares(1);
        }
    }

    /** Polls {@code ls --json} (bounded) until a spare of {@code creator} is listed, or none is. */
    private Map<?, ?> awaitListedSpare(final long creator, final boolean listed) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            assertEquals(0, run("ls", "--json", dir.toString()), err());
            Map<?, ?> found = null;
            for (final Object entry : (List<?>)JSON.std.mapFrom(out()).get("spares"))
            {
                if (((Number)((Map<?, ?>)entry).get("creatorPid")).longValue() == creator)
                {
                    found = (Map<?, ?>)entry;
                }
            }
            if ((found != null) == listed)
            {
                return found;
            }
            assertTrue(System.nanoTime() - deadline < 0, (listed ? "no spare listed: " : "a spare still listed: ") + out());
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void cleanDryRunListsWhatCleanRemovesAndRemovesNothing() throws Exception
    {
        final String directory = dir.toString();
        haltAt(CreationSteps.REGION_HEADER_WRITTEN, () -> SharedRegion.create("half", 1 << 16,
            RegionOptions.defaults().withDirectory(Path.of(directory))));
        haltAt(CreationSteps.QUEUE_JOURNAL_OPENED, () -> SharedQueue.create("halfq",
            QueueOptions.defaults().withDirectory(Path.of(directory)).withPersistent(true)));
        final List<Path> before = contents();
        assertEquals(2, before.size(), before.toString());

        assertEquals(0, run("clean", "--dry-run", directory), err());
        final String dryRun = out();
        assertEquals(before, contents(), "a dry run removes nothing");
        assertTrue(dryRun.contains("1 stale region(s) and 1 stale queue(s) or pipe(s) would be removed from " + dir +
            " (dry run: nothing removed)"), dryRun);
        assertEquals(0, run("clean", "-n", directory));
        assertEquals(dryRun, out());

        assertEquals(0, run("clean", directory), err());
        assertEquals(dryRun.replace("would remove ", "removed ").lines().filter(l -> l.startsWith("removed ")).toList(),
            out().lines().filter(l -> l.startsWith("removed ")).toList(), "the dry run listed what clean removed");
        assertEquals(List.of(), contents());
    }

    private List<Path> contents() throws java.io.IOException
    {
        try (java.util.stream.Stream<Path> paths = Files.list(dir))
        {
            return paths.sorted().toList();
        }
    }

    @Test
    void lsAndCleanOfAMissingDirectoryAreBadUsage() throws Exception
    {
        final Path missing = dir.resolve("nonexistent");
        for (final String command : List.of("ls", "clean"))
        {
            err.reset();
            assertEquals(2, run(command, missing.toString()), out());
            assertTrue(err().contains("ipckit " + command + ": no directory '" + missing + "'"), err());
            assertEquals("", out());
        }
        final Path file = Files.createFile(dir.resolve("plain"));
        err.reset();
        assertEquals(2, run("ls", file.toString()));
        assertTrue(err().contains("ipckit ls: '" + file + "' is not a directory"), err());
        assertFalse(Files.exists(missing), "nothing made it");
    }

    @Test
    void repairOfNoQueueFailsAndWithoutOneIsBadUsage()
    {
        assertEquals(1, run("repair", dir.resolve("nothere.queue").toString()));
        assertTrue(err().contains("ipckit repair: no queue " + dir.resolve("nothere.queue")), err());
        assertEquals(2, run("repair"));
        assertTrue(err().contains("ipckit repair: Missing required parameter: 'QUEUE'"), err());
    }

    @Test
    void staleAndDeadAreMarkedInRedOnlyWhenColourIsOn() throws Exception
    {
        final String directory = dir.toString();
        haltAt(CreationSteps.REGION_HEADER_WRITTEN, () -> SharedRegion.create("half", 1 << 16,
            RegionOptions.defaults().withDirectory(Path.of(directory))));
        final ByteArrayOutputStream coloured = new ByteArrayOutputStream();
        assertEquals(0, OpsCli.run(new String[] {"ls", directory}, new PrintStream(coloured, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), picocli.CommandLine.Help.Ansi.ON));
        assertTrue(coloured.toString(StandardCharsets.UTF_8).contains("\u001b["), coloured.toString(StandardCharsets.UTF_8));

        assertEquals(0, OpsCli.run(new String[] {"ls", directory}, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Cli.ansi(Map.of("NO_COLOR", "1"), true)));
        assertTrue(out().contains("STALE"), out());
        assertEquals(-1, out().indexOf('\u001b'), out());
    }
}
