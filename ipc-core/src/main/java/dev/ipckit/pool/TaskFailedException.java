package dev.ipckit.pool;

/**
 * A task failed, seen through an iterator ({@code imap}), which cannot throw checked exceptions: the cause is the
 * task's exception (its type, message and remote stack trace), a {@link WorkerDiedException}, or a
 * {@link java.util.concurrent.TimeoutException}.
 */
public class TaskFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    TaskFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
