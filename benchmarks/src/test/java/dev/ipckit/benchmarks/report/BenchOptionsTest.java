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
        assertFalse(options.help());
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
