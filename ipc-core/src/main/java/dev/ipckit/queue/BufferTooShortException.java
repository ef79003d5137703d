package dev.ipckit.queue;

import java.io.IOException;

/**
 * A received message did not fit the caller's buffer (Python's {@code multiprocessing.BufferTooShort}). The message
 * was consumed: {@link #message()} holds all of it.
 */
public final class BufferTooShortException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final byte[] message;

    /**
     * Creates the exception.
     *
     * @param detail  what did not fit where.
     * @param message the whole message.
     */
    public BufferTooShortException(final String detail, final byte[] message)
    {
        super(detail);
        this.message = message;
    }

    /**
     * The whole message that did not fit.
     *
     * @return its bytes (the array itself, not a copy).
     */
    public byte[] message()
    {
        return message;
    }
}
