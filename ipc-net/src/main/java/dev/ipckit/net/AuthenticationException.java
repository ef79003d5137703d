package dev.ipckit.net;

import java.io.IOException;

/**
 * The two ends of a connection did not prove to each other that they hold the same authkey (Python's
 * {@code multiprocessing.AuthenticationError}), or the other end does not speak ipckit's handshake: nothing was
 * delivered, and the connection is closed.
 */
public final class AuthenticationException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the peer.
     */
    public AuthenticationException(final String message)
    {
        super(message);
    }
}
