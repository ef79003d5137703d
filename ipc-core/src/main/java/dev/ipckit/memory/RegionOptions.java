package dev.ipckit.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a region is created or opened. Immutable; each {@code with...} returns a changed copy.
 */
public final class RegionOptions
{
    /** Default wait for a creator to finish the header, or for the directory lock. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final RegionOptions DEFAULTS =
        new RegionOptions(null, DEFAULT_TIMEOUT, false, RegionLayout.DEFAULT_DIRECTORY_CAPACITY);

    private final Path directory;
    private final Duration timeout;
    private final boolean persistent;
    private final int directoryCapacity;

    private RegionOptions(final Path directory, final Duration timeout, final boolean persistent, final int directoryCapacity)
    {
        this.directory = directory;
        this.timeout = timeout;
        this.persistent = persistent;
        this.directoryCapacity = directoryCapacity;
    }

    /**
     * The defaults: the default directory, a 5 s timeout, a temporary region, 256 directory entries.
     *
     * @return the default options.
     */
    public static RegionOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Directory that holds regions named without a path.
     *
     * @param directory the directory; created 0700 when missing. An existing one must be a real directory (not a
     *                  link) owned by you without group or other write, else opening and creating throw
     *                  {@code RegionException} ({@code UNSAFE_DIRECTORY}).
     * @return changed options.
     */
    public RegionOptions withDirectory(final Path directory)
    {
        return new RegionOptions(Objects.requireNonNull(directory, "directory"), timeout, persistent, directoryCapacity);
    }

    /**
     * How long an opener waits for the creator to finish the header, and a creator for the directory lock.
     *
     * @param timeout a non-negative duration.
     * @return changed options.
     */
    public RegionOptions withTimeout(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new IllegalArgumentException("timeout must be zero or positive: " + timeout);
        }
        return new RegionOptions(directory, timeout, persistent, directoryCapacity);
    }

    /**
     * A persistent region is kept when its creator closes it and is never cleaned as stale; a temporary one (the
     * default) is unlinked by its creator's close, or by stale cleanup after the creator died.
     *
     * @param persistent whether to keep the file.
     * @return changed options.
     */
    public RegionOptions withPersistent(final boolean persistent)
    {
        return new RegionOptions(directory, timeout, persistent, directoryCapacity);
    }

    /**
     * Number of named objects a new region can hold.
     *
     * @param capacity 1 to 65536.
     * @return changed options.
     */
    public RegionOptions withDirectoryCapacity(final int capacity)
    {
        if (capacity < 1 || capacity > RegionLayout.MAX_DIRECTORY_CAPACITY)
        {
            throw new IllegalArgumentException(
                "directory capacity must be 1 to " + RegionLayout.MAX_DIRECTORY_CAPACITY + ": " + capacity);
        }
        return new RegionOptions(directory, timeout, persistent, capacity);
    }

    /**
     * The directory for named regions.
     *
     * @return the configured directory, else {@link RegionFiles#defaultDirectory()}.
     */
    public Path directory()
    {
        return directory != null ? directory : RegionFiles.defaultDirectory();
    }

    /**
     * The open and lock timeout.
     *
     * @return the timeout.
     */
    public Duration timeout()
    {
        return timeout;
    }

    /**
     * Whether a created region is kept after its creator closes.
     *
     * @return true when persistent.
     */
    public boolean persistent()
    {
        return persistent;
    }

    /**
     * Directory entries of a created region.
     *
     * @return the capacity.
     */
    public int directoryCapacity()
    {
        return directoryCapacity;
    }
}
