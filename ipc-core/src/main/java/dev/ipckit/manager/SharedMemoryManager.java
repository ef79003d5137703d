package dev.ipckit.manager;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.value.ShareableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Owns the regions made through it and removes them all when closed: Python's
 * {@code multiprocessing.managers.SharedMemoryManager}.
 * <pre>{@code
 * try (SharedMemoryManager memory = SharedMemoryManager.create()) {
 *     SharedRegion scratch = memory.sharedMemory(1 << 20);          // smm.SharedMemory(size)
 *     ShareableList config = memory.shareableList(List.of(1L, "a")); // smm.ShareableList(sequence)
 *     // ... hand them to child processes ...
 * }                                                                 // every region made here is gone
 * }</pre>
 * Python's manager is a server process, so that the segments go even when the program dies; ipckit needs none: a
 * region is a file that names its creator, and a temporary region whose creator died is removed by
 * {@code ./ipckit clean} ({@code RegionFiles.removeStale}). Closing removes the files, persistent or not; processes
 * that still have a region mapped keep using it until they close it, but nobody can open it by name any more.
 * Thread safe.
 */
public final class SharedMemoryManager implements AutoCloseable
{
    /** Room a region needs beyond its objects' slots: header, a small directory and alignment, generously. */
    private static final long REGION_OVERHEAD = 64 << 10;
    private static final int DIRECTORY_CAPACITY = 8;

    private final RegionOptions options;
    private final String prefix = "smm-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<SharedRegion> regions = new ArrayList<>();
    private int made;
    private boolean closed;

    private SharedMemoryManager(final RegionOptions options)
    {
        this.options = options;
    }

    /**
     * A manager making regions in the default directory.
     *
     * @return the manager.
     */
    public static SharedMemoryManager create()
    {
        return create(RegionOptions.defaults());
    }

    /**
     * A manager making regions with these options (their directory, say).
     *
     * @param options the regions' options.
     * @return the manager.
     */
    public static SharedMemoryManager create(final RegionOptions options)
    {
        return new SharedMemoryManager(Objects.requireNonNull(options, "options"));
    }

    /**
     * A new region of {@code length} bytes under a generated name (Python's {@code SharedMemory(size=...)}).
     *
     * @param length the region's length in bytes.
     * @return the region; other processes open it by {@link SharedRegion#name()} or through a captured handle.
     */
    public synchronized SharedRegion sharedMemory(final long length)
    {
        return sharedMemory(nextName(), length);
    }

    /**
     * A new region of {@code length} bytes under {@code name}.
     *
     * @param name   the region's name.
     * @param length the region's length in bytes.
     * @return the region.
     * @throws IllegalStateException when the manager is closed.
     */
    public synchronized SharedRegion sharedMemory(final String name, final long length)
    {
        ensureOpen();
        final SharedRegion region = SharedRegion.create(name, length, options);
        regions.add(region);
        return region;
    }

    /**
     * A new {@link ShareableList} holding {@code items}, in a region of its own (Python's
     * {@code ShareableList(sequence)}).
     *
     * @param items the items (see {@link ShareableList#create}).
     * @return the list; other processes open it through a captured handle, or by its region's name and the name
     *         {@code "list"}.
     * @throws IllegalStateException when the manager is closed.
     */
    public synchronized ShareableList shareableList(final List<?> items)
    {
        ensureOpen();
        final long length = REGION_OVERHEAD + ShareableList.slotLength(items);
        final SharedRegion region =
            SharedRegion.create(nextName(), length, options.withDirectoryCapacity(DIRECTORY_CAPACITY));
        regions.add(region);
        return ShareableList.create(region, "list", items);
    }

    /**
     * The regions this manager made and has not removed yet.
     *
     * @return a copy, in the order they were made.
     */
    public synchronized List<SharedRegion> regions()
    {
        return List.copyOf(regions);
    }

    /**
     * Closes every region made here and removes its file (Python's {@code shutdown()}). Idempotent.
     *
     * @throws UncheckedIOException when a file cannot be removed; the others still are.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        UncheckedIOException failure = null;
        for (final SharedRegion region : regions)
        {
            final Path file = region.path();
            region.close();
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                if (failure == null)
                {
                    failure = new UncheckedIOException("SharedMemoryManager cannot remove region " + file, ex);
                }
            }
        }
        regions.clear();
        if (failure != null)
        {
            throw failure;
        }
    }

    private String nextName()
    {
        return prefix + "-" + ++made;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("this SharedMemoryManager is closed: it makes no more regions");
        }
    }
}
