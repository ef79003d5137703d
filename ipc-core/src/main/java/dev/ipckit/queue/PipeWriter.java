package dev.ipckit.queue;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The sending side of a {@link Connection}, whatever carries its messages: {@link JournalPipeWriter} appends to a
 * Chronicle journal, {@link RingPipeWriter} writes into an Agrona ring in the pipe's region. The connection's send
 * lock makes every call single-threaded and publishes the writer's state from one sending thread to the next.
 */
abstract class PipeWriter
{
    private static final int SCRATCH_CAPACITY = 256;

    /** Where an object message is encoded; replaced by a small one after a big message grew it. */
    Bytes<?> scratch = newScratch();

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

    /** Lets go of a scratch buffer a big message grew, so it does not keep that memory. */
    final void trimScratch()
    {
        if (scratch.refCount() > 0 && scratch.realCapacity() > SharedQueue.SCRATCH_TRIM_BYTES)
        {
            scratch.releaseLast();
            scratch = newScratch();
        }
    }

    /** Frees the scratch buffer, at close. */
    final void releaseScratch()
    {
        if (scratch.refCount() > 0)
        {
            scratch.releaseLast();
        }
    }

    private static Bytes<?> newScratch()
    {
        final Bytes<?> bytes = Bytes.allocateElasticDirect(SCRATCH_CAPACITY);
        // The send lock makes the scratch bytes single-threaded; Chronicle's own check would reject a second thread.
        bytes.singleThreadedCheckDisabled(true);
        return bytes;
    }
}
