package dev.ipckit.memory;

import org.agrona.IoUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every mapping of a region file goes through here, so that running out of memory mappings is an exception and not
 * an abort. Linux lets a process have {@code vm.max_map_count} mappings (65,530 by default); once they are used up,
 * the next {@code mmap} of anyone in the JVM fails, and when that is a thread stack, a heap or code-cache growth the
 * JVM aborts with an hs_err file. So a region is refused ({@link RegionException.Reason#MAPPING_LIMIT}) while fewer
 * than {@link #headroom} mappings would remain: max(1,000, 1/32 of the limit), 2,047 for the default limit, left to
 * the JVM, Chronicle and the rest of the process.
 * <p>
 * Cost: counting the process's mappings means reading {@code /proc/self/maps}, one line per mapping, which the
 * kernel writes out on every read: measured on a loaded 2-core machine about 10 ms for 1,000 lines, 60 ms for
 * 10,000 and 250 to 650 ms for 40,000 to 60,000. So it is not read per mapping. It is counted at the first mapping;
 * a count that leaves {@code R} mappings (more than the headroom) is then trusted for {@code (R - headroom) / 2} of
 * ipckit's own mappings, half of what is left, and between counts the estimate is the last count plus the mappings
 * ipckit made since, minus those it unmapped (a region is one mapping). Far from the limit that is one count in tens
 * of thousands of regions; approaching it, the counts come at halving distances, about 17 for 63,000 regions in all
 * (a few seconds there, against the JVM abort it prevents). Below the limit a map or unmap costs one uncontended
 * lock. What the rest of the process maps between two counts is seen at the next one; the halving means it would
 * have to use more than half of what was left at the last count, plus the headroom, to run the process out. A refused
 * mapping counts again each time it is tried, so a region closed meanwhile (by anyone) is seen; a closed region's
 * mapping stays for {@link Unmapper#LINGER_MILLIS}, so before it refuses, a mapping waits for the unmaps pending.
 * <p>
 * Where there is no {@code /proc} (not Linux), or it cannot be read, nothing is counted and nothing refused.
 */
final class MappingBudget
{
    /** The smallest number of mappings left to the rest of the process. */
    static final long MIN_HEADROOM = 1_000;

    private static final Path MAX_MAP_COUNT = Path.of("/proc/sys/vm/max_map_count");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final boolean AVAILABLE = Files.isReadable(MAX_MAP_COUNT) && Files.isReadable(MAPS);

    private static final Object LOCK = new Object();
    /** The region mappings ipckit holds now. */
    private static long live;
    /** The process's mappings at the last count, and {@link #live} then; {@code counted < 0}: never counted. */
    private static long counted = -1;
    private static long liveAtCount;
    /** The limit read at the last count. */
    private static long limit;
    /** {@link #live} at which the last count stops being trusted. */
    private static long recountAt;
    /** A limit to use instead of the sysctl's (tests), 0 for none. */
    private static long limitOverride;
    private static long countsMade;
    /** Set when /proc could not be read after all: nothing is counted or refused from then on. */
    private static boolean broken;

    private MappingBudget()
    {
    }

    /**
     * Maps {@code length} bytes of a file read-write, unless that would leave the process too few mappings.
     *
     * @throws RegionException MAPPING_LIMIT naming both numbers and what to do.
     * @throws IOException     when the mapping fails.
     */
    static MappedByteBuffer map(final FileChannel channel, final Path path, final long length) throws IOException
    {
        try
        {
            reserve(path);
        }
        catch (final RegionException ex)
        {
            // Closed regions keep their mapping for Unmapper's linger: once those are gone there may be room.
            if (ex.reason() != RegionException.Reason.MAPPING_LIMIT || !Unmapper.awaitPending(2 * Unmapper.LINGER_MILLIS))
            {
                throw ex;
            }
            reserve(path);
        }
        try
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            release();
            throw ex;
        }
    }

    /** Unmaps a buffer from {@link #map} at once (not when it is garbage collected). */
    static void unmap(final MappedByteBuffer buffer)
    {
        IoUtil.unmap(buffer);
        release();
    }

    private static void reserve(final Path path)
    {
        if (!AVAILABLE)
        {
            return;
        }
        synchronized (LOCK)
        {
            final long estimate = counted + live - liveAtCount;
            if (!broken && (counted < 0 || live >= recountAt || limit - estimate < headroom(limit)) && count())
            {
                final long remaining = limit - counted;
                final long headroom = headroom(limit);
                if (remaining < headroom)
                {
                    recountAt = live; // the next try counts again, unless regions closed since make room by the estimate
                    throw new RegionException(RegionException.Reason.MAPPING_LIMIT, path,
                        "cannot be mapped: this process has " + counted + " memory mappings and may have " + limit +
                        " (vm.max_map_count); ipckit keeps " + headroom + " free for the JVM (threads, heap, code) " +
                        "and refuses past that. ipckit holds " + live + " region mapping(s) now: close regions you no " +
                        "longer use (each open region is one mapping), or raise the limit " +
                        "(sysctl -w vm.max_map_count=" + Math.max(262_144, 4 * limit) + ")");
                }
                recountAt = live + Math.max(1, (remaining - headroom) / 2);
            }
            live++;
        }
    }

    private static void release()
    {
        if (!AVAILABLE)
        {
            return;
        }
        synchronized (LOCK)
        {
            live--;
        }
    }

    /**
     * Reads the limit and counts the lines of /proc/self/maps; under {@link #LOCK}. A failure to read them (a
     * sandbox that hides part of /proc) turns the check off for good rather than failing every region.
     *
     * @return whether the count worked.
     */
    private static boolean count()
    {
        try
        {
            limit = limitOverride > 0 ? limitOverride : readLimit();
            counted = countLines(MAPS);
            liveAtCount = live;
            countsMade++;
            return true;
        }
        catch (final IOException | NumberFormatException ex)
        {
            broken = true;
            return false;
        }
    }

    private static long readLimit() throws IOException
    {
        // A stream, not Files.readAllBytes: that trusts the size /proc/sys reports and returned "6" of "65530\n".
        try (InputStream in = Files.newInputStream(MAX_MAP_COUNT))
        {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }

    private static long countLines(final Path file) throws IOException
    {
        final byte[] chunk = new byte[64 * 1024];
        long lines = 0;
        try (InputStream in = Files.newInputStream(file))
        {
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (chunk[i] == '\n')
                    {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    static long headroom(final long limit)
    {
        return Math.max(MIN_HEADROOM, limit / 32);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // For tests: a lower limit than the sysctl's (which a test cannot change safely), and what the budget saw.

    /**
     * Uses {@code limit} instead of {@code vm.max_map_count} from the next mapping on; 0 goes back to the sysctl.
     */
    static void limitForTesting(final long limit)
    {
        synchronized (LOCK)
        {
            limitOverride = limit;
            recountAt = live; // count at the next mapping, with the new limit
        }
    }

    /** Whether mappings are counted here (Linux). */
    static boolean available()
    {
        return AVAILABLE;
    }

    /** The process's mappings counted now, as a fresh count would see them. */
    static long countNow() throws IOException
    {
        return countLines(MAPS);
    }

    /** The region mappings ipckit holds. */
    static long liveMappings()
    {
        synchronized (LOCK)
        {
            return live;
        }
    }

    /** How many times /proc/self/maps has been read. */
    static long countsMade()
    {
        synchronized (LOCK)
        {
            return countsMade;
        }
    }
}
