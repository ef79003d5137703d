package dev.ipckit.stress;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JcstressVerdictTest
{
    private static final Set<String> EXPECTED = Set.of("a.B", "a.C");

    /** The shape of a jcstress 0.16 -v run's ending, as printed by the real tool; each section lists its tests. */
    private static List<String> output(
        final String progress, final List<String> interesting, final List<String> failed, final List<String> errors,
        final List<String> remaining)
    {
        final List<String> lines = new ArrayList<>(List.of("Test configuration:", progress, "", "RUN RESULTS:"));
        section(lines, "Interesting tests", interesting);
        section(lines, "Failed tests", failed);
        section(lines, "Error tests", errors);
        section(lines, "All remaining tests", remaining);
        return lines;
    }

    private static void section(final List<String> lines, final String header, final List<String> tests)
    {
        lines.add("  " + header + ": " + (tests.isEmpty() ? "No matches." : tests.size() + " matching test results."));
        lines.add("");
        for (final String test : tests)
        {
            lines.add(test);
            lines.add("");
            lines.add("  Results across all configurations:");
            lines.add("");
        }
    }

    @Test
    void passesWhenEveryTestRanAndPassed()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(output(
            "(Results: 4 planned; 4 passed, 0 failed, 0 soft errs, 0 hard errs)",
            List.of(), List.of(), List.of(), List.of("...... [OK] a.B", "...... [OK] a.C")), 0, EXPECTED);
        assertTrue(verdict.passed(), verdict.problems().toString());
        assertEquals(EXPECTED, verdict.ran());
    }

    @Test
    void interestingIsNotAFailure()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(output(
            "(Results: 4 planned; 4 passed, 0 failed, 0 soft errs, 0 hard errs)",
            List.of("...... [OK] a.B"), List.of(), List.of(), List.of("...... [OK] a.C")), 0, EXPECTED);
        assertTrue(verdict.passed(), verdict.problems().toString());
        assertEquals(Set.of("a.B"), verdict.interesting());
    }

    @Test
    void failsOnForbidden()
    {
        final List<String> lines = output(
            "(Results: 4 planned; 3 passed, 1 failed, 0 soft errs, 0 hard errs)",
            List.of(), List.of("...... [FAILED] a.B"), List.of(), List.of("...... [OK] a.C"));
        lines.add("a.B [-Xint]: Observed forbidden state: 1, 1 (x)");
        final JcstressVerdict verdict = JcstressVerdict.judge(lines, 1, EXPECTED);
        assertFalse(verdict.passed());
        assertTrue(verdict.problems().stream().anyMatch(p -> p.startsWith("FORBIDDEN")), verdict.problems().toString());
    }

    @Test
    void failsOnErrorEvenWithExitCodeZero()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(output(
            "(Results: 4 planned; 3 passed, 0 failed, 0 soft errs, 1 hard errs)",
            List.of(), List.of(), List.of("....... [ERROR] a.B"), List.of("...... [OK] a.C")), 0, EXPECTED);
        assertFalse(verdict.passed());
    }

    @Test
    void failsWhenATestIsMissing()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(output(
            "(Results: 2 planned; 2 passed, 0 failed, 0 soft errs, 0 hard errs)",
            List.of(), List.of(), List.of(), List.of("...... [OK] a.B")), 0, EXPECTED);
        assertFalse(verdict.passed());
        assertTrue(verdict.problems().contains("did not run: a.C"), verdict.problems().toString());
    }

    @Test
    void failsOnNoMatchingTests()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(List.of("No matching tests."), 0, EXPECTED);
        assertFalse(verdict.passed());
    }

    @Test
    void failsOnSkippedTests()
    {
        final JcstressVerdict verdict = JcstressVerdict.judge(output(
            "(Results: 4 planned; 4 passed, 0 failed, 0 soft errs, 0 hard errs)",
            List.of(), List.of(), List.of(), List.of("...... [SKIPPED] a.B", "...... [OK] a.C")), 0, EXPECTED);
        assertFalse(verdict.passed());
    }

    @Test
    void readsTheTestList()
    {
        final String list = "JCTEST23Sdev.ipckit.stress.Probe23Sdev.ipckit.stress.Probe32Sxyz\n" +
            "JCTEST7Sa.b.C.D1Sq\n\n";
        assertEquals(List.of("dev.ipckit.stress.Probe", "a.b.C.D"), List.copyOf(JcstressGate.parseTestList(list)));
    }
}
