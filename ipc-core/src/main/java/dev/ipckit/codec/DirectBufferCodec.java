package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;

/**
 * {@link Codecs#directBuffer()}: a stop-bit length, then all the buffer's capacity; decodes to an
 * {@link org.agrona.concurrent.UnsafeBuffer} over a new array.
 */
final class DirectBufferCodec extends AbstractCodec<DirectBuffer>
{
    private static final long serialVersionUID = 1L;

    static final DirectBufferCodec INSTANCE = new DirectBufferCodec();

    private DirectBufferCodec()
    {
    }

    @Override
    void write(final DirectBuffer message, final BytesOut<?> out)
    {
        Payloads.writeDirectBuffer(message, out);
    }

    @Override
    DirectBuffer read(final BytesIn<?> in)
    {
        return Payloads.readDirectBuffer(in, "a direct buffer");
    }

    @Override
    public String toString()
    {
        return "Codecs.directBuffer()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
