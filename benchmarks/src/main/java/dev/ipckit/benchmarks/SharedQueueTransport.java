package dev.ipckit.benchmarks;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.sync.WaitStrategy;

import java.nio.file.Path;

/**
 * ipckit's {@link SharedQueue} of {@code byte[]} as a channel: one queue per direction, created by the parent. Each
 * end opens its own view of the queues by name and sends with {@link SharedQueue#put}, receives with
 * {@link SharedQueue#take} (a new array per message, copied into the caller's buffer), waiting with the given
 * strategy. Messages are encoded by {@link Codecs#bytes()}.
 */
final class SharedQueueTransport implements Transport
{
    private static final Codec<byte[]> CODEC = Codecs.bytes();

    private final String label;
    private final WaitStrategy waitStrategy;
    private final dev.ipckit.queue.Transport transport;

    /**
     * @param label        the name printed in the results.
     * @param waitStrategy how the queues wait.
     * @param transport    what carries the queues' messages, at its default capacity.
     */
    SharedQueueTransport(final String label, final WaitStrategy waitStrategy, final dev.ipckit.queue.Transport transport)
    {
        this.label = label;
        this.waitStrategy = waitStrategy;
        this.transport = transport;
    }

    @Override
    public String label()
    {
        return label;
    }

    @Override
    public Channel create(final Path directory, final String name, final boolean duplex)
    {
        final QueueOptions options = QueueOptions.defaults().withDirectory(directory).withWaitStrategy(waitStrategy)
            .withTransport(transport);
        final String forwardName = name + "-fwd";
        final String backwardName = duplex ? name + "-back" : null;
        final SharedQueue<byte[]> forward = SharedQueue.create(forwardName, CODEC, options);
        final SharedQueue<byte[]> backward;
        try
        {
            backward = duplex ? SharedQueue.create(backwardName, CODEC, options) : null;
        }
        catch (final RuntimeException ex)
        {
            forward.close();
            throw ex;
        }
        return new Channel()
        {
            @Override
            public Opener first()
            {
                return opener(options, forwardName, backwardName);
            }

            @Override
            public Opener second()
            {
                return opener(options, backwardName, forwardName);
            }

            @Override
            public void close()
            {
                try
                {
                    forward.close();
                }
                finally
                {
                    if (backward != null)
                    {
                        backward.close();
                    }
                }
            }
        };
    }

    /** A static factory, so the lambda captures the options and names only. */
    private static Channel.Opener opener(final QueueOptions options, final String sendTo, final String receiveFrom)
    {
        return () -> new QueueEndpoint(
            sendTo == null ? null : SharedQueue.open(sendTo, CODEC, options),
            receiveFrom == null ? null : SharedQueue.open(receiveFrom, CODEC, options));
    }

    /**
     * An end: a view of the queue it sends to and of the queue it receives from (either may be absent).
     */
    private static final class QueueEndpoint implements Endpoint
    {
        private final SharedQueue<byte[]> out;
        private final SharedQueue<byte[]> in;

        QueueEndpoint(final SharedQueue<byte[]> out, final SharedQueue<byte[]> in)
        {
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(final byte[] message) throws InterruptedException
        {
            out.put(message);
        }

        @Override
        public int receive(final byte[] buffer) throws InterruptedException
        {
            final byte[] message = in.take();
            System.arraycopy(message, 0, buffer, 0, message.length);
            return message.length;
        }

        @Override
        public void close()
        {
            try
            {
                if (out != null)
                {
                    out.close();
                }
            }
            finally
            {
                if (in != null)
                {
                    in.close();
                }
            }
        }
    }
}
