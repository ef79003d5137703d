package dev.ipckit.queue.internal;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.internal.DirectorySweeper;
import dev.ipckit.queue.QueueFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link DirectorySweeper} of ipc-core: a directory's stale queues and pipes ({@link QueueFiles#removeStale}),
 * then its stale regions ({@link RegionFiles#removeStale}), as {@code ./ipckit clean} removes them. It lives in
 * {@code queue}, the lowest package that knows both kinds of file.
 */
public final class StaleFiles implements DirectorySweeper
{
    /** For {@link java.util.ServiceLoader}. */
    public StaleFiles()
    {
    }

    @Override
    public List<Path> removeStale(final Path directory)
    {
        final List<Path> removed = new ArrayList<>(QueueFiles.removeStale(directory));
        removed.addAll(RegionFiles.removeStale(directory));
        return removed;
    }
}
