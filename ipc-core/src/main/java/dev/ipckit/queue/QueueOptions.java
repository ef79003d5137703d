package dev.ipckit.queue;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.sync.WaitStrategy;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SharedQueue} is created or opened. Immutable; each {@code with...} returns a changed copy.
 * Capacity, persistence, roll cycle, consumer rows, transport and ring capacity are fixed by the creator; an opener's
 * values for them are ignored.
 */
public final class QueueOptions implements Serializable
{
    private static final long serialVersionUID = 1L;

    /** Default number of consumer rows: threads, in all processes together, that take from one queue at once. */
    public static final int DEFAULT_MAX_CONSUMERS = 64;
    /** Most consumer rows a queue can have. */
    public static final int MAX_CONSUMERS = 4096;

    private static final QueueOptions DEFAULTS = new QueueOptions(
        null, 0, false, RollCycles.FIVE_MINUTELY, DEFAULT_MAX_CONSUMERS, WaitStrategy.backoff(), Duration.ofSeconds(5),
        Transport.JOURNAL, PipeOptions.DEFAULT_RING_CAPACITY);

    /** A string, not a Path: options travel to child processes, and Path is not Serializable. */
    private final String directory;
    private final int capacity;
    private final boolean persistent;
    private final RollCycle rollCycle;
    private final int maxConsumers;
    private final WaitStrategy waitStrategy;
    private final Duration openTimeout;
    private final Transport transport;
    private final int ringCapacity;

    private QueueOptions(
        final String directory, final int capacity, final boolean persistent, final RollCycle rollCycle,
        final int maxConsumers, final WaitStrategy waitStrategy, final Duration openTimeout, final Transport transport,
        final int ringCapacity)
    {
        this.directory = directory;
        this.capacity = capacity;
        this.persistent = persistent;
        this.rollCycle = rollCycle;
        this.maxConsumers = maxConsumers;
        this.waitStrategy = waitStrategy;
        this.openTimeout = openTimeout;
        this.transport = transport;
        this.ringCapacity = ringCapacity;
    }

    /**
     * The defaults: the default directory, unbounded, temporary, five-minute roll files, 64 consumer rows, the
     * backoff wait strategy, a 5 s open timeout.
     *
     * @return the defaults.
     */
    public static QueueOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * The directory that holds the queue's directory.
     *
     * @param directory the directory; created 0700 when missing. An existing one must be a real directory (not a
     *                  link) owned by you without group or other write, else opening and creating throw
     *                  {@code RegionException} ({@code UNSAFE_DIRECTORY}).
     * @return changed options.
     */
    public QueueOptions withDirectory(final Path directory)
    {
        return new QueueOptions(Objects.requireNonNull(directory, "directory").toAbsolutePath().toString(), capacity,
            persistent, rollCycle, maxConsumers, waitStrategy, openTimeout, transport, ringCapacity);
    }

    /**
     * Bounds the queue: {@code put} blocks and {@code offer} fails while {@code capacity} messages are in it.
     *
     * @param capacity at least 1.
     * @return changed options.
     */
    public QueueOptions withCapacity(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("queue capacity must be at least 1: " + capacity);
        }
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, openTimeout,
            transport, ringCapacity);
    }

    /**
     * A persistent queue survives every process closing it or exiting; a new process reads what was left. A
     * temporary queue (the default) is removed when its creator closes it, or as stale after its creator died.
     *
     * @param persistent whether to keep the queue.
     * @return changed options.
     */
    public QueueOptions withPersistent(final boolean persistent)
    {
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, openTimeout,
            transport, ringCapacity);
    }

    /**
     * How often the journal starts a new roll file. Files every consumer has passed are deleted, so the footprint
     * under steady traffic is about two roll periods of messages; a shorter cycle keeps it smaller.
     *
     * @param rollCycle a Chronicle roll cycle, e.g. {@code RollCycles.FIVE_MINUTELY}.
     * @return changed options.
     */
    public QueueOptions withRollCycle(final RollCycle rollCycle)
    {
        return new QueueOptions(directory, capacity, persistent, Objects.requireNonNull(rollCycle, "rollCycle"),
            maxConsumers, waitStrategy, openTimeout, transport, ringCapacity);
    }

    /**
     * How many threads, in all processes together, can take from the queue at once (each holds a consumer row
     * while its queue view is open).
     *
     * @param maxConsumers from 1 to {@value #MAX_CONSUMERS}; a {@link Transport#RING ring} queue takes at most 255
     *                     (creating one with more is refused).
     * @return changed options.
     */
    public QueueOptions withMaxConsumers(final int maxConsumers)
    {
        if (maxConsumers < 1 || maxConsumers > MAX_CONSUMERS)
        {
            throw new IllegalArgumentException("maxConsumers must be from 1 to " + MAX_CONSUMERS + ": " + maxConsumers);
        }
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, openTimeout,
            transport, ringCapacity);
    }

    /**
     * How blocked calls wait (for a message, for room, for a lock).
     *
     * @param waitStrategy the strategy.
     * @return changed options.
     */
    public QueueOptions withWaitStrategy(final WaitStrategy waitStrategy)
    {
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers,
            Objects.requireNonNull(waitStrategy, "waitStrategy"), openTimeout, transport, ringCapacity);
    }

    /**
     * How long an opener waits for a queue that is being created.
     *
     * @param timeout a non-negative duration.
     * @return changed options.
     */
    public QueueOptions withOpenTimeout(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new IllegalArgumentException("open timeout must be a non-negative duration: " + timeout);
        }
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, timeout,
            transport, ringCapacity);
    }

    /**
     * What carries the messages: {@link Transport#JOURNAL} (the default: durable, replayable, a message up to
     * 512 MiB - 1 bytes) or {@link Transport#RING} (an Agrona ring in the queue's shared-memory region: transient,
     * bounded in bytes, several times faster). Fixed by the creator and recorded in the queue's control block, so an
     * opener and a child re-attach the right kind whatever its own options say; {@code docs/transports.md} says when to
     * use which.
     *
     * @param transport the transport.
     * @return changed options.
     */
    public QueueOptions withTransport(final Transport transport)
    {
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, openTimeout,
            Objects.requireNonNull(transport, "transport"), ringCapacity);
    }

    /**
     * The capacity of the queue's ring with {@link Transport#RING}, in bytes: a put waits (an offer fails) while the
     * messages not yet taken fill it, and a message, encoded, may be at most an eighth of it. Each consumer row also
     * keeps room for one message (what it holds until it acknowledges, for redelivery if its process dies): an eighth
     * of this per row, in the queue's region, of which only the pages used take memory.
     *
     * @param bytes a power of two from {@link PipeOptions#MIN_RING_CAPACITY} to {@link PipeOptions#MAX_RING_CAPACITY}
     *              (default {@link PipeOptions#DEFAULT_RING_CAPACITY}).
     * @return changed options.
     * @throws IllegalArgumentException when it is not.
     */
    public QueueOptions withRingCapacity(final int bytes)
    {
        return new QueueOptions(directory, capacity, persistent, rollCycle, maxConsumers, waitStrategy, openTimeout,
            transport, PipeOptions.checkRingCapacity(bytes));
    }

    /** @return what carries a new queue's messages. */
    public Transport transport()
    {
        return transport;
    }

    /** @return the ring capacity of a new queue with {@link Transport#RING}, in bytes. */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /** @return the directory that holds queues. */
    public Path directory()
    {
        return directory != null ? Path.of(directory) : RegionFiles.defaultDirectory();
    }

    /** @return the capacity, 0 when unbounded. */
    public int capacity()
    {
        return capacity;
    }

    /** @return whether the queue is kept after its creator closes it. */
    public boolean persistent()
    {
        return persistent;
    }

    /** @return the roll cycle of a new queue's journal. */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** @return the number of consumer rows of a new queue. */
    public int maxConsumers()
    {
        return maxConsumers;
    }

    /** @return how blocked calls wait. */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /** @return how long an opener waits for a queue being created. */
    public Duration openTimeout()
    {
        return openTimeout;
    }

    @Override
    public String toString()
    {
        return "QueueOptions{directory=" + directory() + ", capacity=" + (capacity == 0 ? "unbounded" : capacity) +
            ", persistent=" + persistent + ", rollCycle=" + rollCycle + ", maxConsumers=" + maxConsumers +
            ", wait=" + waitStrategy + ", openTimeout=" + openTimeout + ", transport=" + transport +
            (transport == Transport.RING ? ", ringCapacity=" + ringCapacity : "") + "}";
    }
}
