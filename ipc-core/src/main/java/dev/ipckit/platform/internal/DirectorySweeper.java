package dev.ipckit.platform.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * Removes what a dead creator left in a directory: what {@code ./ipckit clean} removes there. Found with
 * {@link java.util.ServiceLoader} by {@link ResourceTracker}, so that {@code platform} and {@code process} can have
 * a dead child's files removed without depending on the packages that know those files.
 * <p>
 * Internal: implemented once, in ipc-core.
 */
public interface DirectorySweeper
{
    /**
     * Removes the stale files and directories in {@code directory}: temporary ones whose creator is dead, and
     * unfinished ones whose creator died while making them. Files of live creators and persistent ones stay.
     *
     * @param directory the directory; missing means nothing to remove.
     * @return what was removed.
     */
    List<Path> removeStale(Path directory);
}
