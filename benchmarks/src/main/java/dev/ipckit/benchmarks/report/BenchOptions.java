package dev.ipckit.benchmarks.report;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code ipckit bench}: the mode, which harnesses, where the reports go, what to compare; built by
 * {@link BenchCommand} from what picocli parsed ({@link #of}), each value converted and checked by the methods here.
 *
 * @param mode    quick (the default) or full.
 * @param suites  the harnesses to run, in report order.
 * @param out     a file that gets the markdown report too, if any.
 * @param json    where the JSON report goes, if anywhere: a file, or {@link #STDOUT} instead of the markdown.
 * @param html    a file that gets the HTML report, if any.
 * @param compare the reports to compare: none; one (compared with a fresh run); or old and new (nothing runs).
 */
record BenchOptions(
    Mode mode, List<Suite> suites, Optional<Path> out, Optional<Path> json, Optional<Path> html, List<Path> compare)
{
    /** {@code --json -}: the JSON report goes to standard output, in place of the markdown one. */
    static final Path STDOUT = Path.of("-");

    /**
     * @return whether this compares two reports and runs nothing.
     */
    boolean compareOnly()
    {
        return compare.size() == 2;
    }

    /**
     * @return whether the JSON report goes to standard output.
     */
    boolean jsonToStdout()
    {
        return json.filter(STDOUT::equals).isPresent();
    }

    /**
     * The options from the values {@link BenchCommand} parsed, checked together.
     *
     * @param quick          whether {@code --quick} was given.
     * @param full           whether {@code --full} was given.
     * @param suites         the harnesses {@code --only} named ({@link #suites}), or null for all of them.
     * @param out            {@code --out}'s file, or null.
     * @param json           {@code --json}'s file or {@link #STDOUT}, or null.
     * @param html           {@code --html}'s file, or null.
     * @param compare        {@code --compare}'s files (none, one or two).
     * @param compareOptions how many times {@code --compare} was given.
     * @return the options.
     * @throws IllegalArgumentException when they do not go together, with a message that says why.
     */
    static BenchOptions of(final boolean quick, final boolean full, final List<Suite> suites, final Path out,
        final Path json, final Path html, final List<Path> compare, final int compareOptions)
    {
        if (quick && full)
        {
            throw new IllegalArgumentException("choose one of --quick and --full");
        }
        if (compareOptions > 1 || compare.size() > 2)
        {
            throw new IllegalArgumentException("--compare takes one or two files, once");
        }
        if (compare.size() == 2 && (quick || full || suites != null || out != null || json != null || html != null))
        {
            throw new IllegalArgumentException("--compare OLD NEW compares two reports and runs nothing: " +
                "--quick, --full, --only, --out, --json and --html do not apply (give one file to compare a fresh run)");
        }
        if (compare.size() == 1 && STDOUT.equals(json))
        {
            throw new IllegalArgumentException("--json - and --compare would both write to standard output: " +
                "give --json a file");
        }
        return new BenchOptions(full ? Mode.FULL : Mode.QUICK, suites == null ? List.of(Suite.values()) : suites,
            Optional.ofNullable(out), Optional.ofNullable(json), Optional.ofNullable(html), List.copyOf(compare));
    }

    /**
     * {@code --only}'s value: benchmark names separated by commas.
     *
     * @param value the text.
     * @return the harnesses named, in report order.
     * @throws IllegalArgumentException naming the value when a name is empty or unknown.
     */
    static List<Suite> suites(final String value)
    {
        final Set<Suite> chosen = new LinkedHashSet<>();
        for (final String name : value.split(",", -1))
        {
            final String label = name.strip();
            if (label.isEmpty())
            {
                throw new IllegalArgumentException("--only needs benchmark names separated by commas, got '" + value +
                    "'; names: " + Suite.labels());
            }
            chosen.add(Suite.byLabel(label).orElseThrow(() -> new IllegalArgumentException(
                "unknown benchmark '" + label + "' in --only; names: " + Suite.labels())));
        }
        final List<Suite> inOrder = new ArrayList<>();
        for (final Suite suite : Suite.values())
        {
            if (chosen.contains(suite))
            {
                inOrder.add(suite);
            }
        }
        return List.copyOf(inOrder);
    }

    /**
     * A report file option's value.
     *
     * @param option the option, for the message.
     * @param value  the text.
     * @return the path.
     * @throws IllegalArgumentException when it is blank or not a file name.
     */
    static Path file(final String option, final String value)
    {
        if (value.isBlank())
        {
            throw new IllegalArgumentException(option + " needs a file name");
        }
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new IllegalArgumentException(option + ": not a file name: '" + value + "'");
        }
    }
}
