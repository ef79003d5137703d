package dev.ipckit.stress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a jcstress 0.16 run from its console output (run with {@code -v}, so that the closing "RUN RESULTS" section
 * names every test) and its exit code. Fails closed: anything it cannot find counts as a failure.
 * <p>
 * A run passes when jcstress exited 0, no result was FORBIDDEN ("Observed forbidden state"), the last progress line
 * says every planned result passed with no failures or errors, the Failed and Error sections are empty, and every
 * expected test is named in the results. The last check matters because jcstress exits 0 on "No matching tests".
 */
public final class JcstressVerdict
{
    private static final Pattern PROGRESS = Pattern.compile(
        "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final Pattern SECTION = Pattern.compile(
        "^\\s*(Interesting tests|Failed tests|Error tests|All remaining tests): (?:No matches\\.|(\\d+) matching test results\\.).*$");
    private static final Pattern TEST_LINE = Pattern.compile("^\\s*\\.*\\s*\\[([A-Z_]+)]\\s+([\\w.$]+)\\s*$");

    private final List<String> problems = new ArrayList<>();
    private final Set<String> ran = new LinkedHashSet<>();
    private final Set<String> interesting = new LinkedHashSet<>();

    private JcstressVerdict()
    {
    }

    /**
     * @param lines    the console output.
     * @param exitCode jcstress's exit code.
     * @param expected the test classes that must have run.
     * @return the verdict.
     */
    public static JcstressVerdict judge(final List<String> lines, final int exitCode, final Set<String> expected)
    {
        final JcstressVerdict verdict = new JcstressVerdict();
        verdict.read(lines, exitCode, expected);
        return verdict;
    }

    private void read(final List<String> lines, final int exitCode, final Set<String> expected)
    {
        if (exitCode != 0)
        {
            problems.add("jcstress exited with " + exitCode);
        }
        if (expected.isEmpty())
        {
            problems.add("the jar lists no tests (was the jcstress annotation processor run?)");
        }
        Matcher lastProgress = null;
        boolean inResults = false;
        String section = null;
        final Set<String> sections = new LinkedHashSet<>();
        for (final String line : lines)
        {
            if (line.contains("Observed forbidden state"))
            {
                problems.add("FORBIDDEN: " + line.trim());
            }
            if (line.contains("No matching tests"))
            {
                problems.add("jcstress matched no tests");
            }
            final Matcher progress = PROGRESS.matcher(line);
            if (progress.find())
            {
                lastProgress = progress;
            }
            if (line.startsWith("RUN RESULTS:"))
            {
                inResults = true;
                continue;
            }
            if (!inResults)
            {
                continue;
            }
            final Matcher header = SECTION.matcher(line);
            if (header.matches())
            {
                section = header.group(1);
                sections.add(section);
                final int count = header.group(2) == null ? 0 : Integer.parseInt(header.group(2));
                if (count > 0 && (section.equals("Failed tests") || section.equals("Error tests")))
                {
                    problems.add(section + ": " + count);
                }
                continue;
            }
            final Matcher test = TEST_LINE.matcher(line);
            if (test.matches() && section != null)
            {
                ran.add(test.group(2));
                if (section.equals("Interesting tests"))
                {
                    interesting.add(test.group(2));
                }
                if (!test.group(1).equals("OK"))
                {
                    problems.add("[" + test.group(1) + "] " + test.group(2));
                }
            }
        }
        if (!inResults)
        {
            problems.add("no RUN RESULTS section in the output: the run did not finish");
        }
        else if (sections.size() < 4)
        {
            problems.add("RUN RESULTS section incomplete: found only " + sections);
        }
        if (lastProgress == null)
        {
            problems.add("no progress line \"(Results: ...)\" in the output");
        }
        else
        {
            final long planned = Long.parseLong(lastProgress.group(1));
            final long passed = Long.parseLong(lastProgress.group(2));
            final long failed = Long.parseLong(lastProgress.group(3));
            final long soft = Long.parseLong(lastProgress.group(4));
            final long hard = Long.parseLong(lastProgress.group(5));
            if (planned == 0 || passed != planned || failed + soft + hard != 0)
            {
                problems.add("results: " + planned + " planned, " + passed + " passed, " + failed + " failed, " +
                    soft + " soft errors, " + hard + " hard errors");
            }
        }
        for (final String name : expected)
        {
            if (!ran.contains(name))
            {
                problems.add("did not run: " + name);
            }
        }
    }

    /**
     * @return whether the run passed.
     */
    public boolean passed()
    {
        return problems.isEmpty();
    }

    /**
     * @return what failed, one line each; empty when passed.
     */
    public List<String> problems()
    {
        return List.copyOf(problems);
    }

    /**
     * @return the tests named in the results.
     */
    public Set<String> ran()
    {
        return Set.copyOf(ran);
    }

    /**
     * @return the tests that showed an ACCEPTABLE_INTERESTING outcome (the teaching races, for example).
     */
    public Set<String> interesting()
    {
        return Set.copyOf(interesting);
    }
}
