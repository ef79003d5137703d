package dev.ipckit.benchmarks.report;

import java.util.List;
import java.util.Objects;

/**
 * What a JSON report holds: the machine and the run, every measured figure under its id, and the harnesses that
 * failed.
 *
 * @param machine     the machine.
 * @param run         the command, mode, date, duration and load of the run.
 * @param figures     the figures, each id once, in report order.
 * @param failures    one line per failed harness.
 */
record Results(Machine machine, Run run, List<Figure> figures, List<String> failures)
{
    /**
     * The run that produced a report.
     *
     * @param command     the command line.
     * @param mode        {@code quick} or {@code full}.
     * @param date        when it started, {@code yyyy-MM-dd HH:mm:ss z}.
     * @param took        how long it took, as text.
     * @param loadAtStart the load average at the start.
     * @param loadAtEnd   the load average at the end.
     */
    record Run(String command, String mode, String date, String took, String loadAtStart, String loadAtEnd)
    {
    }

    /**
     * @throws NullPointerException when a part is missing.
     */
    Results
    {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(run, "run");
        figures = List.copyOf(figures);
        failures = List.copyOf(failures);
    }
}
