package dev.ipckit.stress.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints the report at the end of a run: one line per workload, then every check with observed and allowed values,
 * the problems, and the totals.
 */
final class Report
{
    private Report()
    {
    }

    static void print(final PrintStream out, final StressOptions options, final String directory,
        final List<WorkloadReport> reports, final long wallNanos)
    {
        out.println();
        out.printf(Locale.ROOT, "ipckit stress report: seed %d, %s per workload once ready, kill rate %s/s, stop rate " +
            "%s/s (pauses up to %d ms), directory %s%n", options.seed(), seconds(options.duration()),
            rate(options.killRate()), rate(options.stopRate()), options.maxPause().toMillis(), directory);
        out.println();
        out.printf(Locale.ROOT, "%-10s %9s %10s %12s %6s %6s %9s %7s %11s%n",
            "workload", "processes", "duration", "operations", "kills", "stops", "restarts", "checks", "violations");
        int processes = 0;
        long kills = 0;
        long stops = 0;
        long operations = 0;
        int checks = 0;
        int violations = 0;
        for (final WorkloadReport report : reports)
        {
            out.printf(Locale.ROOT, "%-10s %9d %10s %12d %6d %6d %9d %7d %11d%n", report.name(), report.processes(),
                seconds(report.durationNanos()), report.operations(), report.kills(), report.stops(),
                report.restarts(), report.checks().size(), report.violations());
            processes += report.processes();
            kills += report.kills();
            stops += report.stops();
            operations += report.operations();
            checks += report.checks().size();
            violations += report.violations();
        }
        out.println();
        out.println("invariants (observed, allowed):");
        for (final WorkloadReport report : reports)
        {
            for (final Check check : report.checks())
            {
                out.printf(Locale.ROOT, "  %-4s %-10s %-78s %10d  %s%n", check.passed() ? "ok" : "FAIL", report.name(),
                    check.what(), check.observed(), check.allowed());
            }
            for (final String problem : report.problems())
            {
                out.printf(Locale.ROOT, "  %-4s %-10s %s%n", "FAIL", report.name(), problem);
            }
        }
        boolean header = false;
        for (final WorkloadReport report : reports)
        {
            for (final String note : report.notes())
            {
                if (!header)
                {
                    out.println("notes:");
                    header = true;
                }
                out.printf(Locale.ROOT, "  %-10s %s%n", report.name(), note);
            }
        }
        out.println();
        out.printf(Locale.ROOT, "total: %d workloads, %d processes, %s, %d operations, faults injected %d " +
            "(%d kills, %d stops), %d checks, invariant violations: %d%n", reports.size(), processes,
            seconds(wallNanos), operations, kills + stops, kills, stops, checks, violations);
    }

    static int violations(final List<WorkloadReport> reports)
    {
        int violations = 0;
        for (final WorkloadReport report : reports)
        {
            violations += report.violations();
        }
        return violations;
    }

    static String seconds(final Duration duration)
    {
        return seconds(duration.toNanos());
    }

    static String seconds(final long nanos)
    {
        if (nanos < TimeUnit.SECONDS.toNanos(1))
        {
            return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String rate(final double rate)
    {
        return rate == Math.rint(rate) ? Long.toString((long)rate) : Double.toString(rate);
    }
}
