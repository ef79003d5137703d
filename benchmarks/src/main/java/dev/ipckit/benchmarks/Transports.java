package dev.ipckit.benchmarks;

import dev.ipckit.sync.WaitStrategy;

/**
 * The transports the messaging benchmarks compare, in one place: ipckit's pipe (journal and ring) and queue with the
 * default wait strategy and with busy-spin, the raw Chronicle and raw Agrona ring references and the shared-memory
 * floor.
 */
final class Transports
{
    private Transports()
    {
    }

    /**
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return ipckit's {@code Pipe}: duplex for a round trip, one-way otherwise.
     */
    static Transport pipe(final boolean busySpin)
    {
        return busySpin ?
            new PipeTransport("Pipe (busySpin)", WaitStrategy.busySpin(), dev.ipckit.queue.Transport.JOURNAL) :
            new PipeTransport("Pipe (default wait)", WaitStrategy.backoff(), dev.ipckit.queue.Transport.JOURNAL);
    }

    /**
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return ipckit's {@code Pipe} on the ring transport, its default capacity.
     */
    static Transport ringPipe(final boolean busySpin)
    {
        return busySpin ?
            new PipeTransport("Pipe ring (busySpin)", WaitStrategy.busySpin(), dev.ipckit.queue.Transport.RING) :
            new PipeTransport("Pipe ring (default wait)", WaitStrategy.backoff(), dev.ipckit.queue.Transport.RING);
    }

    /**
     * @return two bare Agrona one-to-one rings in a mapped file, busy spin: the ring pipe's raw reference.
     */
    static Transport rawRing()
    {
        return new RawRingTransport();
    }

    /**
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return ipckit's {@code SharedQueue}, one queue per direction.
     */
    static Transport sharedQueue(final boolean busySpin)
    {
        return busySpin ?
            new SharedQueueTransport("SharedQueue (busySpin)", WaitStrategy.busySpin(), dev.ipckit.queue.Transport.JOURNAL) :
            new SharedQueueTransport("SharedQueue (default wait)", WaitStrategy.backoff(), dev.ipckit.queue.Transport.JOURNAL);
    }

    /**
     * @param busySpin busy-spin instead of the default wait strategy.
     * @return ipckit's {@code SharedQueue} on the ring transport, its default capacity, one queue per direction.
     */
    static Transport ringQueue(final boolean busySpin)
    {
        return busySpin ?
            new SharedQueueTransport("SharedQueue ring (busySpin)", WaitStrategy.busySpin(), dev.ipckit.queue.Transport.RING) :
            new SharedQueueTransport("SharedQueue ring (default wait)", WaitStrategy.backoff(), dev.ipckit.queue.Transport.RING);
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
