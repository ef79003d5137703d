package dev.ipckit.memory;

import dev.ipckit.testing.AutomaticCleanupOff;
import org.junit.jupiter.api.extension.ExtendWith;
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
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Item 1 of issue 13: a directory is verified, not trusted; region files are never opened through a link.
 */
@ExtendWith(AutomaticCleanupOff.class) // needs what a dead creator left to stay until the test looks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectoryTrustTest
{
    private static final int SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private static RegionOptions in(final Path directory)
    {
        return RegionOptions.defaults().withDirectory(directory).withTimeout(Duration.ofMillis(300))
            .withDirectoryCapacity(4);
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedNamingItsOwnerModeAndWhatToDo() throws Exception
    {
        for (final String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx----w-"))
        {
            final Path open = Files.createDirectory(dir.resolve("open-" + mode.replace('-', '_')));
            keptRegion(open, "there"); // made while it was private: a region that an opener must not reach now
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString(mode));
            final String octal = String.format("%04o", modeBits(open));

            for (final Executable use : List.<Executable>of(
                () -> SharedRegion.create("fresh", SIZE, in(open)),
                () -> SharedRegion.open("there", in(open)),
                () -> SharedRegion.openOrCreate("there", SIZE, in(open)),
                () -> SharedRegion.openOrCreate("fresh", SIZE, in(open)),
                () -> RegionFiles.list(open),
                () -> RegionFiles.removeStale(open)))
            {
                final RegionException ex = assertThrows(RegionException.class, use);
                assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
                final String message = ex.getMessage();
                assertTrue(message.contains("directory " + open + " "), message);
                assertTrue(message.contains("mode " + octal + " (" + mode + ")"), message);
                assertTrue(message.contains("root (uid 0)") || message.contains("(uid " + uid(open) + ")"), message);
                assertTrue(message.contains("chmod go-w " + open), message);
                assertTrue(message.contains("only you can write"), message);
            }
            assertEquals(List.of("there.region"), names(open), "nothing was created in " + open);
        }
    }

    @Test
    void aDirectoryThatIsASymbolicLinkIsRefusedEvenToAGoodDirectory() throws Exception
    {
        final Path good = Files.createDirectory(dir.resolve("good"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
        keptRegion(good, "there");
        final Path link = Files.createSymbolicLink(dir.resolve("link"), good);

        for (final Executable use : List.<Executable>of(
            () -> SharedRegion.create("fresh", SIZE, in(link)),
            () -> SharedRegion.open("there", in(link)),
            () -> SharedRegion.openOrCreate("there", SIZE, in(link)),
            () -> SharedRegion.openAt(link.resolve("there.region"), in(link)),
            () -> RegionFiles.list(link)))
        {
            final RegionException ex = assertThrows(RegionException.class, use);
            assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().contains("directory " + link + " is a symbolic link (to " + good + ")"),
                ex.getMessage());
        }
        assertEquals(List.of("there.region"), names(good));
    }

    @Test
    void aRegionFileThatIsASymbolicLinkIsRefused() throws Exception
    {
        final Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        final Path target = keptRegion(elsewhere, "target");
        final Path regions = Files.createDirectory(dir.resolve("regions"));
        Files.createSymbolicLink(regions.resolve("linked.region"), target);
        Files.createSymbolicLink(regions.resolve("dangling.region"), elsewhere.resolve("missing.region"));
        final byte[] before = Files.readAllBytes(target);

        for (final String name : List.of("linked", "dangling"))
        {
            for (final Executable use : List.<Executable>of(
                () -> SharedRegion.create(name, SIZE, in(regions)),
                () -> SharedRegion.open(name, in(regions)),
                () -> SharedRegion.openOrCreate(name, SIZE, in(regions))))
            {
                final RegionException ex = assertThrows(RegionException.class, use);
                assertEquals(RegionException.Reason.UNSAFE_FILE, ex.reason(), ex.getMessage());
                assertTrue(ex.getMessage().contains(regions.resolve(name + ".region") + ": is a symbolic link (to "),
                    ex.getMessage());
                assertTrue(ex.getMessage().contains("remove the link"), ex.getMessage());
            }
        }
        assertFalse(Files.exists(elsewhere.resolve("missing.region")), "a dangling link was not followed to create");
        assertArrayEquals(before, Files.readAllBytes(target), "the link's target was not touched");
        // ls lists a link as not a region and clean leaves it (it is not stale, only never used).
        final List<RegionFiles.RegionFile> listed = RegionFiles.list(regions);
        assertEquals(2, listed.size(), listed.toString());
        assertTrue(listed.stream().noneMatch(f -> f.valid() || f.stale()), listed.toString());
        assertEquals(List.of(), RegionFiles.removeStale(regions));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFifoNamedLikeARegionIsListedAsNotARegionWithoutWaitingForAWriter() throws Exception
    {
        final Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe.region").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        final List<RegionFiles.RegionFile> listed = RegionFiles.list(dir);
        assertEquals(1, listed.size(), listed.toString());
        assertFalse(listed.get(0).valid() || listed.get(0).stale(), listed.toString());
        assertEquals(List.of(), RegionFiles.removeStale(dir));
    }

    @Test
    void aDirectoryOwnedByAnotherUidIsRefused() throws Exception
    {
        assumeTrue(isRoot(), "only root can give a directory to another uid");
        final Path foreign = Files.createDirectory(dir.resolve("foreign"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
        keptRegion(foreign, "there");
        Files.setOwner(foreign, nobody()); // still 0700: only its owner's, and that is not us
        for (final Executable use : List.<Executable>of(
            () -> SharedRegion.create("fresh", SIZE, in(foreign)),
            () -> SharedRegion.open("there", in(foreign)),
            () -> SharedRegion.openOrCreate("there", SIZE, in(foreign)),
            () -> RegionFiles.list(foreign)))
        {
            final RegionException ex = assertThrows(RegionException.class, use);
            assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().contains(
                "directory " + foreign + " is owned by nobody (uid 65534), not by you (uid 0), mode 0700 (rwx------)"),
                ex.getMessage());
            assertTrue(ex.getMessage().contains("remove it"), ex.getMessage());
        }
    }

    /**
     * The attack of issue 13: another user makes the victim's directory first (mode 0777) and plants a region in it.
     * The victim must not use the directory at all: not open the planted region, not create its own there (which the
     * attacker could then rename away and replace), whether the directory comes from {@code withDirectory} or from
     * {@code -Dipckit.dir}.
     */
    @Test
    void anotherUsersWorldWritableDirectoryIsNeverUsed() throws Exception
    {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser");
        // The parent is like /dev/shm or /tmp: everyone may make directories in it (sticky, so none can remove another's).
        Files.setAttribute(dir, "unix:mode", 01777);
        final Path crafted = Files.createDirectory(dir.resolve("crafted"));
        final Path bait = keptRegion(crafted, "barrier");
        Files.setPosixFilePermissions(crafted, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bait, PosixFilePermissions.fromString("rw-r--r--"));

        final Path planted = dir.resolve("ipckit-victim");
        asNobody("mkdir", "-m", "0777", planted.toString());
        asNobody("cp", bait.toString(), planted.resolve("barrier.region").toString());
        assertEquals(65534, uid(planted));
        final List<String> plantedFiles = names(planted);

        final List<Executable> uses = List.of(
            () -> SharedRegion.open("barrier", in(planted)),
            () -> SharedRegion.openOrCreate("barrier", SIZE, in(planted)),
            () -> SharedRegion.create("mine", SIZE, in(planted)),
            () -> SharedRegion.openAt(planted.resolve("barrier.region"), in(planted)),
            () -> SharedRegion.open("barrier", RegionOptions.defaults().withTimeout(Duration.ofMillis(300))),
            () -> SharedRegion.openOrCreate("mine", SIZE, RegionOptions.defaults()));
        final String before = System.getProperty(RegionFiles.DIRECTORY_PROPERTY);
        System.setProperty(RegionFiles.DIRECTORY_PROPERTY, planted.toString());
        try
        {
            assertEquals(planted, RegionFiles.defaultDirectory());
            for (final Executable use : uses)
            {
                final RegionException ex = assertThrows(RegionException.class, use);
                assertEquals(RegionException.Reason.UNSAFE_DIRECTORY, ex.reason(), ex.getMessage());
                assertTrue(ex.getMessage().contains("is owned by nobody (uid 65534), not by you (uid 0), mode 0777"),
                    ex.getMessage());
            }
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(RegionFiles.DIRECTORY_PROPERTY);
            }
            else
            {
                System.setProperty(RegionFiles.DIRECTORY_PROPERTY, before);
            }
        }
        assertEquals(plantedFiles, names(planted), "nothing was created in the planted directory");
    }

    @Test
    void freshDirectoriesAre0700AndFreshRegionFiles0600WhateverTheUmask() throws Exception
    {
        final Path nested = dir.resolve("a").resolve("b").resolve("c");
        try (SharedRegion region = SharedRegion.create("fresh", SIZE, in(nested)))
        {
            assertEquals("rw-------", permissions(region.path()));
            for (Path p = nested; !p.equals(dir); p = p.getParent())
            {
                assertEquals("rwx------", permissions(p), p.toString());
            }
        }
    }

    @Test
    void anExistingPrivateDirectoryOfOursIsUsed() throws Exception
    {
        final Path readable = Files.createDirectory(dir.resolve("readable"));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x")); // others read: fine
        try (SharedRegion region = SharedRegion.openOrCreate("ok", SIZE, in(readable)))
        {
            assertTrue(region.isCreator());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Path keptRegion(final Path directory, final String name)
    {
        final SharedRegion region = SharedRegion.create(name, SIZE, in(directory).withPersistent(true));
        region.close();
        return region.path();
    }

    private static List<String> names(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String permissions(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static int modeBits(final Path path) throws IOException
    {
        return (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static int uid(final Path path) throws IOException
    {
        return (Integer)Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isRoot() throws IOException
    {
        return (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    private static UserPrincipal nobody() throws IOException
    {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    static void asNobody(final String... command) throws Exception
    {
        final String[] full = new String[command.length + 4];
        full[0] = "/usr/sbin/runuser";
        full[1] = "-u";
        full[2] = "nobody";
        full[3] = "--";
        System.arraycopy(command, 0, full, 4, command.length);
        final Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "runuser did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
