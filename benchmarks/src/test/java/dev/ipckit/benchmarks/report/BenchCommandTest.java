package dev.ipckit.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path directory;

    @Test
    void helpPrintsUsageAndEveryBenchmarkName()
    {
        assertEquals(BenchCommand.OK, run("--help"));
        final String usage = text(out);
        assertTrue(usage.startsWith("Usage: ipckit bench [-hV] [--full] [--quick] [--html=FILE] [--json=FILE|-]"), usage);
        assertTrue(usage.contains("--compare=FILE [FILE]") && usage.contains("--only=a,b"), usage);
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
    void versionAndUnknownOptionsKeepTheConventions()
    {
        assertEquals(BenchCommand.OK, run("--version"));
        assertTrue(text(out).startsWith("ipckit " + dev.ipckit.ops.Cli.version() + System.lineSeparator()), text(out));
        assertEquals(BenchCommand.USAGE, run("--bogus"));
        assertTrue(text(err).startsWith("ipckit bench: Unknown option: '--bogus'"), text(err));
        err.reset();
        assertEquals(BenchCommand.USAGE, run("--only"));
        assertTrue(text(err).startsWith("ipckit bench: Missing required parameter for option '--only' (a,b)"), text(err));
    }

    @Test
    void anOutFileInAMissingDirectoryIsBadUsageBeforeAnythingRuns()
    {
        assertEquals(BenchCommand.USAGE, run("--only", "pipe", "--out", "/no/such/directory/report.md"));
        assertTrue(text(err).contains("--out: directory /no/such/directory does not exist"), text(err));
    }

    @Test
    void anUnwritableJsonOrHtmlFileIsBadUsageBeforeAnythingRuns()
    {
        assertEquals(BenchCommand.USAGE, run("--only", "value", "--json", "/no/such/directory/b.json"));
        assertTrue(text(err).contains("--json: directory /no/such/directory does not exist"), text(err));
        err.reset();
        assertEquals(BenchCommand.USAGE, run("--only", "value", "--html", directory.toString()));
        assertTrue(text(err).contains("--html: " + directory + " is a directory"), text(err));
    }

    @Test
    void comparingAMissingReportIsBadUsage()
    {
        final Path missing = directory.resolve("old.json");
        assertEquals(BenchCommand.USAGE, run("--compare", missing.toString(), missing.toString()));
        assertEquals("ipckit bench: --compare: " + missing + ": no such file", text(err).lines().findFirst().orElse(""));
        assertEquals("", text(out));
        err.reset();
        assertEquals(BenchCommand.USAGE, run("--compare", missing.toString()), "checked before a fresh run starts");
        assertTrue(text(err).startsWith("ipckit bench: --compare: " + missing + ": no such file"), text(err));
    }

    @Test
    void comparingAMalformedReportIsBadUsage() throws Exception
    {
        final Path good = directory.resolve("good.json");
        Files.writeString(good, JsonReport.write(Synthetic.results()), StandardCharsets.UTF_8);
        final Path bad = directory.resolve("bad.json");
        Files.writeString(bad, "{\"rows\": [{\"id\": \"a.b\"}]}", StandardCharsets.UTF_8);
        assertEquals(BenchCommand.USAGE, run("--compare", good.toString(), bad.toString()));
        assertTrue(text(err).startsWith("ipckit bench: --compare: " + bad + ": rows[0] (a.b): \"value\" is missing"),
            text(err));
        assertEquals("", text(out));
    }

    @Test
    void comparingTwoReportsPrintsTheRatioPerIdAndRunsNothing() throws Exception
    {
        final Path old = directory.resolve("old.json");
        final Path current = directory.resolve("new.json");
        Files.writeString(old, JsonReport.write(Synthetic.results()), StandardCharsets.UTF_8);
        Files.writeString(current, JsonReport.write(Synthetic.report(0.5).results("0", java.time.Duration.ZERO)),
            StandardCharsets.UTF_8);
        assertEquals(BenchCommand.OK, run("--compare", old.toString(), current.toString()));
        final String text = text(out);
        assertTrue(text.startsWith("## ipckit bench --compare"), text);
        assertTrue(text.lines().anyMatch(line -> line.matches(
            "\\| pipe\\.journal\\.rtt\\.p50 +\\| +µs \\| +0\\.501 \\| +0\\.251 \\| +0\\.50 \\| +lower \\| +better \\|")), text);
        assertTrue(text.lines().anyMatch(line -> line.matches(
            "\\| pipe\\.journal\\.throughput +\\| +k msg/s \\| +3,477 \\| +1,739 \\| +0\\.50 \\| +higher \\| +worse \\|")),
            text);
        assertEquals("", text(err), "nothing ran");
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
