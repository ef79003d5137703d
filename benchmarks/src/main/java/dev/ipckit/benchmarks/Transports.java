package dev.ipckit.benchmarks;

import dev.ipckit.sync.WaitStrategy;

import java.util.Optional;

/**
 * The transports the messaging benchmarks compare, in one place: ipckit's pipe and queue with the default wait
 * strategy and with busy-spin, the raw Chronicle reference and the shared-memory floor.
 */
final class Transports
{
    /** Printed under a table while {@link #pipe} has nothing to offer. */
    static final String PIPE_MISSING = "ipckit Pipe: not in this build yet, so its ipckit columns are n/a; " +
        "the raw and Python figures of the Pipe rows are measured.";

    private Transports()
    {
    }

    /**
     * ipckit's {@code Pipe}. {@code dev.ipckit.queue.Pipe} is not on this branch yet: once it is, a
     * {@code PipeTransport} (a duplex pipe for round trips, a one-way pipe otherwise; ends sending with
     * {@code sendBytes} and receiving with {@code recvBytesInto}) goes here, and every benchmark picks it up.
     *
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return the pipe, or empty while there is none.
     */
    static Optional<Transport> pipe(final boolean busySpin)
    {
        return Optional.empty();
    }

    /**
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return ipckit's {@code SharedQueue}, one queue per direction.
     */
    static Transport sharedQueue(final boolean busySpin)
    {
        return busySpin ?
            new SharedQueueTransport("SharedQueue (busySpin)", WaitStrategy.busySpin()) :
            new SharedQueueTransport("SharedQueue (default wait)", WaitStrategy.backoff());
    }

    /**
     * @return bare Chronicle journals, an appender and a busy-polling tailer per direction.
     */
    static Transport rawChronicle()
    {
        return new RawChronicleTransport();
    }

    /**
     * @return two longs in a mapped file, busy spin: the round-trip floor.
     */
    static Transport floor()
    {
        return new SharedLongsTransport();
    }
}
