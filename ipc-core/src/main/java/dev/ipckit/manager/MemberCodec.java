package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The value of every element of a {@link SharedSet}'s table: one byte, 1, read back as {@code true}. Any other byte
 * is damage, reported as the codecs report a malformed message (an {@link IllegalStateException}).
 */
final class MemberCodec implements Codec<Boolean>
{
    private static final long serialVersionUID = 1L;
    static final MemberCodec INSTANCE = new MemberCodec();
    private static final byte PRESENT = 1;

    private MemberCodec()
    {
    }

    @Override
    public void encode(final Boolean message, final BytesOut<?> out)
    {
        out.writeByte(PRESENT);
    }

    @Override
    public Boolean decode(final BytesIn<?> in)
    {
        if (in.readRemaining() != 1)
        {
            throw new IllegalStateException("a SharedSet member's value is " + in.readRemaining() + " bytes, not 1");
        }
        final byte value = in.readByte();
        if (value != PRESENT)
        {
            throw new IllegalStateException("a SharedSet member's value is " + value + ", not " + PRESENT);
        }
        return Boolean.TRUE;
    }

    @Override
    public String toString()
    {
        return "SharedSet member";
    }

    private Object readResolve()
    {
        return INSTANCE;
    }
}
