package dev.ipckit.benchmarks;

import dev.ipckit.queue.PipeOptions;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;

/**
 * The raw reference of ipckit's ring pipe: two bare Agrona {@link OneToOneRingBuffer}s over a mapped file
 * ({@link RawMapping}), one per direction, of the ring pipe's default capacity. A send is {@code write} (busy-spinning
 * while the ring is full), a receive busy-spins on {@code read(handler, 1)}; nothing else: no lock, no kinds, no
 * liveness, no wake-up of a sleeping reader.
 * <pre>
 * Layout, 2 * ringLength bytes
 *   0           the ring the first end sends on: {@link PipeOptions#DEFAULT_RING_CAPACITY} bytes and Agrona's trailer
 *   ringLength  the ring the second end sends on
 * </pre>
 */
final class RawRingTransport implements Transport
{
    private static final int CAPACITY = PipeOptions.DEFAULT_RING_CAPACITY;
    private static final int RING_LENGTH = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
    private static final int MESSAGE_TYPE = 1;
    private static final int INTERRUPT_CHECK_MASK = 0xFFFF;

    @Override
    public String label()
    {
        return "raw Agrona ring";
    }

    @Override
    public Channel create(final Path directory, final String name, final boolean duplex)
    {
        final RawMapping mapping = RawMapping.create(directory.resolve(name + ".rings"), 2L * RING_LENGTH);
        final String path = mapping.path();
        return new Channel()
        {
            @Override
            public Opener first()
            {
                return opener(path, 0, RING_LENGTH);
            }

            @Override
            public Opener second()
            {
                return opener(path, RING_LENGTH, 0);
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
        return () -> new RingEndpoint(RawMapping.open(path), sendOffset, receiveOffset);
    }

    /**
     * An end: writes one ring, reads the other.
     */
    private static final class RingEndpoint implements Endpoint, MessageHandler
    {
        private final RawMapping mapping;
        private final OneToOneRingBuffer sending;
        private final OneToOneRingBuffer receiving;
        private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
        private byte[] into;
        private int received;

        RingEndpoint(final RawMapping mapping, final int sendOffset, final int receiveOffset)
        {
            this.mapping = mapping;
            this.sending = new OneToOneRingBuffer(new UnsafeBuffer(mapping.buffer(), sendOffset, RING_LENGTH));
            this.receiving = new OneToOneRingBuffer(new UnsafeBuffer(mapping.buffer(), receiveOffset, RING_LENGTH));
        }

        @Override
        public void send(final byte[] message) throws InterruptedException
        {
            source.wrap(message);
            int spins = 0;
            while (!sending.write(MESSAGE_TYPE, source, 0, message.length))
            {
                if ((++spins & INTERRUPT_CHECK_MASK) == 0 && Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
        }

        @Override
        public int receive(final byte[] buffer) throws InterruptedException
        {
            into = buffer;
            int spins = 0;
            while (receiving.read(this, 1) == 0)
            {
                if ((++spins & INTERRUPT_CHECK_MASK) == 0 && Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
            return received;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            buffer.getBytes(index, into, 0, length);
            received = length;
        }

        @Override
        public void close()
        {
            mapping.close();
        }
    }
}
