package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a {@link SharedQueue} becomes when serialized: its directory, codec and wait strategy. Deserializing opens the
 * same queue in the receiving process; the first journal a JVM opens costs most of a second (Chronicle's classes
 * load and initialise), later ones milliseconds.
 * <p>
 * A plain class, not a record, for the start-time reason memory.RegionHandle gives.
 */
final class QueueHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final Codec<?> codec;
    private final WaitStrategy waitStrategy;
    private final boolean joinable;

    QueueHandle(final String directory, final Codec<?> codec, final WaitStrategy waitStrategy, final boolean joinable)
    {
        this.directory = directory;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.joinable = joinable;
    }

    private Object readResolve() throws ObjectStreamException
    {
        final Path path = Path.of(directory);
        final QueueOptions options =
            QueueOptions.defaults().withDirectory(path.getParent()).withWaitStrategy(waitStrategy);
        final QueueParts parts = QueueParts.open(path, options);
        return joinable ? new JoinableQueue<>(parts, codec, options) : new SharedQueue<>(parts, codec, options);
    }
}
