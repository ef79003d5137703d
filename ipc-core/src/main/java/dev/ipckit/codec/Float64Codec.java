package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#float64()}: the eight bytes of the IEEE 754 double, little-endian.
 */
final class Float64Codec extends AbstractCodec<Double>
{
    private static final long serialVersionUID = 1L;

    static final Float64Codec INSTANCE = new Float64Codec();

    private Float64Codec()
    {
    }

    @Override
    void write(final Double message, final BytesOut<?> out)
    {
        out.writeDouble(message);
    }

    @Override
    Double read(final BytesIn<?> in)
    {
        return Payloads.readDouble(in, "a float64");
    }

    @Override
    public String toString()
    {
        return "Codecs.float64()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
