package dev.ipckit.platform.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/** What a JVM killed before its cleanup left is removed by the next one: only a dead JVM's own private directory. */
@Timeout(30)
class PrivateDirectoryCleanupTest
{
    @Test
    void onlyThePrivateDirectoriesOfDeadJvmsGo(@TempDir final Path base) throws Exception
    {
        // This pid with a start time it never had: dead (pid + 1 may be a thread of this JVM, alive in /proc).
        final long deadIdentity = ProcessIdentity.encode(ProcessHandle.current().pid(), 1);
        final Path dead = privateDirectory(base.resolve("left-" + deadIdentity));
        Files.writeString(dead.resolve("file"), "x");
        Files.createDirectories(dead.resolve("sub/deeper"));
        final Path alive = privateDirectory(base.resolve("left-" + ProcessIdentity.current()));
        final Path notAnIdentity = privateDirectory(base.resolve("left-not-a-number"));
        final Path tooLong = privateDirectory(base.resolve("left-99999999999999999999"));
        final Path othersCanWrite = privateDirectory(base.resolve("left-" + ProcessIdentity.encode(ProcessHandle.current().pid(), 2)));
        Files.setPosixFilePermissions(othersCanWrite, PosixFilePermissions.fromString("rwxrwx---"));
        final Path otherPrefix = privateDirectory(base.resolve("other-" + (ProcessIdentity.current() + 3)));

        PrivateDirectory.removeThoseOfDeadJvms(base, "left-");

        assertFalse(Files.exists(dead), "a dead JVM's directory, with what is in it");
        assertTrue(Files.exists(alive), "this live JVM's");
        assertTrue(Files.exists(notAnIdentity));
        assertTrue(Files.exists(tooLong));
        assertTrue(Files.exists(othersCanWrite), "never walked into: not a private directory");
        assertTrue(Files.exists(otherPrefix));
        PrivateDirectory.removeThoseOfDeadJvms(base.resolve("missing"), "left-");
    }

    private static Path privateDirectory(final Path path) throws Exception
    {
        return Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
