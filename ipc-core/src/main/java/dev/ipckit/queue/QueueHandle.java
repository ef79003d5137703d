package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a {@link SharedQueue} becomes when serialized: its directory, codec and wait strategy. Deserializing opens the
 * same queue in the receiving process (about 0.1 s the first time a process opens a Chronicle journal... more on a
 * cold JVM: Chronicle's classes load).
 */
record QueueHandle(String directory, Codec<?> codec, WaitStrategy waitStrategy, boolean joinable) implements Serializable
{
    private Object readResolve() throws ObjectStreamException
    {
        final Path path = Path.of(directory);
        final QueueOptions options = QueueOptions.defaults().withDirectory(path.getParent()).withWaitStrategy(waitStrategy);
        final SharedQueue.QueueParts parts = SharedQueue.QueueParts.open(path, options);
        return joinable ? new JoinableQueue<>(parts, codec, options) : new SharedQueue<>(parts, codec, options);
    }
}
