package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#int32()}: four bytes, little-endian.
 */
final class Int32Codec extends AbstractCodec<Integer>
{
    private static final long serialVersionUID = 1L;

    static final Int32Codec INSTANCE = new Int32Codec();

    private Int32Codec()
    {
    }

    @Override
    void write(final Integer message, final BytesOut<?> out)
    {
        out.writeInt(message);
    }

    @Override
    Integer read(final BytesIn<?> in)
    {
        return Payloads.readInt(in, "an int32");
    }

    @Override
    public String toString()
    {
        return "Codecs.int32()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
