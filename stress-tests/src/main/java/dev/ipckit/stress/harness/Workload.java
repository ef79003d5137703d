package dev.ipckit.stress.harness;

/**
 * One kind of load run under faults: it starts its participants, lets the fault injector at them for the duration,
 * stops them, checks its invariants into the report and removes everything it created. Every wait in it is bounded.
 */
interface Workload
{
    /**
     * Runs the workload and fills the report.
     *
     * @param context the run's options and directory.
     * @param report  where figures, checks and problems go.
     * @throws Exception when the workload could not run (a violation of its own).
     */
    void run(WorkloadContext context, WorkloadReport report) throws Exception;

    /**
     * Called from another thread when {@link #run} overran its time: kills every process it started, so the run can
     * end.
     */
    void abort();
}
