package dev.ipckit.queue;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Item 1 of issue 13 for queues and pipes: their directories and journals are private, and an unsafe directory is
 * refused.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueDirectoryTrustTest
{
    @TempDir
    Path dir;

    private QueueOptions queueOptions(final Path base)
    {
        return QueueOptions.defaults().withDirectory(base).withOpenTimeout(Duration.ofMillis(500));
    }

    @Test
    void queueAndPipeDirectoriesAreCreated0700AndNoOtherUserCanReadTheirFiles() throws Exception
    {
        final Path base = dir.resolve("made-by-ipckit");
        final List<Path> files = new ArrayList<>();
        try (SharedQueue<Object> queue = SharedQueue.create("jobs", queueOptions(base));
             Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(base).withDuplex(true)))
        {
            queue.put("secret");
            pipe.end2().send("secret");
            pipe.end1().send("secret");
            assertEquals("secret", pipe.end1().recv(10, TimeUnit.SECONDS));

            assertEquals("rwx------", permissions(base));
            for (final Path top : List.of(queue.directory(), pipe.directory()))
            {
                try (Stream<Path> walk = Files.walk(top))
                {
                    for (final Path path : walk.toList())
                    {
                        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                        {
                            assertEquals("rwx------", permissions(path), path.toString());
                        }
                        else
                        {
                            files.add(path);
                        }
                    }
                }
            }
            assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".cq4")), files.toString());
            assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals(QueueFiles.CONTROL_FILE)));
            for (final Path file : files)
            {
                if (file.getFileName().toString().equals(QueueFiles.CONTROL_FILE))
                {
                    assertEquals("rw-------", permissions(file), file.toString());
                }
            }
            // Chronicle makes its journal files with the umask (0644 here); the 0700 directories keep them private.
            if (isRoot() && Files.isExecutable(Path.of("/usr/sbin/runuser")))
            {
                Files.setAttribute(dir, "unix:mode", 0755); // as if the directory were /dev/shm: the test's own is 0700
                for (final Path file : files)
                {
                    final Process cat = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "cat",
                        file.toString()).redirectErrorStream(true).start();
                    final String output = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(cat.waitFor(30, TimeUnit.SECONDS));
                    assertNotEquals(0, cat.exitValue(), "uid nobody read " + file);
                    assertTrue(output.contains("Permission denied"), output);
                }
            }
        }
    }

    @Test
    void aQueueOrPipeInADirectoryOthersCanWriteIsRefused() throws Exception
    {
        final Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (final Executable use : List.<Executable>of(
            () -> SharedQueue.create("jobs", queueOptions(open)).close(),
            () -> SharedQueue.openOrCreate("jobs", Codecs.standard(), queueOptions(open)).close(),
            () -> JoinableQueue.create("joined", queueOptions(open)).close(),
            () -> Pipe.create(PipeOptions.defaults().withDirectory(open)).close(),
            () -> QueueFiles.list(open),
            () -> QueueFiles.removeStale(open)))
        {
            final RegionException ex = assertThrows(RegionException.class, use);
            assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().contains("directory " + open + " (owned by "), ex.getMessage());
            assertTrue(ex.getMessage().contains("mode 0777 (rwxrwxrwx)"), ex.getMessage());
        }
        try (Stream<Path> left = Files.list(open))
        {
            assertEquals(List.of(), left.toList(), "nothing was created in " + open);
        }
    }

    @Test
    void aQueueDirectoryOrJournalThatIsALinkOrOpenToOthersIsRefused() throws Exception
    {
        final Path base = dir.resolve("base");
        try (SharedQueue<Object> queue = SharedQueue.create("real", queueOptions(base)))
        {
            queue.put("x");
            final Path alias = Files.createSymbolicLink(base.resolve("alias" + QueueFiles.QUEUE_SUFFIX), queue.directory());
            RegionException ex = assertThrows(RegionException.class,
                () -> SharedQueue.open("alias", Codecs.standard(), queueOptions(base)).close());
            assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().contains("directory " + alias + " is a symbolic link"), ex.getMessage());

            final Path journal = queue.directory().resolve(SharedQueue.JOURNAL_DIRECTORY);
            Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rwxrwx---"));
            ex = assertThrows(RegionException.class,
                () -> SharedQueue.open("real", Codecs.standard(), queueOptions(base)).close());
            assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().contains("directory " + journal + " (owned by "), ex.getMessage());
            assertTrue(ex.getMessage().contains("its group can write it"), ex.getMessage());
        }
    }

    private static String permissions(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isRoot() throws IOException
    {
        return (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }
}
