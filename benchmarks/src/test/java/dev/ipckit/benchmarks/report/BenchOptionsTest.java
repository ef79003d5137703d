package dev.ipckit.benchmarks.report;

import dev.ipckit.ops.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;

import java.io.OutputStream;
import java.io.PrintStream;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options as {@code ipckit bench} builds them from its command line (picocli parsing, nothing runs). */
class BenchOptionsTest
{
    private static final PrintStream NONE = new PrintStream(OutputStream.nullOutputStream());

    private static BenchOptions parse(final String... args)
    {
        final BenchCommand command = new BenchCommand(NONE, NONE);
        Cli.commandLine(command, NONE, NONE, Help.Ansi.OFF).parseArgs(args);
        return command.options();
    }

    @Test
    void noArgumentsRunEverythingQuick()
    {
        final BenchOptions options = parse();
        assertEquals(Mode.QUICK, options.mode());
        assertEquals(List.of(Suite.values()), options.suites());
        assertEquals(Optional.empty(), options.out());
        assertEquals(Optional.empty(), options.json());
        assertEquals(Optional.empty(), options.html());
        assertEquals(List.of(), options.compare());
    }

    @Test
    void jsonHtmlAndCompareAreRead()
    {
        final BenchOptions options = parse("--json", "b.json", "--html=r.html", "--compare", "old.json", "--only", "value");
        assertEquals(Optional.of(Path.of("b.json")), options.json());
        assertFalse(options.jsonToStdout());
        assertEquals(Optional.of(Path.of("r.html")), options.html());
        assertEquals(List.of(Path.of("old.json")), options.compare(), "one file: compared with this run");
        assertFalse(options.compareOnly());
        assertEquals(List.of(Suite.VALUE), options.suites());

        assertTrue(parse("--json", "-").jsonToStdout());
        final BenchOptions two = parse("--compare", "a.json", "b.json");
        assertEquals(List.of(Path.of("a.json"), Path.of("b.json")), two.compare());
        assertTrue(two.compareOnly());
    }

    @Test
    void fullOnlyAndOutAreRead()
    {
        final BenchOptions options = parse("--full", "--only", "pipe,value", "--out", "r.md");
        assertEquals(Mode.FULL, options.mode());
        assertEquals(List.of(Suite.VALUE, Suite.PIPE), options.suites(), "report order, not the order given");
        assertEquals(Optional.of(Path.of("r.md")), options.out());
    }

    @Test
    void valuesMayFollowAnEqualsSign()
    {
        final BenchOptions options = parse("--only=pool, manager,pool", "--out=x.md");
        assertEquals(List.of(Suite.POOL, Suite.MANAGER), options.suites());
        assertEquals(Optional.of(Path.of("x.md")), options.out());
    }

    @Test
    void helpWinsOverTheRest()
    {
        assertEquals(BenchCommand.OK, BenchCommand.run(new String[] {"--only", "pipe", "--help"}, NONE, NONE));
        assertEquals(BenchCommand.OK, BenchCommand.run(new String[] {"-h", "--bogus"}, NONE, NONE));
    }

    @Test
    void badUsageSaysWhatWasWrong()
    {
        assertMessage("choose one of --quick and --full", "--quick", "--full");
        assertMessage("Unknown option: '--fast'", "--fast");
        assertMessage("Unmatched argument at index 0: 'pipe'", "pipe");
        assertMessage("Missing required parameter for option '--only' (a,b)", "--only");
        assertMessage("Missing required parameter for option '--out' (FILE)", "--out");
        assertMessage("--out needs a file name", "--out=");
        assertMessage("Invalid value for option '--quick': 'yes' is not a boolean", "--quick=yes");
        assertMessage("option '--quick' should be specified only once", "--quick", "--quick");
        assertMessage("unknown benchmark 'pipes' in --only; names: " + Suite.labels(), "--only", "pipe,pipes");
        assertMessage("--only needs benchmark names separated by commas, got 'pipe,'; names: " + Suite.labels(),
            "--only", "pipe,");
        assertMessage("Missing required parameter for option '--json' (FILE|-)", "--json");
        assertMessage("--html needs a file name", "--html=");
        assertMessage("Missing required parameter for option '--compare' at index 0 (FILE)", "--compare");
        assertMessage("--compare takes one or two files, once", "--compare", "a.json", "--compare", "b.json");
        assertMessage("--compare OLD NEW compares two reports and runs nothing: --quick, --full, --only, --out, " +
            "--json and --html do not apply (give one file to compare a fresh run)",
            "--compare", "a.json", "b.json", "--only", "pipe");
        assertMessage("--json - and --compare would both write to standard output: give --json a file",
            "--json", "-", "--compare", "a.json");
        assertMessage("Unmatched argument at index 3: 'c.json'", "--compare", "a.json", "b.json", "c.json");
    }

    @Test
    void everySuiteIsNamedOnceAndFoundByItsName()
    {
        for (final Suite suite : Suite.values())
        {
            assertEquals(Optional.of(suite), Suite.byLabel(suite.label()));
            assertFalse(suite.note().isBlank(), suite + " has a note");
        }
        assertEquals(Optional.empty(), Suite.byLabel("PIPE"));
    }

    private static void assertMessage(final String expected, final String... args)
    {
        final ParameterException ex = assertThrows(ParameterException.class, () -> parse(args));
        assertEquals(expected, ex.getMessage());
    }
}
