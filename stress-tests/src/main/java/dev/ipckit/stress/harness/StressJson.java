package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipckit stress --json}: the facts of the text report as one object, {@code {"options": {...},
 * "workloads": [...], "total": {...}, "jcstress": ..., "passed": ...}} (the shape is in docs/cli.md).
 */
final class StressJson
{
    private StressJson()
    {
    }

    static Map<String, Object> of(final StressOptions options, final String directory,
        final List<WorkloadReport> reports, final long wallNanos, final Boolean jcstressPassed)
    {
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", options.seed());
        settings.put("processes", options.processes());
        settings.put("durationMs", options.duration().toMillis());
        settings.put("killRate", options.killRate());
        settings.put("stopRate", options.stopRate());
        settings.put("maxPauseMs", options.maxPause().toMillis());
        settings.put("graceMs", options.grace().toMillis());
        settings.put("directory", directory);

        final List<Object> workloads = new ArrayList<>();
        long operations = 0;
        long kills = 0;
        long stops = 0;
        int processes = 0;
        int checks = 0;
        for (final WorkloadReport report : reports)
        {
            final Map<String, Object> w = new LinkedHashMap<>();
            w.put("name", report.name());
            w.put("processes", report.processes());
            w.put("durationMs", TimeUnit.NANOSECONDS.toMillis(report.durationNanos()));
            w.put("operations", report.operations());
            w.put("kills", report.kills());
            w.put("stops", report.stops());
            w.put("restarts", report.restarts());
            w.put("violations", report.violations());
            final List<Object> checkList = new ArrayList<>();
            for (final Check check : report.checks())
            {
                final Map<String, Object> c = new LinkedHashMap<>();
                c.put("what", check.what());
                c.put("observed", check.observed());
                c.put("min", check.min());
                c.put("max", check.max());
                c.put("passed", check.passed());
                checkList.add(c);
            }
            w.put("checks", checkList);
            w.put("problems", report.problems());
            w.put("notes", report.notes());
            workloads.add(w);
            operations += report.operations();
            kills += report.kills();
            stops += report.stops();
            processes += report.processes();
            checks += report.checks().size();
        }
        final int violations = Report.violations(reports);
        final Map<String, Object> total = new LinkedHashMap<>();
        total.put("workloads", reports.size());
        total.put("processes", processes);
        total.put("wallMs", TimeUnit.NANOSECONDS.toMillis(wallNanos));
        total.put("operations", operations);
        total.put("kills", kills);
        total.put("stops", stops);
        total.put("checks", checks);
        total.put("violations", violations);

        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("options", settings);
        root.put("workloads", workloads);
        root.put("total", total);
        root.put("jcstress", jcstressPassed == null ? null : jcstressPassed ? "passed" : "failed");
        root.put("passed", violations == 0 && (jcstressPassed == null || jcstressPassed));
        return root;
    }
}
