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
 */
record ConnectionHandle(
    String directory, long pipeId, int end, Codec<Object> codec, WaitStrategy waitStrategy, RollCycle rollCycle,
    long sender) implements Serializable
{
    private Object readResolve() throws ObjectStreamException
    {
        return Connection.attach(this);
    }
}
