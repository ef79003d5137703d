package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/** A test codec: one long per message; negative values other than -1 cannot be encoded. */
final class LongCodec implements Codec<Long>
{
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(final Long message, final BytesOut<?> out)
    {
        if (message < -1)
        {
            throw new IllegalArgumentException("LongCodec encodes no negative value but -1: " + message);
        }
        out.writeLong(message);
    }

    @Override
    public Long decode(final BytesIn<?> in)
    {
        if (in.readRemaining() != Long.BYTES)
        {
            throw new IllegalStateException("a LongCodec message is 8 bytes, not " + in.readRemaining());
        }
        return in.readLong();
    }

    @Override
    public String toString()
    {
        return "LongCodec";
    }
}
