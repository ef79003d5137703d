package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.nio.ByteBuffer;

/**
 * {@link Codecs#byteBuffer()}: a stop-bit length, then the buffer's remaining bytes; decodes to a heap buffer.
 */
final class ByteBufferCodec extends AbstractCodec<ByteBuffer>
{
    private static final long serialVersionUID = 1L;

    static final ByteBufferCodec INSTANCE = new ByteBufferCodec();

    private ByteBufferCodec()
    {
    }

    @Override
    void write(final ByteBuffer message, final BytesOut<?> out)
    {
        Payloads.writeByteBuffer(message, out);
    }

    @Override
    ByteBuffer read(final BytesIn<?> in)
    {
        return Payloads.readByteBuffer(in, "a byte buffer");
    }

    @Override
    public String toString()
    {
        return "Codecs.byteBuffer()";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
