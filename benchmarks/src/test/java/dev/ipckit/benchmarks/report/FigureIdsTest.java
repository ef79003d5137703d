package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.RowIds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The figure ids from the harnesses' id constants (nothing runs): well-formed, each measured by one harness, the
 * ones the issues name present, and exactly the ones {@code docs/benchmarks.md} lists.
 */
class FigureIdsTest
{
    /** Ids the issues name for figures measured today. */
    private static final List<String> NAMED = List.of(
        "pipe.journal.rtt.p50", "pipe.journal.rtt.p50.busyspin", "pipe.journal.rtt.p99", "raw.chronicle.rtt.p50",
        "python.pipe.rtt.p50", "start.spawn", "python.start.spawn", "pool.ready", "pool.applyasync.rtt.p50",
        "lock.contended", "floor.rtt.p50", "pipe.ring.throughput", "raw.ring.throughput", "pipe.ring.rtt.p50",
        "pipe.ring.rtt.p99", "pipe.ring.rtt.p99.busyspin", "raw.ring.rtt.p50", "queue.ring.throughput.2x2",
        "start.forkserver", "pool.ready.forkserver", "python.start.fork", "python.start.forkserver",
        "python.pool.ready.fork");

    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([^`]+)` +\\|");

    @Test
    void idsAreWellFormedAndEachBelongsToOneHarness()
    {
        for (final Mode mode : Mode.values())
        {
            final Map<String, Suite> owner = new HashMap<>();
            for (final Suite suite : Suite.values())
            {
                final List<String> ids = suite.ids(mode);
                assertTrue(!ids.isEmpty(), suite + " has ids");
                assertEquals(ids.stream().distinct().toList(), ids, suite + " lists each id once");
                for (final String id : ids)
                {
                    assertTrue(RowIds.FORM.matcher(id).matches(), id);
                    final Suite other = owner.putIfAbsent(id, suite);
                    if (other != null)
                    {
                        fail(id + " is measured by both " + other.label() + " and " + suite.label());
                    }
                }
            }
        }
    }

    @Test
    void theIdsTheIssuesNameExist()
    {
        for (final Mode mode : Mode.values())
        {
            final Set<String> ids = all(mode);
            NAMED.forEach(id -> assertTrue(ids.contains(id), id + " in " + mode + " mode"));
        }
    }

    @Test
    void busySpinIdsEndWithTheirWaitAndReferencesSayWhatTheyAre()
    {
        for (final String id : all(Mode.FULL))
        {
            if (id.contains("busyspin"))
            {
                assertTrue(id.endsWith(RowIds.BUSY_SPIN), id);
            }
        }
        assertTrue(all(Mode.FULL).stream().filter(id -> id.startsWith("raw.")).allMatch(id ->
            id.startsWith("raw.agrona.") || id.startsWith("raw.chronicle.") || id.startsWith("raw.dictlock.") ||
            id.startsWith("raw.ring.")));
    }

    @Test
    void theBenchmarksDocListsEveryIdOnce() throws Exception
    {
        final Path doc = Path.of("..", "docs", "benchmarks.md");
        final List<String> listed = new ArrayList<>();
        for (final String line : Files.readAllLines(doc, StandardCharsets.UTF_8))
        {
            final Matcher matcher = DOC_ROW.matcher(line);
            if (matcher.find())
            {
                listed.add(matcher.group(1));
            }
        }
        assertEquals(listed.stream().distinct().toList(), listed, "each id once in " + doc);
        final Set<String> ids = new LinkedHashSet<>(all(Mode.QUICK));
        ids.addAll(all(Mode.FULL));
        assertEquals(ids, new LinkedHashSet<>(listed.stream().filter(ids::contains).toList()),
            "every id is in the table of " + doc);
        assertEquals(List.of(), listed.stream().filter(id -> !ids.contains(id)).toList(),
            "the table of " + doc + " lists no id the harnesses lack");
    }

    private static Set<String> all(final Mode mode)
    {
        final Set<String> ids = new LinkedHashSet<>();
        for (final Suite suite : Suite.values())
        {
            ids.addAll(suite.ids(mode));
        }
        return ids;
    }
}
