package dev.ipckit.pool;

/**
 * The worker process running a task died: killed by a signal, {@code System.exit}, out of memory; or a worker that
 * joined from another host was lost (its process died, or its connection ended or was cut off past the liveness
 * timeout). The pool has replaced the worker (a remote seat waits for the next worker to join); other tasks go on.
 */
public class WorkerDiedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** {@link #exitCode()} of a worker on another host: its exit code is not known here. */
    public static final int UNKNOWN_EXIT_CODE = Integer.MIN_VALUE;

    private final String workerName;
    private final String host;
    private final long pid;
    private final int exitCode;

    WorkerDiedException(final String workerName, final long pid, final int exitCode, final String what)
    {
        super("worker '" + workerName + "' (pid " + pid + ") " + describe(exitCode) + " " + what);
        this.workerName = workerName;
        this.host = JoinedWorker.hostName();
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** A worker from another host was lost. */
    WorkerDiedException(final String workerName, final String host, final long pid, final String peer,
        final String reason, final String what)
    {
        super("remote worker '" + workerName + "' (pid " + pid + " on host " + host + ", " + peer + ") was lost " +
            what + ": " + reason);
        this.workerName = workerName;
        this.host = host;
        this.pid = pid;
        this.exitCode = UNKNOWN_EXIT_CODE;
    }

    /** @return the worker's process name. */
    public String workerName()
    {
        return workerName;
    }

    /** @return the name of the host the worker ran on (this host's for the pool's own workers). */
    public String host()
    {
        return host;
    }

    /** @return the worker's pid (on its host). */
    public long pid()
    {
        return pid;
    }

    /**
     * @return its exit code as Python reports it: negative for a signal (-9 for SIGKILL); {@link #UNKNOWN_EXIT_CODE}
     *         for a worker on another host.
     */
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
