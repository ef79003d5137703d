package dev.ipckit.stress.harness;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals to processes: SIGKILL through {@link ProcessHandle#destroyForcibly()}, SIGSTOP and SIGCONT through
 * the {@code kill} command (Java has no API for them). Every wait is bounded.
 */
final class Signals
{
    private static final long KILL_COMMAND_TIMEOUT_SECONDS = 10;

    private Signals()
    {
    }

    /**
     * SIGKILL.
     *
     * @param pid the process.
     * @return whether the signal was sent (false when the process had gone).
     */
    static boolean kill(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }

    /**
     * SIGSTOP.
     *
     * @param pid the process.
     * @return whether {@code kill -STOP} succeeded.
     */
    static boolean stop(final long pid)
    {
        return send("STOP", pid);
    }

    /**
     * SIGCONT.
     *
     * @param pid the process.
     * @return whether {@code kill -CONT} succeeded.
     */
    static boolean resume(final long pid)
    {
        return send("CONT", pid);
    }

    private static boolean send(final String signal, final long pid)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(KILL_COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run 'kill -" + signal + " " + pid + "': " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
