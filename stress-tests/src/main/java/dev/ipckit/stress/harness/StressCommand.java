package dev.ipckit.stress.harness;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.ops.Cli;
import dev.ipckit.ops.Progress;
import dev.ipckit.platform.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code ipckit stress}: runs workloads across real child JVMs while a fault injector SIGKILLs and SIGSTOPs their
 * participants, checks each workload's invariants, and ends with a report. Exit codes: 0 when no invariant was
 * violated, 1 on any violation (or a failed jcstress pass), 2 on bad usage.
 * <p>
 * Each workload runs in a fresh directory of its run. Its clock starts once its participants are ready (their JVMs
 * started and their shared objects open, within the ready limit), and it runs for the duration from then; a workload
 * that does not finish within ready limit + duration + grace counts as a deadlock, and anything left in the directory
 * after it closed counts as a file left behind.
 * The report (text, or JSON with {@code --json}) goes to stdout, progress to stderr.
 * <p>
 * picocli parses the command line (known options, their values present, {@code --help}, {@code --version}); each
 * option's setter converts and checks its value, and {@link #options()} builds the {@link StressOptions} of the run:
 * the {@code --ci} preset first, the options given overriding it.
 */
@Command(name = "ipckit stress", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {
        "Runs workloads across child JVMs while SIGKILL and SIGSTOP/SIGCONT hit their participants, checks each " +
        "workload's invariants (no lost or duplicated update or message beyond the documented bound, no deadlock, " +
        "no file left behind) and prints a report. Killed participants are started again.",
        "",
        "Workloads:",
        "  counter    increments of a shared long under a SharedLock, with per-participant acknowledged counts",
        "  atomic     SharedLong.incrementAndGet with the same accounting",
        "  semaphore  admissions under a SharedSemaphore of processes/2 permits; live holders never exceed it",
        "  queue      N producers x N consumers on a SharedQueue; none lost, duplicates only by redelivery",
        "  pipe       a writer and a reader JVM on a Pipe: in order, no gap, end of stream after a writer dies",
        "  pool       a ProcessPool whose workers are killed: every task right, WorkerDied or Timeout; no hang",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no violation", "1:any violation (or the jcstress pass failed)", "2:bad usage"})
public final class StressCommand implements Callable<Integer>
{
    static final int OK = Cli.OK;
    static final int FAILED = Cli.FAILED;
    static final int USAGE = Cli.USAGE;

    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    // The options as picocli parses them: each setter converts and checks its value (StressOptions' methods), a bad
    // one is a usage error naming the option and the value; null is "not given" (the preset's value, see options()).
    private List<String> workloads;
    private Integer processes;
    private Duration duration;
    private Duration readyLimit;
    private Double killRate;
    private Double stopRate;
    private Duration maxPause;
    private Duration grace;
    private Long seed;
    private Path dir;

    @Option(names = "--workloads", paramLabel = "LIST", description = "comma-separated, or all (default) or none")
    void workloads(final String value)
    {
        workloads = checked(() -> StressOptions.workloads(value));
    }

    @Option(names = "--processes", paramLabel = "N", description = "participants per workload, 1.." +
        StressOptions.MAX_PROCESSES + " (default " + StressOptions.DEFAULT_PROCESSES + ")")
    void processes(final String value)
    {
        processes = checked(() -> (int)StressOptions.number("--processes", value, 1, StressOptions.MAX_PROCESSES));
    }

    @Option(names = "--duration", paramLabel = "D", description = "how long each workload runs once its processes are " +
        "ready: 500ms, 30s, 2m, 1h (default 30s)")
    void duration(final String value)
    {
        duration = checked(() -> StressOptions.duration("--duration", value, Duration.ofSeconds(1),
            StressOptions.MAX_DURATION));
    }

    @Option(names = "--ready-limit", paramLabel = "D", description = "how long a process may take from its start until " +
        "it is ready (JVM started, shared objects open); longer is a violation (default 120s)")
    void readyLimit(final String value)
    {
        readyLimit = checked(() -> StressOptions.duration("--ready-limit", value, Duration.ofSeconds(1),
            Duration.ofHours(1)));
    }

    @Option(names = "--kill-rate", paramLabel = "R", description = "SIGKILLs per second per workload (default " +
        StressOptions.DEFAULT_KILL_RATE + ")")
    void killRate(final String value)
    {
        killRate = checked(() -> StressOptions.rate("--kill-rate", value));
    }

    @Option(names = "--stop-rate", paramLabel = "R", description = "SIGSTOP/SIGCONT pairs per second per workload " +
        "(default " + StressOptions.DEFAULT_STOP_RATE + ")")
    void stopRate(final String value)
    {
        stopRate = checked(() -> StressOptions.rate("--stop-rate", value));
    }

    @Option(names = "--max-pause", paramLabel = "D", description = "longest SIGSTOP before SIGCONT (default 500ms)")
    void maxPause(final String value)
    {
        maxPause = checked(() -> StressOptions.duration("--max-pause", value, Duration.ofMillis(1),
            Duration.ofSeconds(30)));
    }

    @Option(names = "--grace", paramLabel = "D", description = "time past the duration to stop, drain and check " +
        "before it counts as a deadlock (default 60s)")
    void grace(final String value)
    {
        grace = checked(() -> StressOptions.duration("--grace", value, Duration.ofSeconds(5), Duration.ofHours(1)));
    }

    @Option(names = "--seed", paramLabel = "S", description = "seed of the fault injectors (default: from the " +
        "clock; printed in the report)")
    void seed(final String value)
    {
        seed = checked(() -> StressOptions.number("--seed", value, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Option(names = "--dir", paramLabel = "D", description = "directory in which the run makes its fresh directory " +
        "(default /dev/shm)")
    void dir(final String value)
    {
        dir = checked(() -> StressOptions.directory(value));
    }

    @Option(names = "--ci", description = "the short preset CI runs: " + StressOptions.CI_PROCESSES + " processes, " +
        "short workloads, more faults; options given besides it override it")
    boolean ci;

    @Option(names = "--jcstress", description = "also run the full jcstress pass (jcstress.jar, whole configuration " +
        "matrix; long)")
    boolean jcstress;

    @Option(names = "--json", description = "print the report as JSON (the shape is in docs/cli.md)")
    boolean json;

    StressCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the options (see {@code --help}).
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the options.
     * @param out  where the report goes.
     * @param err  where progress and usage errors go (a redrawn bar when it is this JVM's stderr on a terminal).
     * @return the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return Cli.execute(new StressCommand(out, err), args, out, err);
    }

    @Override
    public Integer call()
    {
        final StressOptions options = options();
        if (!JvmFlags.hasAgronaAccess())
        {
            err.println("ipckit stress: this JVM lacks the ipckit flag set (" + JvmFlags.AGRONA_FLAG +
                " ...); run it through ./ipckit stress");
            return FAILED;
        }
        try
        {
            final long start = System.nanoTime();
            final RunDirectory directory = RunDirectory.create(options.baseDir());
            final List<WorkloadReport> reports = new ArrayList<>();
            final boolean bar = err == System.err && System.console() != null;
            try (Progress progress = new Progress(err, bar, "stress", options.workloads().size()))
            {
                for (int i = 0; i < options.workloads().size(); i++)
                {
                    reports.add(runOne(options, directory, i, progress));
                }
            }
            finally
            {
                directory.delete();
            }
            boolean jcstressPassed = true;
            if (options.jcstress())
            {
                jcstressPassed = JcstressPass.run(err);
            }
            final long wallNanos = System.nanoTime() - start;
            if (json)
            {
                out.println(JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
                    .asString(StressJson.of(options, directory.path().toString(), reports, wallNanos,
                        options.jcstress() ? jcstressPassed : null)));
            }
            else
            {
                Report.print(out, options, directory.path().toString(), reports, wallNanos);
                if (options.jcstress())
                {
                    out.println("full jcstress pass: " + (jcstressPassed ? "passed" : "FAILED"));
                }
            }
            out.flush();
            return Report.violations(reports) == 0 && jcstressPassed ? OK : FAILED;
        }
        catch (final Exception ex)
        {
            err.println("ipckit stress: " + ex);
            return FAILED;
        }
    }

    /**
     * @return the run's options: the preset ({@code --ci} or the defaults), each option given replacing its value.
     */
    StressOptions options()
    {
        final StressOptions preset = StressOptions.preset(ci);
        return new StressOptions(
            given(workloads, preset.workloads()), given(processes, preset.processes()),
            given(duration, preset.duration()), given(killRate, preset.killRate()), given(stopRate, preset.stopRate()),
            given(maxPause, preset.maxPause()), given(readyLimit, preset.readyLimit()), given(grace, preset.grace()),
            given(seed, preset.seed()), given(dir, preset.baseDir()), jcstress);
    }

    private static <T> T given(final T value, final T preset)
    {
        return value != null ? value : preset;
    }

    /** A value converted by StressOptions, its IllegalArgumentException a usage error (exit 2) with its message. */
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

    private static WorkloadReport runOne(final StressOptions options, final RunDirectory directory, final int index,
        final Progress progress) throws InterruptedException
    {
        final String name = options.workloads().get(index);
        final Workload workload = Workloads.create(name);
        final WorkloadReport report = new WorkloadReport(name);
        final WorkloadContext context = new WorkloadContext(options, directory.path(),
            options.seed() * 0x9E3779B97F4A7C15L + index);
        progress.begin(String.format("%s: %d processes, %s, seed %d", name, options.processes(),
            Report.seconds(options.duration()), options.seed()));
        final Thread thread = new Thread(() ->
        {
            try
            {
                workload.run(context, report);
            }
            catch (final Exception | Error ex)
            {
                report.problem("the workload failed: " + ex);
            }
        }, "stress-" + name);
        thread.setDaemon(true);
        final long started = System.nanoTime();
        thread.start();
        // Starting may take up to the ready limit, the run up to the ready limit past the duration
        // (WorkloadContext.over), and stopping a participant that was still starting up to the ready limit more.
        final long limit =
            options.readyLimit().multipliedBy(3).plus(options.duration()).plus(options.grace()).toMillis();
        final long deadline = started + TimeUnit.MILLISECONDS.toNanos(limit);
        // Joined in slices of up to a second, to move the bar (the duration is the expected length of the step).
        for (long left = limit; thread.isAlive() && left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))
        {
            thread.join(Math.min(left, 1000));
            progress.at((System.nanoTime() - started) / (double)options.duration().toNanos());
        }
        if (thread.isAlive())
        {
            report.problem("deadlock: not finished within 3 x ready limit + duration + grace (" + limit / 1000 +
                " s): processes killed");
            workload.abort();
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        final List<String> leftovers = directory.leftovers();
        if (!leftovers.isEmpty())
        {
            report.problem("left behind in " + directory.path() + " after close: " + leftovers);
            directory.delete();
            RunDirectory.recreate(directory);
        }
        progress.end(String.format("%s: %d operations, %d kills, %d stops, %d violations", name, report.operations(),
            report.kills(), report.stops(), report.violations()));
        return report;
    }
}
