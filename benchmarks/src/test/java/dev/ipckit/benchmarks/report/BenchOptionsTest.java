package dev.ipckit.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest
{
    @Test
    void noArgumentsRunEverythingQuick()
    {
        final BenchOptions options = BenchOptions.parse(new String[0]);
        assertEquals(Mode.QUICK, options.mode());
        assertEquals(List.of(Suite.values()), options.suites());
        assertEquals(Optional.empty(), options.out());
        assertEquals(Optional.empty(), options.json());
        assertEquals(Optional.empty(), options.html());
        assertEquals(List.of(), options.compare());
        assertFalse(options.help());
    }

    @Test
    void jsonHtmlAndCompareAreRead()
    {
        final BenchOptions options = BenchOptions.parse(
            new String[] {"--json", "b.json", "--html=r.html", "--compare", "old.json", "--only", "value"});
        assertEquals(Optional.of(Path.of("b.json")), options.json());
        assertFalse(options.jsonToStdout());
        assertEquals(Optional.of(Path.of("r.html")), options.html());
        assertEquals(List.of(Path.of("old.json")), options.compare(), "one file: compared with this run");
        assertFalse(options.compareOnly());
        assertEquals(List.of(Suite.VALUE), options.suites());

        assertTrue(BenchOptions.parse(new String[] {"--json", "-"}).jsonToStdout());
        final BenchOptions two = BenchOptions.parse(new String[] {"--compare", "a.json", "b.json"});
        assertEquals(List.of(Path.of("a.json"), Path.of("b.json")), two.compare());
        assertTrue(two.compareOnly());
    }

    @Test
    void fullOnlyAndOutAreRead()
    {
        final BenchOptions options = BenchOptions.parse(new String[] {"--full", "--only", "pipe,value", "--out", "r.md"});
        assertEquals(Mode.FULL, options.mode());
        assertEquals(List.of(Suite.VALUE, Suite.PIPE), options.suites(), "report order, not the order given");
        assertEquals(Optional.of(Path.of("r.md")), options.out());
    }

    @Test
    void valuesMayFollowAnEqualsSign()
    {
        final BenchOptions options = BenchOptions.parse(new String[] {"--only=pool, manager,pool", "--out=x.md"});
        assertEquals(List.of(Suite.POOL, Suite.MANAGER), options.suites());
        assertEquals(Optional.of(Path.of("x.md")), options.out());
    }

    @Test
    void helpWinsOverTheRest()
    {
        assertTrue(BenchOptions.parse(new String[] {"--only", "pipe", "--help"}).help());
        assertTrue(BenchOptions.parse(new String[] {"-h", "--bogus"}).help());
    }

    @Test
    void repeatingAModeIsFine()
    {
        assertEquals(Mode.QUICK, BenchOptions.parse(new String[] {"--quick", "--quick"}).mode());
    }

    @Test
    void badUsageSaysWhatWasWrong()
    {
        assertMessage("choose one of --quick and --full", "--quick", "--full");
        assertMessage("unknown option '--fast'", "--fast");
        assertMessage("unknown option 'pipe'", "pipe");
        assertMessage("--only needs a value", "--only");
        assertMessage("--out needs a value", "--out");
        assertMessage("--out needs a file name", "--out=");
        assertMessage("--quick takes no value", "--quick=yes");
        assertMessage("unknown benchmark 'pipes' in --only; names: " + Suite.labels(), "--only", "pipe,pipes");
        assertMessage("--only needs benchmark names separated by commas, got 'pipe,'; names: " + Suite.labels(),
            "--only", "pipe,");
        assertMessage("--json needs a value", "--json");
        assertMessage("--html needs a file name", "--html=");
        assertMessage("--compare needs a value", "--compare");
        assertMessage("--compare takes one or two files, once", "--compare", "a.json", "--compare", "b.json");
        assertMessage("--compare OLD NEW compares two reports and runs nothing: --quick, --full, --only, --out, " +
            "--json and --html do not apply (give one file to compare a fresh run)",
            "--compare", "a.json", "b.json", "--only", "pipe");
        assertMessage("--json - and --compare would both write to standard output: give --json a file",
            "--json", "-", "--compare", "a.json");
        assertMessage("unknown option 'c.json'", "--compare", "a.json", "b.json", "c.json");
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
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertEquals(expected, ex.getMessage());
    }
}
