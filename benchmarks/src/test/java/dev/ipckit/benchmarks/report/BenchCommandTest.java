package dev.ipckit.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpPrintsUsageAndEveryBenchmarkName()
    {
        assertEquals(BenchCommand.OK, run("--help"));
        final String usage = text(out);
        assertTrue(usage.startsWith("usage: ipckit bench [--quick|--full] [--only a,b] [--out FILE] [--help]"), usage);
        for (final Suite suite : Suite.values())
        {
            assertTrue(usage.contains("  " + suite.label() + " "), suite.label());
        }
        assertEquals("", text(err));
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy()
    {
        assertEquals(BenchCommand.USAGE, run("--only", "nothing"));
        assertTrue(text(err).startsWith("ipckit bench: unknown benchmark 'nothing' in --only"), text(err));
        assertEquals("", text(out));
    }

    @Test
    void anOutFileInAMissingDirectoryIsBadUsageBeforeAnythingRuns()
    {
        assertEquals(BenchCommand.USAGE, run("--only", "pipe", "--out", "/no/such/directory/report.md"));
        assertTrue(text(err).contains("--out: directory /no/such/directory does not exist"), text(err));
    }

    @Test
    void theCommandLineIsQuotedWhereAShellNeedsIt()
    {
        assertEquals("./ipckit bench", BenchCommand.command(new String[0]));
        assertEquals("./ipckit bench --only pipe,pool --out 'my report.md'",
            BenchCommand.command(new String[] {"--only", "pipe,pool", "--out", "my report.md"}));
        assertEquals("./ipckit bench --out 'it'\\''s.md' ''", BenchCommand.command(new String[] {"--out", "it's.md", ""}));
    }

    private int run(final String... args)
    {
        return BenchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(final ByteArrayOutputStream stream)
    {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
