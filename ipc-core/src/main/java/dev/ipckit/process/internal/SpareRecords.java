package dev.ipckit.process.internal;

import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ProcessIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a JVM's idle spare JVMs ({@code StartMethod.FORKSERVER}) are written down for {@code ipckit ls}: a file
 * {@value #FILE_NAME} in the JVM's private result directory ({@link Children#resultDirectory()}, removed at its
 * exit, and by the next JVM when it died), one spare's {@link ProcessIdentity} per line, rewritten whole (a temporary
 * file moved over it) whenever the idle spares change. Readers check everything: the directory must be a private one
 * of this uid whose name is a live creator's identity, the file at most {@link #MAX_FILE_BYTES} bytes, each line a
 * number that is a live process's identity (so a reused pid is never shown) running {@link ChildMain} as a spare.
 */
public final class SpareRecords
{
    /** The file's name in the result directory. */
    static final String FILE_NAME = "spares";
    /** More than 64 spares per spec times a few specs would ever need. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /**
     * A spare JVM found by {@link #list}.
     *
     * @param pid         its pid.
     * @param creatorPid  the pid of the JVM that keeps it.
     * @param started     when it started, if known.
     * @param commandLine its command line, if known.
     */
    public record Spare(long pid, long creatorPid, Optional<Instant> started, Optional<String> commandLine)
    {
    }

    private SpareRecords()
    {
    }

    /**
     * Writes this JVM's idle spares down (removes the file when there are none). Never throws: a listing that cannot
     * be written only leaves {@code ipckit ls} without it.
     *
     * @param pids the idle spares' pids.
     */
    public static void publish(final List<Long> pids)
    {
        try
        {
            final Path directory = Children.resultDirectory();
            final Path file = directory.resolve(FILE_NAME);
            if (pids.isEmpty())
            {
                Files.deleteIfExists(file);
                return;
            }
            final StringBuilder text = new StringBuilder();
            for (final long pid : pids)
            {
                final long identity = ProcessIdentity.of(pid);
                if (identity != ProcessIdentity.NONE)
                {
                    text.append(identity).append('\n');
                }
            }
            final Path temporary = directory.resolve(FILE_NAME + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not listed; nothing else depends on it.
        }
    }

    /**
     * The idle spares of this uid's live JVMs, found in the result directories under {@code java.io.tmpdir}.
     *
     * @return the spares; lines and directories that fail a check are skipped.
     */
    public static List<Spare> list()
    {
        final List<Spare> spares = new ArrayList<>();
        final Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> directories =
            Files.newDirectoryStream(temp, Children.RESULT_DIRECTORY_PREFIX + "*"))
        {
            for (final Path directory : directories)
            {
                final long creator = creatorOf(directory);
                if (creator != ProcessIdentity.NONE)
                {
                    readInto(directory.resolve(FILE_NAME), creator, spares);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // No temporary directory to read: nothing listed.
        }
        return spares;
    }

    /** The live creator whose private directory this is, or {@link ProcessIdentity#NONE}. */
    private static long creatorOf(final Path directory)
    {
        final String suffix = directory.getFileName().toString().substring(Children.RESULT_DIRECTORY_PREFIX.length());
        try
        {
            if (!suffix.matches("[0-9]{1,19}") || PrivateDirectory.problem(directory).isPresent())
            {
                return ProcessIdentity.NONE;
            }
            final long identity = Long.parseLong(suffix);
            return ProcessIdentity.isAlive(identity) ? identity : ProcessIdentity.NONE;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return ProcessIdentity.NONE;
        }
    }

    private static void readInto(final Path file, final long creator, final List<Spare> spares)
    {
        final List<String> lines;
        try
        {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_FILE_BYTES)
            {
                return;
            }
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            return;
        }
        for (final String line : lines)
        {
            if (!line.matches("[0-9]{1,19}"))
            {
                continue;
            }
            final long identity;
            try
            {
                identity = Long.parseLong(line);
            }
            catch (final NumberFormatException ex)
            {
                continue;
            }
            if (!ProcessIdentity.isAlive(identity))
            {
                continue;
            }
            final Optional<ProcessHandle> process = ProcessHandle.of(ProcessIdentity.pid(identity));
            final Optional<String> commandLine = process.flatMap(handle -> handle.info().commandLine());
            if (commandLine.isPresent() && !commandLine.get().contains(
                ChildMain.class.getName() + " " + ChildProtocol.SPARE_ARGUMENT))
            {
                continue;
            }
            spares.add(new Spare(ProcessIdentity.pid(identity), ProcessIdentity.pid(creator),
                process.flatMap(handle -> handle.info().startInstant()), commandLine));
        }
    }
}
