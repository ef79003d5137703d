package dev.ipckit.benchmarks;

import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import dev.ipckit.sync.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * ipckit's {@link Pipe} as a channel, used as Python's {@code Pipe} is: a duplex pipe for a round trip, a one-way
 * pipe otherwise, with {@link Connection#sendBytes} and {@link Connection#recvBytesInto} (no copy to a new array)
 * and the given wait strategy. The first end is end 1 of a duplex pipe, end 2 (the writing end) of a one-way one.
 * The openers carry the connections themselves: a child that deserializes one owns that end, and the parent uses
 * its own end as it is.
 */
final class PipeTransport implements Transport
{
    private final String label;
    private final WaitStrategy waitStrategy;
    private final dev.ipckit.queue.Transport transport;

    /**
     * @param label        the name printed in the results.
     * @param waitStrategy how receivers wait.
     * @param transport    what carries the messages: the journal or the ring.
     */
    PipeTransport(final String label, final WaitStrategy waitStrategy, final dev.ipckit.queue.Transport transport)
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
        final Pipe pipe = Pipe.create(PipeOptions.defaults()
            .withName(name).withDirectory(directory).withDuplex(duplex).withWaitStrategy(waitStrategy)
            .withTransport(transport));
        final Connection first = duplex ? pipe.end1() : pipe.end2();
        final Connection second = duplex ? pipe.end2() : pipe.end1();
        return new Channel()
        {
            @Override
            public Opener first()
            {
                return opener(first);
            }

            @Override
            public Opener second()
            {
                return opener(second);
            }

            @Override
            public void close()
            {
                pipe.close();
            }
        };
    }

    /** A static factory, so the lambda captures the connection only. */
    private static Channel.Opener opener(final Connection connection)
    {
        return () -> new ConnectionEndpoint(connection);
    }

    /**
     * An end: one connection.
     */
    private static final class ConnectionEndpoint implements Endpoint
    {
        private final Connection connection;

        ConnectionEndpoint(final Connection connection)
        {
            this.connection = connection;
        }

        @Override
        public void send(final byte[] message)
        {
            connection.sendBytes(message);
        }

        @Override
        public int receive(final byte[] buffer) throws InterruptedException
        {
            try
            {
                return connection.recvBytesInto(buffer);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(connection + ": " + ex.getMessage(), ex);
            }
        }

        @Override
        public void close()
        {
            connection.close();
        }
    }
}
