package dev.ipckit.process;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.ipckit.process.internal.ChildMain;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(120)
class ClassDataSharingTest
{
    private final boolean sharingBefore = IpcProcess.usesClassDataSharing();

    @AfterEach
    void restore() throws InterruptedException
    {
        ChildCommand.overrideClassPath(null);
        IpcProcess.useClassDataSharing(sharingBefore);
        TestTasks.killLeftovers();
    }

    @Test
    void classPathWithDirectoriesGetsNoArchive()
    {
        assertFalse(ClassDataSharing.jarsOnly(System.getProperty("java.class.path")),
            "a Surefire class path holds target/classes");
    }

    @Test
    void childrenRunWithTheArchive(@TempDir final Path temp) throws Exception
    {
        final Instant begin = Instant.now().minusSeconds(2);
        final Path jar = temp.resolve("children.jar");
        writeJar(jar, codeSource(ChildMain.class), codeSource(CdsTasks.class));
        // ipc-core's classes and the tasks', with what ipc-core needs of its own dependencies in a child: Agrona's jar.
        final String classPath = jar + File.pathSeparator + codeSource(DirectBuffer.class);
        ChildCommand.overrideClassPath(classPath);
        assertTrue(ClassDataSharing.jarsOnly(classPath));
        IpcProcess.useClassDataSharing(true);
        try
        {
            final IpcProcess<String> first;
            try (OutputWatch watch = OutputWatch.stdout("no marker"))
            {
                first = IpcProcess.of(CdsTasks.greeting("first")).name("cds-1").jvmOptions(CHILD_OPTIONS).start();
                assertTrue(first.join(Duration.ofSeconds(60)));
                assertEquals("", watch.text(), "making the archive prints nothing on the child's stdout");
            }
            assertEquals(OptionalInt.of(0), first.exitCode(), first.stderrTail());
            assertEquals("", first.stderrTail(), "nor on its stderr");
            assertEquals("hello first from cds-1", first.result());
            // JDK 25's AOT cache is assembled after the first child exits, in the background: bounded wait.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (newArchives(begin).isEmpty() && System.nanoTime() - deadline < 0)
            {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertFalse(newArchives(begin).isEmpty(), "the first child left an archive (an AOT cache on JDK 25)");

            final String cacheDirectory = ClassDataSharing.cacheDirectory().toString();
            final IpcProcess<String> second = IpcProcess.of(CdsTasks.greeting("second")).name("cds-2")
                .jvmOptions(CHILD_OPTIONS).start();
            final IpcProcess<Boolean> third = IpcProcess.of(CdsTasks.mapsArchive(cacheDirectory)).name("cds-3")
                .jvmOptions(CHILD_OPTIONS).start();
            assertTrue(second.join(Duration.ofSeconds(60)));
            assertTrue(third.join(Duration.ofSeconds(60)));
            assertEquals("hello second from cds-2", second.result());
            if (Files.exists(Path.of("/proc/self/maps")))
            {
                assertTrue(third.result(), "the child mapped the archive");
            }
            assumeTrue(second.stderrTail().isEmpty(), second.stderrTail());
        }
        finally
        {
            for (final Path archive : newArchives(begin))
            {
                Files.deleteIfExists(archive);
            }
        }
    }

    @Test
    void anArchiveDirectoryThatOthersCanWriteOrThatIsALinkIsNotUsed(@TempDir final Path temp) throws Exception
    {
        final String tmpBefore = System.getProperty("java.io.tmpdir");
        final boolean enabledBefore = ClassDataSharing.enabled();
        ClassDataSharing.enable(true);
        System.setProperty("java.io.tmpdir", temp.toString());
        try
        {
            final Path cache = ClassDataSharing.cacheDirectory();
            assertEquals(temp, cache.getParent());
            final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            final String classPath = temp.resolve("app.jar").toString(); // missing: a class path of jars only
            // Each plan gets its own option list, so its own archive key (a key being dumped is not planned twice).
            assertFalse(ClassDataSharing.plan(java, classPath, List.of("-Xmx61m")).options().isEmpty());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));

            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwx---"));
            assertEquals(List.of(), ClassDataSharing.plan(java, classPath, List.of("-Xmx62m")).options(),
                "a group-writable archive directory is not used");

            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
            final Path real = Files.move(cache, temp.resolve("real"));
            Files.createSymbolicLink(cache, real);
            assertEquals(List.of(), ClassDataSharing.plan(java, classPath, List.of("-Xmx63m")).options(),
                "a link is not followed to an archive directory");
        }
        finally
        {
            System.setProperty("java.io.tmpdir", tmpBefore);
            ClassDataSharing.enable(enabledBefore);
        }
    }

    private static List<Path> newArchives(final Instant since) throws IOException
    {
        final Path directory = ClassDataSharing.cacheDirectory();
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> (file.toString().endsWith(".jsa") || file.toString().endsWith(".aot")) &&
                    modifiedSince(file, since))
                .collect(Collectors.toList());
        }
    }

    private static boolean modifiedSince(final Path file, final Instant since)
    {
        try
        {
            return Files.getLastModifiedTime(file).compareTo(FileTime.from(since)) >= 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static Path codeSource(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void writeJar(final Path jar, final Path... directories) throws IOException
    {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            for (final Path directory : directories)
            {
                final List<Path> files;
                try (Stream<Path> walk = Files.walk(directory))
                {
                    files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
                }
                for (final Path path : files)
                {
                    out.putNextEntry(new JarEntry(directory.relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
        }
    }
}
