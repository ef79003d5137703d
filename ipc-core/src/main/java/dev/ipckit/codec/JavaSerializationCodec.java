package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#javaSerialization}: the message's Java serialization, read back through the allow-list filter.
 *
 * @param <T> the message type.
 */
final class JavaSerializationCodec<T> extends AbstractCodec<T>
{
    private static final long serialVersionUID = 1L;

    private final JavaSerialization serialization;

    JavaSerializationCodec(final JavaSerialization serialization)
    {
        this.serialization = serialization;
    }

    @Override
    void write(final T message, final BytesOut<?> out)
    {
        JavaSerialization.write(message, out, this);
    }

    @Override
    @SuppressWarnings("unchecked")
    T read(final BytesIn<?> in)
    {
        return (T)serialization.read(in);
    }

    @Override
    public String toString()
    {
        return "Codecs.javaSerialization(\"" + serialization.pattern() + "\")";
    }
}
