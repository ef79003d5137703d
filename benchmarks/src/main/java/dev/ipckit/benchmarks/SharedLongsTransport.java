package dev.ipckit.benchmarks;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * The floor under any cross-process round trip: two longs in a bare Agrona buffer over a mapped file
 * ({@link RawMapping}), one written by each end. A send stores the message's sequence number into the sender's long
 * ({@code putLongRelease}); a receive busy-spins on the other long ({@code getLongVolatile}) until it changes, and
 * returns that number as an 8-byte message. Nothing else travels, so the floor runs at 8 bytes only, and only as a
 * round trip: there is no queue, a second send before the peer looked overwrites the first.
 * <pre>
 * Layout, in a {@link RawMapping#LENGTH}-byte file
 *   0    FIRST   long  the first end's last sequence number, -1 before any
 *   128  SECOND  long  the second end's last sequence number, -1 before any
 * </pre>
 */
final class SharedLongsTransport implements Transport
{
    /** Offset of the first end's long. */
    static final int FIRST_OFFSET = 0;
    /** Offset of the second end's long. */
    static final int SECOND_OFFSET = 128;

    private static final long NONE = -1;
    private static final int INTERRUPT_CHECK_MASK = 0xFFFF;

    @Override
    public String label()
    {
        return "floor: two longs";
    }

    @Override
    public Channel create(final Path directory, final String name, final boolean duplex)
    {
        if (!duplex)
        {
            throw new IllegalArgumentException("the shared-longs floor is a round trip only");
        }
        final RawMapping mapping = RawMapping.create(directory.resolve(name + ".longs"));
        mapping.buffer().putLongVolatile(FIRST_OFFSET, NONE);
        mapping.buffer().putLongVolatile(SECOND_OFFSET, NONE);
        final String path = mapping.path();
        return new Channel()
        {
            @Override
            public Opener first()
            {
                return opener(path, FIRST_OFFSET, SECOND_OFFSET);
            }

            @Override
            public Opener second()
            {
                return opener(path, SECOND_OFFSET, FIRST_OFFSET);
            }

            @Override
            public void close()
            {
                mapping.close();
            }
        };
    }

    /** A static factory, so the lambda captures the path and offsets only. */
    private static Channel.Opener opener(final String path, final int sendOffset, final int receiveOffset)
    {
        return () -> new LongsEndpoint(RawMapping.open(path), sendOffset, receiveOffset);
    }

    /**
     * An end: writes its own long, spins on the other.
     */
    private static final class LongsEndpoint implements Endpoint
    {
        private final RawMapping mapping;
        private final UnsafeBuffer buffer;
        private final int sendOffset;
        private final int receiveOffset;
        private long lastReceived = NONE;

        LongsEndpoint(final RawMapping mapping, final int sendOffset, final int receiveOffset)
        {
            this.mapping = mapping;
            this.buffer = mapping.buffer();
            this.sendOffset = sendOffset;
            this.receiveOffset = receiveOffset;
        }

        @Override
        public void send(final byte[] message)
        {
            buffer.putLongRelease(sendOffset, Messages.sequence(message));
        }

        @Override
        public int receive(final byte[] into) throws InterruptedException
        {
            int spins = 0;
            long value;
            while ((value = buffer.getLongVolatile(receiveOffset)) == lastReceived)
            {
                if ((++spins & INTERRUPT_CHECK_MASK) == 0 && Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
            lastReceived = value;
            Messages.sequence(into, value);
            return Messages.SEQUENCE_BYTES;
        }

        @Override
        public void close()
        {
            mapping.close();
        }
    }
}
