package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.platform.JvmFlags;

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
import java.util.stream.Collectors;

/**
 * {@code ipckit bench}: runs the benchmark harnesses (in this JVM, or as child JVMs, as each does by itself) and
 * prints one markdown report to standard output: every operation with ipckit (default wait and busy-spin), the raw
 * Agrona/Chronicle reference and Python's {@code multiprocessing} side by side from the same run, the ratios, and a
 * header naming the machine. Progress, the harnesses' own output among it, goes to standard error. Exit codes: 0
 * success, 1 a harness failed (the report still shows the others) or the report could not be written, 2 bad usage.
 */
public final class BenchCommand
{
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private BenchCommand()
    {
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
        final BenchOptions options;
        try
        {
            options = BenchOptions.parse(args);
            if (!options.help())
            {
                options.out().ifPresent(BenchCommand::checkWritable);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ipckit bench: " + ex.getMessage());
            err.println("try ./ipckit bench --help");
            return USAGE;
        }
        if (options.help())
        {
            out.print(usage());
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

        final String text = report.render(Machine.loadAverage(), Duration.ofNanos(System.nanoTime() - start));
        out.println();
        out.print(text);
        out.flush();
        int status = report.hasFailures() ? FAILED : OK;
        if (options.out().isPresent())
        {
            final Path file = options.out().get();
            try
            {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                err.println("ipckit bench: report written to " + file);
            }
            catch (final IOException ex)
            {
                err.println("ipckit bench: cannot write the report to " + file + ": " + ex);
                status = FAILED;
            }
        }
        return status;
    }

    /**
     * Fails early, before minutes of measuring, when the report file cannot be written.
     */
    private static void checkWritable(final Path file)
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException("--out: " + file + " is a directory");
        }
        if (parent == null || !Files.isDirectory(parent))
        {
            throw new IllegalArgumentException("--out: directory " + parent + " does not exist");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent))
        {
            throw new IllegalArgumentException("--out: cannot write " + file);
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

    static String usage()
    {
        final List<String> lines = new ArrayList<>(List.of(
            "usage: ipckit bench [--quick|--full] [--only a,b] [--out FILE] [--help]",
            "",
            "Runs the benchmark harnesses and prints one markdown table: each operation with ipckit (default wait",
            "and busy-spin), the raw Agrona/Chronicle reference and Python multiprocessing side by side from the",
            "same run, the ratios ipckit/raw and Python/ipckit, and the machine it ran on.",
            "",
            "options:",
            "  --quick       small sizes, one round, short JMH runs: under 2 minutes on a quiet 2-core machine",
            "                (the default)",
            "  --full        the sizes each harness uses by itself, proper JMH settings: about 6 minutes on 2 cores",
            "  --only a,b    run only the named benchmarks (names below), in report order",
            "  --out FILE    also write the report to FILE",
            "  --help, -h    this text",
            "",
            "benchmarks:"));
        for (final Suite suite : Suite.values())
        {
            lines.add(String.format(Locale.ROOT, "  %-15s %s", suite.label(), suite.description()));
        }
        lines.addAll(List.of(
            "",
            "The report goes to standard output, progress to standard error. Without python3 on the PATH the",
            "Python column says n/a. Run it on a quiet machine: on 2 cores, one spinning process fills a core.",
            "Exit codes: 0 success, 1 a benchmark failed (the report shows the others), 2 bad usage.",
            ""));
        return String.join(System.lineSeparator(), lines);
    }
}
