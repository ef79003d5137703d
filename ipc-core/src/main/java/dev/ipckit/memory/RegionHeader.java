package dev.ipckit.memory;

import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import dev.ipckit.memory.internal.RegionChecks;

import static dev.ipckit.memory.RegionLayout.*;

/**
 * Writing a new region's header, and mapping an existing file only once its header is complete and valid (layout
 * in {@link RegionLayout}). A foreign file is rejected at once; a creator still at work is waited for.
 */
final class RegionHeader
{
    private RegionHeader()
    {
    }

    /**
     * Writes the header of a new region. The release store of READY, last, publishes every other field: an opener
     * reads READY with acquire before it reads them.
     */
    static void write(final UnsafeBuffer header, final long length, final RegionOptions options)
    {
        // The creator first: a file left half-written by a creator that died (only where regions are built in place)
        // then names it, and whoever finds the file knows at once that nobody will finish it.
        header.putLongVolatile(CREATOR_OFFSET, ProcessIdentity.current());
        header.putLong(MAGIC_OFFSET, MAGIC);
        header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        header.putInt(FLAGS_OFFSET, options.persistent() ? FLAG_PERSISTENT : 0);
        header.putLong(REGION_LENGTH_OFFSET, length);
        header.putLong(REGION_ID_OFFSET, newRegionId());
        header.putInt(DIRECTORY_CAPACITY_OFFSET, options.directoryCapacity());
        header.putLong(DATA_OFFSET_OFFSET, dataOffset(options.directoryCapacity()));
        header.putLong(CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        header.putLong(ALLOCATION_CURSOR_OFFSET, dataOffset(options.directoryCapacity()));
        header.putIntRelease(READY_OFFSET, 1);
    }

    /**
     * Maps an existing file after checking its header: magic, version, ready flag (waited for) and length.
     */
    static MappedByteBuffer mapValidated(final Path path, final RegionOptions options)
    {
        final TimedWait wait = new TimedWait(RegionWait.newIdleStrategy(), false)
            .begin(options.timeout().toNanos(), TimedWait.NO_CHECK, TimedWait.Interrupts.DEFER, path);
        try
        {
            while (true)
            {
                final MappedByteBuffer mapped;
                final long fileLength;
                // Without following a link; the file is mapped through the channel it was opened (and sized) with.
                try (FileChannel channel = RegionFiles.openNoFollow(path, true))
                {
                    fileLength = channel.size();
                    checkMagicPrefix(path, channel, fileLength);
                    mapped = fileLength >= HEADER_LENGTH ? MappingBudget.map(channel, path, fileLength) : null;
                }
                catch (final IOException ex)
                {
                    throw new RegionException(RegionException.Reason.IO, path, "cannot read or map: " + ex, ex);
                }

                long creator = ProcessIdentity.NONE;
                if (mapped != null)
                {
                    final UnsafeBuffer header = new UnsafeBuffer(mapped);
                    // Acquire: pairs with the creator's release of READY; the header fields read below are complete.
                    if (header.getIntAcquire(READY_OFFSET) == 1)
                    {
                        try
                        {
                            validateHeader(path, header, fileLength);
                        }
                        catch (final RuntimeException ex)
                        {
                            MappingBudget.unmap(mapped);
                            throw ex;
                        }
                        return mapped;
                    }
                    creator = header.getLongVolatile(CREATOR_OFFSET);
                    // Dead first, then still not ready: a creator that is dead cannot finish the header any more.
                    final boolean abandoned = creator != ProcessIdentity.NONE && !ProcessIdentity.isAlive(creator) &&
                        header.getIntAcquire(READY_OFFSET) != 1;
                    MappingBudget.unmap(mapped);
                    if (abandoned)
                    {
                        throw new RegionException(RegionException.Reason.NOT_READY, path, "its creator, pid " +
                            ProcessIdentity.pid(creator) + ", died before finishing it; SharedRegion.openOrCreate " +
                            "replaces it, ./ipckit clean (RegionFiles.removeStale) removes it");
                    }
                }
                if (wait.missUninterruptibly() == TimedWait.TIMED_OUT)
                {
                    if (mapped == null)
                    {
                        throw new RegionException(RegionException.Reason.TRUNCATED, path, "is truncated: " +
                            fileLength + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
                    }
                    throw new RegionException(RegionException.Reason.NOT_READY, path,
                        "header not ready after " + options.timeout().toMillis() + " ms; creator " +
                        ProcessIdentity.toString(creator) + (ProcessIdentity.isAlive(creator) ?
                        " is alive" : " is dead (stale file: remove it or run clean)"));
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    private static void validateHeader(final Path path, final UnsafeBuffer header, final long fileLength)
    {
        final long magic = header.getLong(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new RegionException(RegionException.Reason.BAD_MAGIC, path,
                "is not an ipckit region (magic 0x" + Long.toHexString(magic) + ")");
        }
        final int version = header.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            throw new RegionException(RegionException.Reason.UNSUPPORTED_VERSION, path,
                "has layout version " + version + "; this ipckit reads version " + LAYOUT_VERSION);
        }
        final long declared = header.getLong(REGION_LENGTH_OFFSET);
        if (declared > fileLength && declared <= Integer.MAX_VALUE)
        {
            throw new RegionException(RegionException.Reason.TRUNCATED, path,
                "is truncated: " + fileLength + " bytes, its header says " + declared);
        }
        validateLayout(path, header, declared);
    }

    /**
     * Checks the header fields that place the directory and the object area, against the region's recorded length
     * (itself checked against the smallest and largest region).
     */
    static void validateLayout(final Path path, final UnsafeBuffer header, final long declared)
    {
        RegionChecks.inRange(path, "REGION_LENGTH", declared, dataOffset(1) + SLOT_ALIGNMENT, Integer.MAX_VALUE);
        final int capacity = RegionChecks.intInRange(
            path, "DIRECTORY_CAPACITY", header.getInt(DIRECTORY_CAPACITY_OFFSET), 1, MAX_DIRECTORY_CAPACITY);
        final long dataOffset = dataOffset(capacity);
        if (dataOffset > declared)
        {
            throw RegionChecks.corrupt(path, "DIRECTORY_CAPACITY", capacity,
                "too many entries for a region of " + declared + " bytes");
        }
        RegionChecks.inRange(path, "DATA_OFFSET", header.getLong(DATA_OFFSET_OFFSET), dataOffset, dataOffset);
        RegionChecks.inRange(path, "ENTRY_COUNT", header.getIntVolatile(ENTRY_COUNT_OFFSET), 0, capacity);
        RegionChecks.inRange(
            path, "ALLOCATION_CURSOR", header.getLongVolatile(ALLOCATION_CURSOR_OFFSET), dataOffset, declared);
    }

    /**
     * A file whose first bytes are set but are not the magic's is foreign: say so at once instead of waiting. Zero
     * bytes may still be a creator at work, so they wait.
     */
    private static void checkMagicPrefix(final Path path, final FileChannel file, final long fileLength)
        throws IOException
    {
        final int n = (int)Math.min(fileLength, Long.BYTES);
        if (n == 0)
        {
            return;
        }
        final ByteBuffer read = ByteBuffer.allocate(n);
        while (read.hasRemaining() && file.read(read, read.position()) > 0)
        {
            // a file cut shorter meanwhile leaves zeros, which wait like a creator at work
        }
        final byte[] prefix = read.array();
        final UnsafeBuffer magic = new UnsafeBuffer(new byte[Long.BYTES]);
        magic.putLong(0, MAGIC);
        boolean allZero = true;
        boolean matches = true;
        for (int i = 0; i < n; i++)
        {
            allZero &= prefix[i] == 0;
            matches &= prefix[i] == magic.getByte(i);
        }
        if (!allZero && !matches)
        {
            throw new RegionException(RegionException.Reason.BAD_MAGIC, path,
                "is not an ipckit region (starts with \"" + new String(prefix, StandardCharsets.ISO_8859_1)
                .replaceAll("\\p{Cntrl}", "?") + "\")");
        }
    }

    private static long newRegionId()
    {
        long id;
        do
        {
            id = ThreadLocalRandom.current().nextLong();
        }
        while (id == 0);
        return id;
    }
}
