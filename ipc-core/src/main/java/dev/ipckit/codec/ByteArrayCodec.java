package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * {@link Codecs#bytes()}: a stop-bit length, then the bytes.
 */
final class ByteArrayCodec extends AbstractCodec<byte[]>
{
    private static final long serialVersionUID = 1L;

    static final ByteArrayCodec INSTANCE = new ByteArrayCodec();

    private ByteArrayCodec()
    {
    }

    @Override
    void write(final byte[] message, final BytesOut<?> out)
    {
        Payloads.writeBytes(message, out);
    }

    @Override
    byte[] read(final BytesIn<?> in)
    {
        return Payloads.readBytes(in, "a byte array");
    }

    @Override
    public String toString()
    {
        return "Codecs.bytes()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
