package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#string()}: a stop-bit length, then UTF-8.
 */
final class StringCodec extends AbstractCodec<String>
{
    private static final long serialVersionUID = 1L;

    static final StringCodec INSTANCE = new StringCodec();

    private StringCodec()
    {
    }

    @Override
    void write(final String message, final BytesOut<?> out)
    {
        Utf8.write(message, out, "the string");
    }

    @Override
    String read(final BytesIn<?> in)
    {
        return Utf8.read(in, "a string");
    }

    @Override
    public String toString()
    {
        return "Codecs.string()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
