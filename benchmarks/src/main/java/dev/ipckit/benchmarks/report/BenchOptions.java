package dev.ipckit.benchmarks.report;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code ipckit bench}: the mode, which harnesses, where the reports go, what to compare.
 *
 * @param mode    quick (the default) or full.
 * @param suites  the harnesses to run, in report order.
 * @param out     a file that gets the markdown report too, if any.
 * @param json    where the JSON report goes, if anywhere: a file, or {@link #STDOUT} instead of the markdown.
 * @param html    a file that gets the HTML report, if any.
 * @param compare the reports to compare: none; one (compared with a fresh run); or old and new (nothing runs).
 * @param help    whether {@code --help} was given (the rest is then ignored).
 */
record BenchOptions(
    Mode mode, List<Suite> suites, Optional<Path> out, Optional<Path> json, Optional<Path> html, List<Path> compare,
    boolean help)
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
     * Parses {@code --quick}, {@code --full}, {@code --only a,b}, {@code --out FILE}, {@code --json FILE|-},
     * {@code --html FILE} (each value also as {@code --name=value}), {@code --compare OLD [NEW]} and
     * {@code --help}/{@code -h}.
     *
     * @param args the arguments after {@code bench}.
     * @return the options.
     * @throws IllegalArgumentException with a message that says what was wrong.
     */
    static BenchOptions parse(final String[] args)
    {
        Mode mode = null;
        List<Suite> suites = List.of(Suite.values());
        boolean only = false;
        Path out = null;
        Path json = null;
        Path html = null;
        final List<Path> compare = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return new BenchOptions(Mode.QUICK, List.of(Suite.values()), Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), true);
            }
            final int equals = arg.indexOf('=');
            final String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            switch (option)
            {
                case "--quick":
                case "--full":
                    if (equals > 0)
                    {
                        throw new IllegalArgumentException(option + " takes no value");
                    }
                    final Mode chosen = "--quick".equals(option) ? Mode.QUICK : Mode.FULL;
                    if (mode != null && mode != chosen)
                    {
                        throw new IllegalArgumentException("choose one of --quick and --full");
                    }
                    mode = chosen;
                    break;
                case "--only":
                case "--out":
                case "--json":
                case "--html":
                case "--compare":
                    final String value;
                    if (equals > 0)
                    {
                        value = arg.substring(equals + 1);
                    }
                    else if (i + 1 < args.length)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    switch (option)
                    {
                        case "--only" ->
                        {
                            suites = suites(value);
                            only = true;
                        }
                        case "--out" -> out = file(option, value);
                        case "--json" -> json = "-".equals(value) ? STDOUT : file(option, value);
                        case "--html" -> html = file(option, value);
                        default ->
                        {
                            if (!compare.isEmpty())
                            {
                                throw new IllegalArgumentException("--compare takes one or two files, once");
                            }
                            compare.add(file(option, value));
                            if (i + 1 < args.length && !args[i + 1].startsWith("-"))
                            {
                                compare.add(file(option, args[++i]));
                            }
                        }
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (compare.size() == 2 && (mode != null || only || out != null || json != null || html != null))
        {
            throw new IllegalArgumentException("--compare OLD NEW compares two reports and runs nothing: " +
                "--quick, --full, --only, --out, --json and --html do not apply (give one file to compare a fresh run)");
        }
        if (compare.size() == 1 && STDOUT.equals(json))
        {
            throw new IllegalArgumentException("--json - and --compare would both write to standard output: " +
                "give --json a file");
        }
        return new BenchOptions(mode == null ? Mode.QUICK : mode, suites, Optional.ofNullable(out),
            Optional.ofNullable(json), Optional.ofNullable(html), List.copyOf(compare), false);
    }

    private static List<Suite> suites(final String value)
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

    private static Path file(final String option, final String value)
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
