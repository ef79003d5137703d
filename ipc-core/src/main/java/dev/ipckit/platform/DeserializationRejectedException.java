package dev.ipckit.platform;

import java.io.InvalidClassException;

/**
 * Bytes that {@link Deserialization} refused to turn into objects: a limit was exceeded, a filter rejected a class,
 * or the filter configuration itself is invalid (then nothing is deserialized). The message says which limit or
 * class, and the property or call that sets it; the code that read the bytes adds where they came from.
 * <p>
 * An {@link InvalidClassException}, as the JDK's own rejection is, so code that handles deserialization failures
 * handles this one too.
 */
public final class DeserializationRejectedException extends InvalidClassException
{
    private static final long serialVersionUID = 1L;

    /**
     * A rejection.
     *
     * @param reason what was rejected and why.
     */
    public DeserializationRejectedException(final String reason)
    {
        super(reason);
    }

    /**
     * A rejection the JDK reported.
     *
     * @param reason what was rejected and why.
     * @param cause  the JDK's exception.
     */
    public DeserializationRejectedException(final String reason, final Throwable cause)
    {
        super(reason);
        initCause(cause);
    }
}
