package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import net.openhft.chronicle.core.io.ClosedIllegalStateException;
import net.openhft.chronicle.core.io.ThreadingIllegalStateException;

/**
 * What every codec of {@link Codecs} shares. A failed encode leaves {@code out} as it found it. Decode turns bytes
 * that are not a message (cut short, an unknown tag, invalid UTF-8, bytes left over at the end) into an
 * {@link IllegalStateException} that names the codec and what was wrong.
 *
 * @param <E> the message type.
 */
abstract class AbstractCodec<E> implements Codec<E>
{
    private static final long serialVersionUID = 1L;

    /**
     * Writes the message; may leave partial output when it throws.
     *
     * @param message the message, not null.
     * @param out     where to write.
     */
    abstract void write(E message, BytesOut<?> out);

    /**
     * Reads a message; throws {@link Malformed} for bytes that are not one.
     *
     * @param in the message's bytes.
     * @return the message, not null.
     */
    abstract E read(BytesIn<?> in);

    /**
     * {@inheritDoc}
     */
    @Override
    public final void encode(final E message, final BytesOut<?> out)
    {
        final long start = out.writePosition();
        try
        {
            write(message, out);
        }
        catch (final RuntimeException ex)
        {
            out.writePosition(start);
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public final E decode(final BytesIn<?> in)
    {
        final E message;
        try
        {
            message = read(in);
        }
        catch (final Malformed ex)
        {
            throw new IllegalStateException(this + ": " + ex.getMessage(), ex.getCause());
        }
        catch (final ClosedIllegalStateException | ThreadingIllegalStateException ex)
        {
            throw ex; // the bytes themselves are unusable; nothing to say about the message
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(this + ": cannot decode the message: " + ex, ex);
        }

        final long left = in.readRemaining();
        if (left != 0)
        {
            throw new IllegalStateException(
                this + ": " + left + (left == 1 ? " byte" : " bytes") + " left over after the message; " +
                "another codec wrote these bytes");
        }
        return message;
    }
}
