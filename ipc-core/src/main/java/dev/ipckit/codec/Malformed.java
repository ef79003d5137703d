package dev.ipckit.codec;

/**
 * Thrown inside a codec's read when the bytes are not a message; {@link AbstractCodec#decode} turns it into the
 * {@link IllegalStateException} callers see, prefixed with the codec. Never leaves this package; no stack trace.
 */
final class Malformed extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    Malformed(final String message)
    {
        super(message, null, false, false);
    }

    Malformed(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
