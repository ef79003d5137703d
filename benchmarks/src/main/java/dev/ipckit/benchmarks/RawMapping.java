package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw reference the benchmarks compare ipckit with: a bare Agrona {@link UnsafeBuffer} over a memory-mapped file,
 * with no header, directory or owner identity. The file sits next to a region (so on the same file system, normally
 * {@code /dev/shm}) with a {@code .raw} suffix, which ipckit's region listing ignores.
 * <pre>
 * Layout used by the benchmarks, {@link #LENGTH} bytes
 *   0    LOCK     long  spin-lock word: 0 free, 1 held
 *   128  COUNTER  long  the counter (a lock-protected plain long, or a getAndAddLong target)
 * </pre>
 * Each word has its own pair of cache lines, as in a region.
 */
final class RawMapping implements AutoCloseable
{
    /** Offset of the spin-lock word. */
    static final int LOCK_OFFSET = 0;
    /** Offset of the counter. */
    static final int COUNTER_OFFSET = 128;
    /** Mapped length in bytes. */
    static final int LENGTH = 4096;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final boolean owner;

    private RawMapping(final Path path, final MappedByteBuffer mapped, final boolean owner)
    {
        this.path = path;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.owner = owner;
    }

    /**
     * Creates and maps a zeroed file next to a region; {@link #close()} deletes it.
     *
     * @param region the region whose directory to use.
     * @return the mapping.
     */
    static RawMapping createNextTo(final SharedRegion region)
    {
        return create(region.path().resolveSibling(region.path().getFileName() + ".raw"));
    }

    /**
     * Creates and maps a zeroed file of {@link #LENGTH} bytes; {@link #close()} deletes it.
     *
     * @param path the file, which must not exist.
     * @return the mapping.
     */
    static RawMapping create(final Path path)
    {
        return create(path, LENGTH);
    }

    /**
     * Creates and maps a zeroed file of {@code length} bytes; {@link #close()} deletes it.
     *
     * @param path   the file, which must not exist.
     * @param length its length.
     * @return the mapping.
     */
    static RawMapping create(final Path path, final long length)
    {
        return new RawMapping(path, IoUtil.mapNewFile(path.toFile(), length), true);
    }

    /**
     * Maps an existing file (in a child process); {@link #close()} only unmaps it.
     *
     * @param path the file.
     * @return the mapping.
     */
    static RawMapping open(final String path)
    {
        final File file = new File(path);
        return new RawMapping(file.toPath(), IoUtil.mapExistingFile(file, "raw reference"), false);
    }

    /**
     * @return the buffer over the whole mapping.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the file's path as a string, to capture in a child's task.
     */
    String path()
    {
        return path.toString();
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
        if (owner)
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete " + path, ex);
            }
        }
    }
}
