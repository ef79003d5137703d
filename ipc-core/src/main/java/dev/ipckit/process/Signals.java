package dev.ipckit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends the signals Java's {@link ProcessHandle} cannot: {@code destroy} is SIGTERM and {@code destroyForcibly}
 * SIGKILL, but SIGINT needs the {@code kill} command. Starting it costs a millisecond or two, which an interrupt can
 * afford.
 */
final class Signals
{
    /** Where {@code kill} is on Linux and macOS; the first that exists is used, else {@code kill} on the PATH. */
    private static final List<Path> KILL_COMMANDS = List.of(Path.of("/bin/kill"), Path.of("/usr/bin/kill"));
    private static final long KILL_TIMEOUT_SECONDS = 10;
    private static final int SIGINT = 2;
    private static final String SIG_IGN_FIELD = "SigIgn:";

    private Signals()
    {
    }

    /**
     * Sends SIGINT to a process.
     *
     * @param pid the process.
     * @throws UncheckedIOException when {@code kill} cannot be run or reports a failure.
     */
    static void interrupt(final long pid)
    {
        send("INT", pid);
    }

    /**
     * Whether a process ignores SIGINT, from the {@code SigIgn} mask in {@code /proc/<pid>/status} (Linux). A process
     * inherits an ignored SIGINT from its parent, and a JVM then leaves it ignored: a shell script's background job
     * ignores it, and so do the children of a JVM started that way.
     *
     * @param pid the process.
     * @return true when it is known to ignore SIGINT; false when it does not, or when the system does not tell.
     */
    static boolean ignoresInterrupt(final long pid)
    {
        return ignores(pid, SIGINT);
    }

    private static boolean ignores(final long pid, final int signal)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
        for (final String line : lines)
        {
            if (line.startsWith(SIG_IGN_FIELD))
            {
                try
                {
                    // Bit n - 1 of the hexadecimal mask is signal n.
                    final long mask = Long.parseUnsignedLong(line.substring(SIG_IGN_FIELD.length()).trim(), 16);
                    return (mask & (1L << (signal - 1))) != 0;
                }
                catch (final NumberFormatException ex)
                {
                    return false;
                }
            }
        }
        return false;
    }

    private static void send(final String signal, final long pid)
    {
        final String kill = killCommand();
        final Process sender;
        try
        {
            sender = new ProcessBuilder(kill, "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot send SIG" + signal + " to pid " + pid + ": " + kill +
                " cannot be started (" + ex.getMessage() + ")", ex);
        }
        try
        {
            sender.getOutputStream().close();
            // Waited for before its output is read: kill writes a line at most, far less than a pipe holds.
            if (!sender.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                sender.destroyForcibly();
                throw new UncheckedIOException(new IOException(
                    "cannot send SIG" + signal + " to pid " + pid + ": " + kill + " did not finish in " +
                    KILL_TIMEOUT_SECONDS + " s"));
            }
            final byte[] output = sender.getInputStream().readAllBytes();
            if (sender.exitValue() != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                throw new UncheckedIOException(new IOException("cannot send SIG" + signal + " to pid " + pid + ": " +
                    kill + " exited with " + sender.exitValue() + ": " +
                    new String(output, StandardCharsets.UTF_8).trim()));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot send SIG" + signal + " to pid " + pid + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            // The signal is on its way or sent; keep the caller's interrupt for it to see.
            Thread.currentThread().interrupt();
        }
    }

    private static String killCommand()
    {
        for (final Path candidate : KILL_COMMANDS)
        {
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return "kill";
    }
}
