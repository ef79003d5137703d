package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#int64()}: eight bytes, little-endian.
 */
final class Int64Codec extends AbstractCodec<Long>
{
    private static final long serialVersionUID = 1L;

    static final Int64Codec INSTANCE = new Int64Codec();

    private Int64Codec()
    {
    }

    @Override
    void write(final Long message, final BytesOut<?> out)
    {
        out.writeLong(message);
    }

    @Override
    Long read(final BytesIn<?> in)
    {
        return Payloads.readLong(in, "an int64");
    }

    @Override
    public String toString()
    {
        return "Codecs.int64()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
