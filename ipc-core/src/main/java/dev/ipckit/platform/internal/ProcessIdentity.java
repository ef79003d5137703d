package dev.ipckit.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process identity that survives PID reuse, packed into one {@code long} so that it fits a lock word and can be
 * compared-and-set in shared memory.
 * <pre>
 *   bit 63..22  process start time (clock ticks since boot on Linux, else centiseconds since the epoch), 42 bits
 *   bit 21..0   pid (Linux pid_max is at most 2^22)
 * </pre>
 * A dead owner never looks alive: a new process that reuses the pid has a later start time. A live owner never looks
 * dead: its start time is read from the same immutable source every time ({@code /proc/<pid>/stat} field 22 on
 * Linux, not the wall-clock derived {@code ProcessHandle.Info.startInstant()}, which can drift with clock changes).
 * Zero is never an identity and stands for "no owner".
 */
public final class ProcessIdentity
{
    /** No process: the value of an unowned word. */
    public static final long NONE = 0L;

    static final int PID_BITS = 22;
    static final long PID_MASK = (1L << PID_BITS) - 1;
    static final long START_MASK = (1L << (64 - PID_BITS)) - 1;

    private static final boolean PROC_FS = Files.isDirectory(Path.of("/proc/self"));
    private static final long CURRENT = identityOf(ProcessHandle.current().pid());

    private ProcessIdentity()
    {
    }

    /**
     * The identity of this process.
     *
     * @return this process's identity, never {@link #NONE}.
     */
    public static long current()
    {
        return CURRENT;
    }

    /**
     * The identity of a running process.
     *
     * @param pid the process id.
     * @return its identity, or {@link #NONE} when no such process exists.
     */
    public static long of(final long pid)
    {
        return identityOf(pid);
    }

    /**
     * The pid part of an identity.
     *
     * @param identity a process identity.
     * @return the pid.
     */
    public static long pid(final long identity)
    {
        return identity & PID_MASK;
    }

    /**
     * Whether the process with this identity is still running. A zombie (dead, not yet reaped) counts as dead.
     *
     * @param identity a process identity.
     * @return true while that very process runs; false once it has died, even if its pid was reused.
     */
    public static boolean isAlive(final long identity)
    {
        if (identity == NONE)
        {
            return false;
        }
        if (identity == CURRENT)
        {
            return true;
        }
        return identityOf(pid(identity)) == identity;
    }

    /**
     * A readable form: {@code pid 1234 (started 987654)}.
     *
     * @param identity a process identity.
     * @return the text.
     */
    public static String toString(final long identity)
    {
        return identity == NONE ? "none" : "pid " + pid(identity) + " (start " + (identity >>> PID_BITS) + ")";
    }

    static long encode(final long pid, final long start)
    {
        if (pid <= 0 || pid > PID_MASK)
        {
            throw new IllegalArgumentException("pid " + pid + " does not fit " + PID_BITS + " bits");
        }
        return ((start & START_MASK) << PID_BITS) | pid;
    }

    private static long identityOf(final long pid)
    {
        if (pid <= 0 || pid > PID_MASK)
        {
            return NONE;
        }
        if (PROC_FS)
        {
            final long ticks = linuxStartTicks(pid);
            return ticks < 0 ? NONE : encode(pid, ticks);
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return NONE;
        }
        final long start = handle.get().info().startInstant().map(i -> i.toEpochMilli() / 10).orElse(0L);
        return encode(pid, start);
    }

    /**
     * Field 22 of {@code /proc/<pid>/stat}: start time in clock ticks after boot. -1 when the process does not exist
     * or is a zombie (state Z or X), so a dead-but-unreaped owner counts as dead.
     */
    private static long linuxStartTicks(final long pid)
    {
        final String stat;
        try
        {
            stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            return -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields after it start at the last ')'.
        final int afterName = stat.lastIndexOf(')');
        if (afterName < 0)
        {
            return -1;
        }
        final String[] fields = stat.substring(afterName + 2).split(" ");
        // fields[0] is field 3 (state); field 22 is fields[19].
        final String state = fields[0];
        if ("Z".equals(state) || "X".equals(state) || fields.length < 20)
        {
            return -1;
        }
        return Long.parseLong(fields[19]);
    }
}
