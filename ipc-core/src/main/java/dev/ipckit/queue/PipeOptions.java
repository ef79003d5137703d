package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link Pipe} is created. Immutable; each {@code with...} returns a changed copy.
 */
public final class PipeOptions
{
    /** The ring capacity unless told otherwise: 1 MiB per direction, so a message up to 128 KiB. */
    public static final int DEFAULT_RING_CAPACITY = 1 << 20;
    /** The smallest ring capacity: 4 KiB (a message up to 512 bytes). */
    public static final int MIN_RING_CAPACITY = 1 << 12;
    /** The largest ring capacity: 512 MiB (a message up to 64 MiB). */
    public static final int MAX_RING_CAPACITY = 1 << 29;

    private static final PipeOptions DEFAULTS = new PipeOptions(null, null, true, Codecs.standard(),
        WaitStrategy.backoff(), RollCycles.FIVE_MINUTELY, Transport.JOURNAL, DEFAULT_RING_CAPACITY);

    private final String name;
    private final Path directory;
    private final boolean duplex;
    private final Codec<Object> codec;
    private final WaitStrategy waitStrategy;
    private final RollCycle rollCycle;
    private final Transport transport;
    private final int ringCapacity;

    private PipeOptions(
        final String name, final Path directory, final boolean duplex, final Codec<Object> codec,
        final WaitStrategy waitStrategy, final RollCycle rollCycle, final Transport transport, final int ringCapacity)
    {
        this.name = name;
        this.directory = directory;
        this.duplex = duplex;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.rollCycle = rollCycle;
        this.transport = transport;
        this.ringCapacity = ringCapacity;
    }

    /**
     * The defaults: a random name in the default directory, duplex, {@link Codecs#standard()}, the backoff wait
     * strategy, the journal transport with five-minute roll cycles.
     *
     * @return the default options.
     */
    public static PipeOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * The pipe's name: its directory is {@code <directory>/<name>.pipe}. Without one, a random name.
     *
     * @param name the name (no path separators, no {@code ..}).
     * @return changed options.
     */
    public PipeOptions withName(final String name)
    {
        return new PipeOptions(Objects.requireNonNull(name, "name"), directory, duplex, codec, waitStrategy, rollCycle,
            transport, ringCapacity);
    }

    /**
     * The directory that holds the pipe's directory.
     *
     * @param directory the directory; created 0700 when missing. An existing one must be a real directory (not a
     *                  link) owned by you without group or other write, else opening and creating throw
     *                  {@code RegionException} ({@code UNSAFE_DIRECTORY}).
     * @return changed options.
     */
    public PipeOptions withDirectory(final Path directory)
    {
        return new PipeOptions(name, Objects.requireNonNull(directory, "directory"), duplex, codec, waitStrategy,
            rollCycle, transport, ringCapacity);
    }

    /**
     * Duplex (the default): both ends send and receive. One-way: end 1 only receives, end 2 only sends.
     *
     * @param duplex whether both ends send.
     * @return changed options.
     */
    public PipeOptions withDuplex(final boolean duplex)
    {
        return new PipeOptions(name, directory, duplex, codec, waitStrategy, rollCycle, transport, ringCapacity);
    }

    /**
     * The codec of {@link Connection#send} and {@link Connection#recv}; it travels with the connections.
     *
     * @param codec the codec.
     * @return changed options.
     */
    public PipeOptions withCodec(final Codec<Object> codec)
    {
        return new PipeOptions(name, directory, duplex, Objects.requireNonNull(codec, "codec"), waitStrategy,
            rollCycle, transport, ringCapacity);
    }

    /**
     * How a receiver waits for a message; it travels with the connections.
     *
     * @param waitStrategy the strategy.
     * @return changed options.
     */
    public PipeOptions withWaitStrategy(final WaitStrategy waitStrategy)
    {
        return new PipeOptions(name, directory, duplex, codec, Objects.requireNonNull(waitStrategy, "waitStrategy"),
            rollCycle, transport, ringCapacity);
    }

    /**
     * How often the journals start a new file. A receiver deletes the files it has passed, so a pipe's footprint is
     * about one cycle of traffic. The roll cycle travels with the connections, so it must be serializable (Chronicle's
     * own are enums).
     *
     * @param rollCycle the roll cycle.
     * @return changed options.
     */
    public PipeOptions withRollCycle(final RollCycle rollCycle)
    {
        return new PipeOptions(name, directory, duplex, codec, waitStrategy,
            Objects.requireNonNull(rollCycle, "rollCycle"), transport, ringCapacity);
    }

    /**
     * What carries the messages: {@link Transport#JOURNAL} (the default) or {@link Transport#RING}. It is recorded in
     * the pipe's control region, so a connection attached in another process uses the same one.
     *
     * @param transport the transport.
     * @return changed options.
     */
    public PipeOptions withTransport(final Transport transport)
    {
        return new PipeOptions(name, directory, duplex, codec, waitStrategy, rollCycle,
            Objects.requireNonNull(transport, "transport"), ringCapacity);
    }

    /**
     * The capacity of each direction's ring with {@link Transport#RING}, in bytes: a send waits while its ring is
     * full, and a message (encoded) may be at most an eighth of it. Ignored by the journal.
     *
     * @param bytes a power of two from {@link #MIN_RING_CAPACITY} to {@link #MAX_RING_CAPACITY}.
     * @return changed options.
     * @throws IllegalArgumentException when {@code bytes} is not such a power of two.
     */
    public PipeOptions withRingCapacity(final int bytes)
    {
        return new PipeOptions(name, directory, duplex, codec, waitStrategy, rollCycle, transport,
            checkRingCapacity(bytes));
    }

    /**
     * Checks a ring capacity.
     *
     * @return {@code bytes}.
     * @throws IllegalArgumentException when it is not a power of two from {@link #MIN_RING_CAPACITY} to
     *                                  {@link #MAX_RING_CAPACITY}.
     */
    static int checkRingCapacity(final int bytes)
    {
        if (bytes < MIN_RING_CAPACITY || bytes > MAX_RING_CAPACITY || Integer.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("ring capacity " + bytes + " is not a power of two from " +
                MIN_RING_CAPACITY + " to " + MAX_RING_CAPACITY + " bytes");
        }
        return bytes;
    }

    /**
     * The configured name.
     *
     * @return the name, or null for a random one.
     */
    public String name()
    {
        return name;
    }

    /**
     * The directory that holds pipe directories.
     *
     * @return the configured directory, else {@link RegionFiles#defaultDirectory()}.
     */
    public Path directory()
    {
        return directory != null ? directory : RegionFiles.defaultDirectory();
    }

    /**
     * Whether both ends send and receive.
     *
     * @return true for a duplex pipe.
     */
    public boolean duplex()
    {
        return duplex;
    }

    /**
     * The codec.
     *
     * @return the codec.
     */
    public Codec<Object> codec()
    {
        return codec;
    }

    /**
     * The wait strategy.
     *
     * @return the strategy.
     */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * The roll cycle.
     *
     * @return the roll cycle.
     */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * The transport.
     *
     * @return the transport.
     */
    public Transport transport()
    {
        return transport;
    }

    /**
     * The capacity of each direction's ring, for {@link Transport#RING}.
     *
     * @return bytes.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }
}
