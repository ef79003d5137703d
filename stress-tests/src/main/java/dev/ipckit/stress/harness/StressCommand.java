package dev.ipckit.stress.harness;

import dev.ipckit.platform.JvmFlags;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipckit stress}: runs workloads across real child JVMs while a fault injector SIGKILLs and SIGSTOPs their
 * participants, checks each workload's invariants, and ends with a report. Exit codes: 0 when no invariant was
 * violated, 1 on any violation (or a failed jcstress pass), 2 on bad usage.
 * <p>
 * Each workload runs in a fresh directory of its run. Its clock starts once its participants are ready (their JVMs
 * started and their shared objects open, within the ready limit), and it runs for the duration from then; a workload
 * that does not finish within ready limit + duration + grace counts as a deadlock, and anything left in the directory
 * after it closed counts as a file left behind.
 */
public final class StressCommand
{
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private StressCommand()
    {
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
     * @param out  where progress and the report go.
     * @param err  where usage errors go.
     * @return the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final StressOptions options;
        try
        {
            options = StressOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ipckit stress: " + ex.getMessage());
            err.println("run 'ipckit stress --help' for the options");
            return USAGE;
        }
        if (options.help())
        {
            out.print(usage());
            return OK;
        }
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
            try
            {
                for (int i = 0; i < options.workloads().size(); i++)
                {
                    reports.add(runOne(options, directory, i, out));
                }
            }
            finally
            {
                directory.delete();
            }
            boolean jcstressPassed = true;
            if (options.jcstress())
            {
                jcstressPassed = JcstressPass.run(out);
            }
            Report.print(out, options, directory.path().toString(), reports, System.nanoTime() - start);
            if (options.jcstress())
            {
                out.println("full jcstress pass: " + (jcstressPassed ? "passed" : "FAILED"));
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

    private static WorkloadReport runOne(final StressOptions options, final RunDirectory directory, final int index,
        final PrintStream out) throws InterruptedException
    {
        final String name = options.workloads().get(index);
        final Workload workload = Workloads.create(name);
        final WorkloadReport report = new WorkloadReport(name);
        final WorkloadContext context = new WorkloadContext(options, directory.path(),
            options.seed() * 0x9E3779B97F4A7C15L + index);
        out.printf("[stress] %s: %d processes, %s, seed %d%n", name, options.processes(),
            Report.seconds(options.duration()), options.seed());
        out.flush();
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
        thread.start();
        // Starting may take up to the ready limit, the run up to the ready limit past the duration
        // (WorkloadContext.over), and stopping a participant that was still starting up to the ready limit more.
        final long limit =
            options.readyLimit().multipliedBy(3).plus(options.duration()).plus(options.grace()).toMillis();
        thread.join(limit);
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
        out.printf("[stress] %s: %d operations, %d kills, %d stops, %d violations%n", name, report.operations(),
            report.kills(), report.stops(), report.violations());
        out.flush();
        return report;
    }

    static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: ipckit stress [options]",
            "",
            "Runs workloads across child JVMs while SIGKILL and SIGSTOP/SIGCONT hit their participants, checks each",
            "workload's invariants (no lost or duplicated update or message beyond the documented bound, no deadlock,",
            "no file left behind) and prints a report. Killed participants are started again.",
            "",
            "workloads:",
            "  counter    increments of a shared long under a SharedLock, with per-participant acknowledged counts",
            "  atomic     SharedLong.incrementAndGet with the same accounting",
            "  semaphore  admissions under a SharedSemaphore of processes/2 permits; live holders never exceed it",
            "  queue      N producers x N consumers on a SharedQueue; none lost, duplicates only by redelivery",
            "  pipe       a writer and a reader JVM on a Pipe: in order, no gap, end of stream after a writer dies",
            "  pool       a ProcessPool whose workers are killed: every task right, WorkerDied or Timeout; no hang",
            "",
            "options:",
            "  --workloads LIST   comma-separated, or all (default) or none",
            "  --processes N      participants per workload, 1.." + StressOptions.MAX_PROCESSES + " (default " +
                StressOptions.DEFAULT_PROCESSES + ")",
            "  --duration D       how long each workload runs once its processes are ready: 500ms, 30s, 2m, 1h",
            "                     (default 30s)",
            "  --kill-rate R      SIGKILLs per second per workload (default " + StressOptions.DEFAULT_KILL_RATE + ")",
            "  --stop-rate R      SIGSTOP/SIGCONT pairs per second per workload (default " +
                StressOptions.DEFAULT_STOP_RATE + ")",
            "  --max-pause D      longest SIGSTOP before SIGCONT (default 500ms)",
            "  --ready-limit D    how long a process may take from its start until it is ready (JVM started, shared",
            "                     objects open); longer is a violation (default 120s)",
            "  --grace D          time past the duration to stop, drain and check before it counts as a deadlock",
            "                     (default 60s)",
            "  --seed S           seed of the fault injectors (default: from the clock; printed in the report)",
            "  --dir D            directory in which the run makes its fresh directory (default /dev/shm)",
            "  --ci               the short preset CI runs: 2 processes, " + StressOptions.CI_DURATION.toSeconds() +
                "s per workload, 1 kill and 1 stop per second",
            "  --jcstress         also run the full jcstress pass (jcstress.jar, whole configuration matrix; long)",
            "  --help             this text",
            "",
            "exit status: 0 no violation, 1 any violation (or the jcstress pass failed), 2 bad usage",
            "");
    }
}
