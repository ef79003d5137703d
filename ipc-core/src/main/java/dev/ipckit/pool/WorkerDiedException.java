package dev.ipckit.pool;

/**
 * The worker process running a task died: killed by a signal, {@code System.exit}, out of memory. The pool has
 * replaced the worker; other tasks go on.
 */
public class WorkerDiedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final long pid;
    private final int exitCode;

    WorkerDiedException(final String workerName, final long pid, final int exitCode, final String what)
    {
        super("worker '" + workerName + "' (pid " + pid + ") " + describe(exitCode) + " " + what);
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** @return the worker's process name. */
    public String workerName()
    {
        return workerName;
    }

    /** @return the worker's pid. */
    public long pid()
    {
        return pid;
    }

    /** @return its exit code as Python reports it: negative for a signal (-9 for SIGKILL). */
    public int exitCode()
    {
        return exitCode;
    }

    static String describe(final int exitCode)
    {
        if (exitCode < 0)
        {
            return "was killed by signal " + (-exitCode) + (exitCode == -9 ? " (SIGKILL)" : exitCode == -15 ? " (SIGTERM)" : "");
        }
        return "exited with code " + exitCode;
    }
}
