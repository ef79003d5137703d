package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.ops.Cli;
import dev.ipckit.platform.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code ipckit bench}: runs the benchmark harnesses (in this JVM, or as child JVMs, as each does by itself) and
 * prints one markdown report to standard output: every operation with ipckit (default wait and busy-spin), the raw
 * Agrona/Chronicle reference and Python's {@code multiprocessing} side by side from the same run, the ratios, and a
 * header naming the machine. {@code --json} also writes every figure under its stable id ({@link JsonReport}),
 * {@code --html} a page with charts ({@link HtmlReport}), {@code --compare} the ratio per id between two JSON reports
 * ({@link Comparison}). Progress, the harnesses' own output among it, goes to standard error. Exit codes: 0
 * success, 1 a harness failed (the report still shows the others) or a report could not be written, 2 bad usage
 * (a report to compare that is missing or malformed among it).
 * <p>
 * picocli parses the command line (known options, their values present, {@code --help}, {@code --version}, with
 * ipc-ops' conventions); each option's setter converts and checks its value, and {@link #options()} builds the
 * {@link BenchOptions} of the run.
 * Progress is plain lines, never a redrawn bar: JMH and the child harnesses write their own lines to stderr meanwhile.
 */
@Command(name = "ipckit bench", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100,
    description = {
        "Runs the benchmark harnesses and prints one markdown table: each operation with ipckit (default wait " +
        "and busy-spin), the raw Agrona/Chronicle reference and Python multiprocessing side by side from the " +
        "same run, the ratios ipckit/raw and Python/ipckit, and the machine it ran on.", ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:a benchmark failed (the report shows the others) or a report could not be written",
        "2:bad usage (a report to compare that is missing or malformed among it)"})
public final class BenchCommand implements Callable<Integer>
{
    static final int OK = Cli.OK;
    static final int FAILED = Cli.FAILED;
    static final int USAGE = Cli.USAGE;

    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    // The options as picocli parses them: each setter converts and checks its value (BenchOptions' methods), a bad
    // one is a usage error naming the option and the value; options() checks them together.
    @Option(names = "--quick", description = "small sizes, one round, short JMH runs: under 2 minutes on a quiet " +
        "2-core machine (the default)")
    boolean quick;

    @Option(names = "--full", description = "the sizes each harness uses by itself, proper JMH settings: about 6 " +
        "minutes on 2 cores")
    boolean full;

    private List<Suite> only;
    private Path outFile;
    private Path json;
    private Path html;

    @Option(names = "--only", paramLabel = "a,b", description = "run only the named benchmarks (names below), in " +
        "report order")
    void only(final String value)
    {
        only = checked(() -> BenchOptions.suites(value));
    }

    @Option(names = "--out", paramLabel = "FILE", description = "also write the markdown report to FILE")
    void outFile(final String value)
    {
        outFile = checked(() -> BenchOptions.file("--out", value));
    }

    @Option(names = "--json", paramLabel = "FILE|-", description = "also write every figure under its stable id as " +
        "JSON (docs/benchmarks.md lists the ids); --json - writes the JSON to standard output instead of the markdown")
    void json(final String value)
    {
        json = "-".equals(value) ? BenchOptions.STDOUT : checked(() -> BenchOptions.file("--json", value));
    }

    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page: the table, " +
        "latency percentile curves and throughput bars")
    void html(final String value)
    {
        html = checked(() -> BenchOptions.file("--html", value));
    }

    @Option(names = "--compare", arity = "1..2", paramLabel = "FILE", description = "OLD.json [NEW.json]: the " +
        "ratio new/old per id between two JSON reports (nothing runs); with one file, this run is compared with it after " +
        "the report")
    List<String> compare = new ArrayList<>();

    BenchCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        if (!JvmFlags.hasAgronaAccess())
        {
            System.exit(JvmFlags.rerunWithFlags(BenchCommand.class, args));
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the options.
     * @param out  where the report goes.
     * @param err  where progress, errors and usage problems go.
     * @return the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final BenchCommand command = new BenchCommand(out, err);
        final picocli.CommandLine line = Cli.commandLine(command, out, err,
            Cli.ansi(System.getenv(), System.console() != null));
        line.getCommandSpec().usageMessage().footer(footer());
        return line.execute(args);
    }

    @Override
    public Integer call()
    {
        final String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        final BenchOptions options = options();
        try
        {
            options.out().ifPresent(file -> checkWritable("--out", file));
            options.json().filter(file -> !options.jsonToStdout()).ifPresent(file -> checkWritable("--json", file));
            options.html().ifPresent(file -> checkWritable("--html", file));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ipckit bench: " + ex.getMessage());
            err.println("Run 'ipckit bench --help' for the options.");
            return USAGE;
        }
        final List<Results> compared = new ArrayList<>();
        try
        {
            options.compare().forEach(file -> compared.add(JsonReport.read(file)));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ipckit bench: --compare: " + ex.getMessage());
            err.println("a report to compare is what ./ipckit bench --json FILE wrote");
            return USAGE;
        }
        if (options.compareOnly())
        {
            out.print(Comparison.render(options.compare().get(0).toString(), compared.get(0),
                options.compare().get(1).toString(), compared.get(1)));
            return OK;
        }

        final ZonedDateTime started = ZonedDateTime.now();
        final long start = System.nanoTime();
        final Machine machine = Machine.probe();
        final Report report = new Report(command(args), options.mode(), machine, started, Machine.loadAverage());
        err.printf(Locale.ROOT, "ipckit bench: %s mode, %s; progress here, the report on standard output%n",
            options.mode().label(), options.suites().stream().map(Suite::label).collect(Collectors.joining(", ")));
        final PrintStream stdout = System.out;
        // The harnesses print their progress to System.out (their mains are meant to): here it is progress.
        System.setOut(err);
        try
        {
            int index = 0;
            for (final Suite suite : options.suites())
            {
                index++;
                err.printf(Locale.ROOT, "%n== [%d/%d] %s: %s%n", index, options.suites().size(), suite.label(),
                    suite.description());
                final long suiteStart = System.nanoTime();
                try
                {
                    final List<ResultRow> rows = suite.run(options.mode(), err);
                    report.add(suite, rows);
                    err.printf(Locale.ROOT, "== %s done in %s%n", suite.label(),
                        Report.duration(Duration.ofNanos(System.nanoTime() - suiteStart)));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    report.failed(suite, "interrupted");
                    break;
                }
                catch (final Exception | Error ex)
                {
                    report.failed(suite, String.valueOf(ex));
                    err.println("== " + suite.label() + " FAILED:");
                    ex.printStackTrace(err);
                }
            }
        }
        finally
        {
            System.setOut(stdout);
        }

        final String loadAtEnd = Machine.loadAverage();
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        final String text = report.render(loadAtEnd, elapsed);
        int status = report.hasFailures() ? FAILED : OK;
        Results results = null;
        String json = null;
        try
        {
            results = report.results(loadAtEnd, elapsed);
            json = JsonReport.write(results);
        }
        catch (final IllegalStateException ex)
        {
            err.println("ipckit bench: no JSON, HTML or comparison: " + ex.getMessage());
            status = FAILED;
        }
        if (options.jsonToStdout())
        {
            if (json != null)
            {
                out.print(json);
            }
        }
        else
        {
            out.println();
            out.print(text);
        }
        out.flush();
        status = write(options.out(), "markdown report", text, err, status);
        if (json != null && !options.jsonToStdout())
        {
            status = write(options.json(), "JSON report", json, err, status);
        }
        if (results != null)
        {
            final Results fresh = results;
            status = write(options.html(), "HTML report", options.html().isEmpty() ? "" :
                HtmlReport.render(fresh, report.rows(), report.notes()), err, status);
            if (!compared.isEmpty())
            {
                out.println();
                out.print(Comparison.render(options.compare().get(0).toString(), compared.get(0), "this run", fresh));
                out.flush();
            }
        }
        return status;
    }

    /**
     * @return the options picocli parsed, checked together.
     * @throws ParameterException when they do not go together or a {@code --compare} file name is bad.
     */
    BenchOptions options()
    {
        final List<Path> compared = new ArrayList<>();
        for (final String file : compare)
        {
            compared.add(checked(() -> BenchOptions.file("--compare", file)));
        }
        final OptionSpec compareOption = spec.findOption("--compare");
        final int compareOptions = (int)spec.commandLine().getParseResult().matchedArgs().stream()
            .filter(arg -> arg == compareOption).count();
        return checked(() -> BenchOptions.of(quick, full, only, outFile, json, html, compared, compareOptions));
    }

    /** A value converted by BenchOptions, its IllegalArgumentException a usage error (exit 2) with its message. */
    private <T> T checked(final Supplier<T> conversion)
    {
        try
        {
            return conversion.get();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static int write(
        final Optional<Path> target, final String what, final String text, final PrintStream err, final int status)
    {
        if (target.isEmpty())
        {
            return status;
        }
        final Path file = target.get();
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            err.println("ipckit bench: " + what + " written to " + file);
            return status;
        }
        catch (final IOException ex)
        {
            err.println("ipckit bench: cannot write the " + what + " to " + file + ": " + ex);
            return FAILED;
        }
    }

    /**
     * Fails early, before minutes of measuring, when the report file cannot be written.
     */
    private static void checkWritable(final String option, final Path file)
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException(option + ": " + file + " is a directory");
        }
        if (parent == null || !Files.isDirectory(parent))
        {
            throw new IllegalArgumentException(option + ": directory " + parent + " does not exist");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent))
        {
            throw new IllegalArgumentException(option + ": cannot write " + file);
        }
    }

    /**
     * @param args the options.
     * @return the command line as a user would type it.
     */
    static String command(final String[] args)
    {
        final List<String> words = new ArrayList<>(List.of("./ipckit", "bench"));
        for (final String arg : args)
        {
            words.add(arg.isEmpty() || arg.chars().anyMatch(c -> " \t'\"$\\".indexOf(c) >= 0) ?
                "'" + arg.replace("'", "'\\''") + "'" : arg);
        }
        return String.join(" ", words);
    }

    /** The help's footer: the benchmarks by name, and where the report and progress go. */
    static String[] footer()
    {
        final List<String> lines = new ArrayList<>(List.of("", "Benchmarks:"));
        for (final Suite suite : Suite.values())
        {
            lines.add(String.format(Locale.ROOT, "  %-15s %s", suite.label(), suite.description()));
        }
        lines.addAll(List.of(
            "",
            "The report goes to standard output, progress to standard error. Without python3 on the PATH the",
            "Python column says n/a. Run it on a quiet machine: on 2 cores, one spinning process fills a core."));
        return lines.toArray(new String[0]);
    }
}
