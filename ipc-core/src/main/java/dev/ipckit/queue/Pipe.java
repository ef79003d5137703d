package dev.ipckit.queue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's {@code multiprocessing.Pipe()} between JVMs: two {@link Connection}s, {@link #end1()} and {@link #end2()},
 * joined by Chronicle Queue journals (the default) or by Agrona rings in shared memory ({@link Transport#RING},
 * chosen with {@link PipeOptions#withTransport}), in a directory that every process of the machine can map.
 * <p>
 * Duplex (the default): each end sends to the other. One-way ({@code create(false)}, Python's
 * {@code Pipe(duplex=False)} returning {@code (reader, writer)}): end 1 only receives, end 2 only sends.
 * <p>
 * Files: {@code <directory>/<name>.pipe/} holds {@code control.region} (the state of both ends, and the rings of a
 * ring pipe) and, for a journal pipe, one journal per direction, named after the end that reads it
 * ({@code to-end1/}, and {@code to-end2/} when duplex). Each receiver deletes the journal files it has passed, so
 * steady traffic keeps about one roll cycle of messages on disk.
 * <p>
 * A pipe is temporary: {@link #close()} in the creating process closes the connections it still has here and
 * removes the directory, so close it once the processes using it are done. A pipe whose creator died is stale and
 * removed by {@link QueueFiles#removeStale}.
 */
public final class Pipe implements AutoCloseable
{
    private final PipeLink link;
    private final Connection end1;
    private final Connection end2;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pipe(final PipeLink link, final Connection end1, final Connection end2)
    {
        this.link = link;
        this.end1 = end1;
        this.end2 = end2;
    }

    /**
     * Creates a duplex pipe with a random name in the default directory.
     *
     * @return the pipe.
     */
    public static Pipe create()
    {
        return create(PipeOptions.defaults());
    }

    /**
     * Creates a pipe with a random name in the default directory.
     *
     * @param duplex true for a duplex pipe; false for one-way, where end 1 receives and end 2 sends.
     * @return the pipe.
     */
    public static Pipe create(final boolean duplex)
    {
        return create(PipeOptions.defaults().withDuplex(duplex));
    }

    /**
     * Creates a pipe.
     *
     * @param options name, directory, duplex, codec, wait strategy, transport, and roll cycle or ring capacity.
     * @return the pipe.
     * @throws IllegalStateException when a pipe of that name exists in that directory.
     */
    public static Pipe create(final PipeOptions options)
    {
        final String name = options.name() != null ? options.name() : QueueFiles.temporaryName("pipe");
        final Path directory = QueueFiles.directoryFor(options.directory(), name, QueueFiles.PIPE_SUFFIX);
        final PipeLink link = PipeLink.create(directory, options.duplex(), options.rollCycle(),
            options.transport() == Transport.RING ? options.ringCapacity() : 0);
        Connection first = null;
        try
        {
            first = Connection.open(link, PipeControl.END1, options.codec(), options.waitStrategy());
            final Connection second = Connection.open(link, PipeControl.END2, options.codec(), options.waitStrategy());
            return new Pipe(link, first, second);
        }
        catch (final RuntimeException ex)
        {
            if (first != null)
            {
                first.close();
            }
            link.release();
            QueueFiles.deleteTree(directory);
            throw ex;
        }
    }

    /**
     * End 1: in a one-way pipe, the end that receives.
     *
     * @return the connection.
     */
    public Connection end1()
    {
        return end1;
    }

    /**
     * End 2: in a one-way pipe, the end that sends.
     *
     * @return the connection.
     */
    public Connection end2()
    {
        return end2;
    }

    /**
     * The pipe's name.
     *
     * @return the name.
     */
    public String name()
    {
        return link.name;
    }

    /**
     * The pipe's directory.
     *
     * @return its absolute path.
     */
    public Path directory()
    {
        return link.directory;
    }

    /** The id of the pipe's control region: a handle names the pipe by directory and id. */
    long pipeId()
    {
        return link.pipeId();
    }

    /**
     * Whether both ends send and receive.
     *
     * @return true for a duplex pipe.
     */
    public boolean isDuplex()
    {
        return link.duplex;
    }

    /**
     * What carries the pipe's messages.
     *
     * @return the transport.
     */
    public Transport transport()
    {
        return link.isRing() ? Transport.RING : Transport.JOURNAL;
    }

    /**
     * Closes the connections to this pipe still open in this process (see {@link Connection#close()}: an end owned
     * here closes for its peer) and removes the pipe's directory. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            end1.close();
            end2.close();
            for (final int end : new int[] {PipeControl.END1, PipeControl.END2})
            {
                // A connection attached again here after end1/end2 were closed.
                final Connection other = link.connection(end);
                if (other != null)
                {
                    other.close();
                }
            }
        }
        finally
        {
            link.release();
            QueueFiles.deleteTree(link.directory);
        }
    }

    @Override
    public String toString()
    {
        return "Pipe{" + link.directory + (link.duplex ? ", duplex" : ", one-way") + (closed.get() ? ", closed" : "") +
            "}";
    }
}
