package dev.ipckit.queue;

/**
 * The sending side of a {@link Connection}, whatever carries its messages: {@link JournalPipeWriter} appends to a
 * Chronicle journal, {@link RingPipeWriter} writes into an Agrona ring in the pipe's region. The connection's send
 * lock makes every call single-threaded and publishes the writer's state from one sending thread to the next.
 */
abstract class PipeWriter
{
    /** The largest message, encoded, this writer takes. */
    abstract int maxMessageBytes();

    /**
     * Encodes {@code message} and sends it as one message of kind {@link Connection#KIND_OBJECT}. A message the codec
     * rejects, or one larger than {@link #maxMessageBytes()}, fails before anything is written.
     *
     * @param timeoutNanos how long to wait for room: {@link PipeReader#FOREVER}; zero or less, not at all.
     * @param interruptible whether an interrupt ends the wait ({@link InterruptedException}); otherwise the wait goes
     *                      on and the thread's flag is set again after it.
     * @return false when there was no room in time (a journal always has room).
     * @throws InterruptedException when interrupted while waiting, if {@code interruptible}.
     */
    abstract boolean sendObject(Object message, long timeoutNanos, boolean interruptible) throws InterruptedException;

    /**
     * Sends {@code length} bytes of {@code buf} from {@code offset} as one message of kind {@link Connection#KIND_BYTES};
     * the caller checked the bounds and the size.
     *
     * @return false when there was no room in time.
     * @throws InterruptedException when interrupted while waiting, if {@code interruptible}.
     */
    abstract boolean sendBytes(byte[] buf, int offset, int length, long timeoutNanos, boolean interruptible)
        throws InterruptedException;

    /** Lets go of what this writer holds; no send follows. */
    abstract void close();
}
