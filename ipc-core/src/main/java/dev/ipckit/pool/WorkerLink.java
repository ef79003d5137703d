package dev.ipckit.pool;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A two-way message link between a pool and a worker that joined it from elsewhere: what a transport gives the pool
 * ({@link ProcessPool#acceptWorker}) and the worker ({@link JoinedWorker#run}). The pool's protocol runs over it;
 * {@code dev.ipckit.net} makes one of an authenticated network connection, so that workers on other hosts join a pool.
 * <p>
 * A link delivers whole messages, each once and in order, and ends for both sides at once: {@link #receive} throws
 * {@link java.io.EOFException} when the other side closed, died, or was unreachable too long. {@link #send} may be
 * called from one thread while another receives.
 */
public interface WorkerLink extends AutoCloseable
{
    /**
     * Sends one message.
     *
     * @param message its bytes.
     * @throws IOException when the link has ended.
     */
    void send(byte[] message) throws IOException;

    /**
     * Receives the next message.
     *
     * @param timeout how long to wait at most.
     * @param unit    its unit.
     * @return the message, or null when none came within the timeout.
     * @throws java.io.EOFException when the link has ended.
     * @throws IOException          when it failed otherwise.
     * @throws InterruptedException when the thread was interrupted while it waited.
     */
    byte[] receive(long timeout, TimeUnit unit) throws IOException, InterruptedException;

    /** @return where the other side is, for messages (an address). */
    String peer();

    /** Ends the link; the other side's receive ends with end of stream. Idempotent. */
    @Override
    void close();
}
