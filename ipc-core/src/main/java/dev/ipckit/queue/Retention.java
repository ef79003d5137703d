package dev.ipckit.queue;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Deletes a journal's roll files that every reader has passed. Chronicle never deletes them itself, so without this
 * steady traffic fills {@code /dev/shm}.
 * <p>
 * A roll file is named by its cycle's start time in the roll cycle's fixed-width format ({@code yyyyMMdd-HHmm...},
 * UTC, from epoch 0: the builder defaults ipckit keeps), so the files of the cycles before a given one are exactly
 * the {@code .cq4} files whose names sort before that cycle's name. Deleting a file another process still maps is
 * safe on Linux: the mapping stays valid until it is released; the name is gone for new openers.
 */
final class Retention
{
    static final String ROLL_FILE_SUFFIX = ".cq4";

    private Retention()
    {
    }

    /**
     * Deletes the roll files of every cycle before {@code firstNeededCycle}.
     *
     * @param journal          the open journal.
     * @param firstNeededCycle the oldest cycle some reader still needs.
     * @return how many files were deleted.
     */
    static int deleteCyclesBefore(final SingleChronicleQueue journal, final int firstNeededCycle)
    {
        final String keepFrom = fileName(journal.rollCycle(), firstNeededCycle);
        final File[] files = journal.file().listFiles((dir, name) -> name.endsWith(ROLL_FILE_SUFFIX));
        if (files == null)
        {
            return 0;
        }
        int deleted = 0;
        for (final File file : files)
        {
            if (file.getName().compareTo(keepFrom) < 0)
            {
                try
                {
                    if (Files.deleteIfExists(file.toPath()))
                    {
                        deleted++;
                    }
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("cannot delete passed roll file " + file, ex);
                }
            }
        }
        if (deleted > 0)
        {
            journal.refreshDirectoryListing();
        }
        return deleted;
    }

    /**
     * Counts a journal's roll files.
     *
     * @param journal the open journal.
     * @return the number of {@code .cq4} files in its directory.
     */
    static int rollFileCount(final SingleChronicleQueue journal)
    {
        final File[] files = journal.file().listFiles((dir, name) -> name.endsWith(ROLL_FILE_SUFFIX));
        return files == null ? 0 : files.length;
    }

    static String fileName(final RollCycle rollCycle, final int cycle)
    {
        final DateTimeFormatter format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        return format.format(Instant.ofEpochMilli((long)cycle * rollCycle.lengthInMillis())) + ROLL_FILE_SUFFIX;
    }
}
