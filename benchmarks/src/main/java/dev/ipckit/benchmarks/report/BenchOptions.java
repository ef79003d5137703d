package dev.ipckit.benchmarks.report;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code ipckit bench}: the mode, which harnesses, where else the report goes.
 *
 * @param mode   quick (the default) or full.
 * @param suites the harnesses to run, in report order.
 * @param out    a file that gets the report too, if any.
 * @param help   whether {@code --help} was given (the rest is then ignored).
 */
record BenchOptions(Mode mode, List<Suite> suites, Optional<Path> out, boolean help)
{
    /**
     * Parses {@code --quick}, {@code --full}, {@code --only a,b}, {@code --out FILE} (each value also as
     * {@code --name=value}) and {@code --help}/{@code -h}.
     *
     * @param args the arguments after {@code bench}.
     * @return the options.
     * @throws IllegalArgumentException with a message that says what was wrong.
     */
    static BenchOptions parse(final String[] args)
    {
        Mode mode = null;
        List<Suite> suites = List.of(Suite.values());
        Path out = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return new BenchOptions(Mode.QUICK, List.of(Suite.values()), Optional.empty(), true);
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
                    if ("--only".equals(option))
                    {
                        suites = suites(value);
                    }
                    else
                    {
                        out = file(value);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new BenchOptions(mode == null ? Mode.QUICK : mode, suites, Optional.ofNullable(out), false);
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

    private static Path file(final String value)
    {
        if (value.isBlank())
        {
            throw new IllegalArgumentException("--out needs a file name");
        }
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new IllegalArgumentException("--out: not a file name: '" + value + "'");
        }
    }
}
