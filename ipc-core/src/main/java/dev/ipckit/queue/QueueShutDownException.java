package dev.ipckit.queue;

/**
 * The queue was shut down ({@link SharedQueue#shutdown(boolean)}), Python's {@code queue.ShutDown}: thrown by every
 * put after the shutdown, and by a take or poll once nothing is left to take (at once after an immediate shutdown).
 * A queue served to other hosts throws it in its remote users' calls too.
 */
public class QueueShutDownException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the queue.
     */
    public QueueShutDownException(final String message)
    {
        super(message);
    }
}
