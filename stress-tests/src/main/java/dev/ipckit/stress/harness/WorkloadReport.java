package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * What one workload did: its size, how long it ran, the work done, the faults injected and the invariants checked.
 * Problems that have no figure (a participant that threw, a workload that did not finish, a file left behind) are
 * violations of their own. Filled in by the workload's thread, read after it ended.
 */
final class WorkloadReport
{
    private final String name;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int processes;
    private long durationNanos;
    private long operations;
    private long kills;
    private long stops;
    private long restarts;

    WorkloadReport(final String name)
    {
        this.name = name;
    }

    String name()
    {
        return name;
    }

    synchronized void processes(final int processes)
    {
        this.processes = processes;
    }

    synchronized void durationNanos(final long durationNanos)
    {
        this.durationNanos = durationNanos;
    }

    synchronized void operations(final long operations)
    {
        this.operations = operations;
    }

    synchronized void faults(final FaultInjector injector)
    {
        kills += injector.kills();
        stops += injector.stops();
    }

    synchronized void restarts(final long restarts)
    {
        this.restarts += restarts;
    }

    synchronized void check(final Check check)
    {
        checks.add(check);
    }

    /** A violation without a figure. */
    synchronized void problem(final String problem)
    {
        problems.add(problem);
    }

    /** A figure worth seeing that bounds nothing. */
    synchronized void note(final String note)
    {
        notes.add(note);
    }

    synchronized int processes()
    {
        return processes;
    }

    synchronized long durationNanos()
    {
        return durationNanos;
    }

    synchronized long operations()
    {
        return operations;
    }

    synchronized long kills()
    {
        return kills;
    }

    synchronized long stops()
    {
        return stops;
    }

    synchronized long restarts()
    {
        return restarts;
    }

    synchronized List<Check> checks()
    {
        return List.copyOf(checks);
    }

    synchronized List<String> problems()
    {
        return List.copyOf(problems);
    }

    synchronized List<String> notes()
    {
        return List.copyOf(notes);
    }

    synchronized int violations()
    {
        int failed = problems.size();
        for (final Check check : checks)
        {
            if (!check.passed())
            {
                failed++;
            }
        }
        return failed;
    }
}
