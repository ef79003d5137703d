package dev.ipckit.ops;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.memory.RegionFileDamage;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.value.SharedLong;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ipckit ls} on a directory of good and damaged files lists them all and marks the damaged; repair skips. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DamagedFilesCliTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        out.reset();
        return OpsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void lsListsEveryFileAndMarksTheDamagedOnesThenRepairSkipsTheDamagedJournal() throws IOException, InterruptedException
    {
        final Path good1 = region("a-good", 1);
        final Path negativeCount = region("b-count-minus-one", 2);
        final Path farOffset = region("c-offset-2-40", 3);
        final Path good2 = region("d-good", 4);
        RegionFileDamage.entryCount(negativeCount, -1);
        RegionFileDamage.entryOffset(farOffset, 0, 1L << 40);

        final QueueOptions queueOptions = QueueOptions.defaults().withDirectory(dir).withPersistent(true);
        try (SharedQueue<Object> queue = SharedQueue.create("jobs", queueOptions))
        {
            for (int i = 0; i < 100; i++)
            {
                queue.put(i);
            }
        }
        truncateJournal(dir.resolve("jobs.queue"));
        try (SharedQueue<Object> queue = SharedQueue.create("control-damaged", queueOptions))
        {
            queue.put(1);
        }
        RegionFileDamage.entryCount(dir.resolve("control-damaged.queue").resolve("control.region"), 1_000_000_000);

        assertEquals(0, run("ls", dir.toString()), err.toString(StandardCharsets.UTF_8));
        final String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains("4 region(s)"), listing);
        assertTrue(listing.contains("a-good") && listing.contains("= 1"), listing);
        assertTrue(listing.contains("d-good") && listing.contains("= 4"), listing);
        assertTrue(listing.contains("DAMAGED (CORRUPT): region " + negativeCount) && listing.contains("ENTRY_COUNT is -1"),
            listing);
        assertTrue(listing.contains("DAMAGED (CORRUPT): region " + farOffset) &&
            listing.contains("OFFSET is " + (1L << 40)), listing);
        assertTrue(listing.contains("jobs.queue") && listing.contains("DAMAGED: 100 of 100 pending message(s) cannot be read"),
            listing);

        assertTrue(listing.contains("control-damaged.queue  DAMAGED") && listing.contains("ENTRY_COUNT is 1000000000"),
            listing);

        // The JSON listing marks the same files damaged, with the same reasons.
        assertEquals(0, run("ls", "--json", dir.toString()), err.toString(StandardCharsets.UTF_8));
        final Map<String, Object> json = JSON.std.mapFrom(out.toString(StandardCharsets.UTF_8));
        final Map<String, Map<?, ?>> regions = byName((List<?>)json.get("regions"));
        assertEquals(List.of("a-good", "b-count-minus-one", "c-offset-2-40", "d-good"), List.copyOf(regions.keySet()));
        assertEquals(List.of(false, true, true, false),
            regions.values().stream().map(r -> r.get("damaged")).toList(), json.toString());
        assertTrue(((String)regions.get("b-count-minus-one").get("damage")).contains("ENTRY_COUNT is -1"), json.toString());
        final Map<String, Map<?, ?>> queues = byName((List<?>)json.get("queues"));
        assertEquals(Boolean.TRUE, queues.get("jobs.queue").get("damaged"), json.toString());
        assertTrue(((String)queues.get("jobs.queue").get("damage")).startsWith("100 of 100 pending message(s) cannot be read"),
            json.toString());
        assertEquals(Boolean.TRUE, queues.get("control-damaged.queue").get("damaged"), json.toString());

        assertEquals(0, run("repair", dir.resolve("jobs.queue").toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("100 message(s) lost"), out.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("ls", dir.toString()));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("jobs.queue  depth 0") &&
            out.toString(StandardCharsets.UTF_8).contains("DAMAGED: 100"), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("jobs.queue  depth 0"), out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(good1) && Files.exists(good2));
    }

    private Path region(final String name, final long value)
    {
        try (SharedRegion region = SharedRegion.create(name, 1 << 16,
            RegionOptions.defaults().withDirectory(dir).withPersistent(true)))
        {
            SharedLong.create(region, "value", value);
            return region.path();
        }
    }

    /** Cuts the journal's roll file at its first message (found by reading the journal, not hard-coded). */
    private static Map<String, Map<?, ?>> byName(final List<?> entries)
    {
        final Map<String, Map<?, ?>> byName = new java.util.LinkedHashMap<>();
        for (final Object entry : entries)
        {
            byName.put((String)((Map<?, ?>)entry).get("name"), (Map<?, ?>)entry);
        }
        return byName;
    }

    private static void truncateJournal(final Path queueDirectory) throws IOException
    {
        final Path journal = queueDirectory.resolve("journal");
        final Path cq4;
        try (Stream<Path> files = Files.list(journal))
        {
            cq4 = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final long first;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(journal).build();
             ExcerptTailer tailer = queue.createTailer();
             DocumentContext dc = tailer.readingDocument())
        {
            assertTrue(dc.isPresent());
            first = dc.wire().bytes().readPosition() - Integer.BYTES; // the excerpt's 4-byte header
        }
        try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
        {
            file.setLength(first);
        }
    }
}
