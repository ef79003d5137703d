package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.queue.RollCycle;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What a {@link Connection} becomes when serialized: the pipe's directory and id, the end, the codec and wait
 * strategy, the roll cycle its journals were made with, and the sending process. Deserializing re-attaches to the
 * same end in the receiving process, which becomes the end's owner.
 * <p>
 * A plain class, not a record, for the start-time reason memory.RegionHandle gives.
 */
final class ConnectionHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final long pipeId;
    private final int end;
    private final Codec<Object> codec;
    private final WaitStrategy waitStrategy;
    private final RollCycle rollCycle;
    private final long sender;

    ConnectionHandle(
        final String directory, final long pipeId, final int end, final Codec<Object> codec,
        final WaitStrategy waitStrategy, final RollCycle rollCycle, final long sender)
    {
        this.directory = directory;
        this.pipeId = pipeId;
        this.end = end;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.rollCycle = rollCycle;
        this.sender = sender;
    }

    String directory()
    {
        return directory;
    }

    long pipeId()
    {
        return pipeId;
    }

    int end()
    {
        return end;
    }

    Codec<Object> codec()
    {
        return codec;
    }

    WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    RollCycle rollCycle()
    {
        return rollCycle;
    }

    long sender()
    {
        return sender;
    }

    private Object readResolve() throws ObjectStreamException
    {
        return Connection.attach(this);
    }
}
