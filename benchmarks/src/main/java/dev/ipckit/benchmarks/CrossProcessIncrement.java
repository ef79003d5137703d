package dev.ipckit.benchmarks;

import dev.ipckit.benchmarks.CrossProcessLock.Variant;
import dev.ipckit.value.SharedLong;

import java.util.List;
import java.util.Locale;

/**
 * N child JVMs increment one shared long, each {@code ops} times: {@link SharedLong#incrementAndGet()} next to raw
 * Agrona {@code getAndAddLong} on the same kind of mapping, in the same run. Prints total ops/s per variant (best of
 * the rounds) and their ratio. The quick subset of {@link CrossProcessLock}, which runs these two next to the locks
 * and Python; both share its harness (start gate, lost-update check).
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags:
 * <pre>
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.CrossProcessIncrement [processes=2] [opsPerProcess=10000000] [rounds=3]
 * </pre>
 */
public final class CrossProcessIncrement
{
    private CrossProcessIncrement()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args processes, operations per process, rounds.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int processes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final long ops = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        CrossProcessLock.printMachine(processes, ops, rounds);
        final double[] best = bestOfRounds(processes, ops, rounds);
        final double shared = best[0];
        final double raw = best[1];
        System.out.printf(Locale.ROOT, "best: SharedLong %.1f M ops/s, raw Agrona %.1f M ops/s, ratio %.2f%n",
            shared / 1e6, raw / 1e6, shared / raw);
    }

    /**
     * Runs the comparison without printing a table: the row of the {@code ipckit bench} report. The progress goes
     * to standard output.
     *
     * @param processes child processes.
     * @param ops       operations per process.
     * @param rounds    rounds; the best counts.
     * @return one row: total increments per second. No busy-spin (nothing waits) and no Python (its lock-free
     *         {@code Value} loses updates) figure.
     * @throws Exception when a run fails or loses updates.
     */
    public static List<ResultRow> rows(final int processes, final long ops, final int rounds) throws Exception
    {
        final double[] best = bestOfRounds(processes, ops, rounds);
        return List.of(ResultRow.higher(ids(processes), processes + " processes: atomic increment (incrementAndGet)",
            "M ops/s",
            best[0] / 1e6, ResultRow.NONE, best[1] / 1e6, ResultRow.NONE));
    }

    /**
     * @param processes child processes; ids name the count when it is not 2.
     * @return the ids of the row of {@link #rows}: {@code value.long.increment.contended} and raw Agrona's.
     */
    public static RowIds ids(final int processes)
    {
        final String counted = RowIds.qualifier(processes, 2, "p");
        return RowIds.single("value.long.increment.contended" + counted,
            "raw.agrona.increment.contended" + counted, null);
    }

    /** SharedLong's and raw Agrona's best total ops/s. */
    private static double[] bestOfRounds(final int processes, final long ops, final int rounds) throws Exception
    {
        final double[] best = CrossProcessLock.bestOfRounds(
            processes, ops, rounds, Variant.INCREMENT_AND_GET, Variant.RAW_GET_AND_ADD);
        return new double[] {best[Variant.INCREMENT_AND_GET.ordinal()], best[Variant.RAW_GET_AND_ADD.ordinal()]};
    }
}
