package dev.ipckit.benchmarks;

/**
 * One process's end of a channel, as the messaging benchmarks use it: byte messages sent from and received into
 * arrays the caller reuses, each call the way the transport's users would make it (a receive waits with the
 * transport's own wait strategy). Used by one thread.
 */
interface Endpoint extends AutoCloseable
{
    /**
     * Sends a whole array as one message; the array may be reused once this returns.
     *
     * @param message the message, at least {@value Messages#SEQUENCE_BYTES} bytes, its sequence number first.
     * @throws InterruptedException when interrupted while waiting to send.
     */
    void send(byte[] message) throws InterruptedException;

    /**
     * Waits for the next message and copies it into {@code buffer}.
     *
     * @param buffer where to copy the message; at least as long as the messages sent.
     * @return the message's length.
     * @throws InterruptedException when interrupted while waiting.
     */
    int receive(byte[] buffer) throws InterruptedException;

    /**
     * Detaches this process from the channel; removing it is the channel's job.
     */
    @Override
    void close();
}
