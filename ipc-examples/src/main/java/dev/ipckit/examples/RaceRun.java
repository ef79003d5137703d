package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One variant of the race demo: starts the racers (child JVMs) behind a {@link StartGate}, releases them together,
 * joins them and reads the counter. Any racer that does not exit 0 fails the run.
 */
final class RaceRun
{
    /** How long the racers may take to start and reach the gate (JVM start-up on a loaded 2-core machine). */
    static final long GATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Join budget after the gate opens: a fixed part plus a generous per-increment allowance. */
    private static final long JOIN_BASE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long JOIN_NANOS_PER_INCREMENT = 1_000;

    private RaceRun()
    {
    }

    /**
     * Runs one variant in {@code region}, with its objects named after {@code label}.
     *
     * @return the row for the table.
     * @throws IllegalStateException when a racer fails, or the racers do not start or finish in time.
     * @throws InterruptedException  when interrupted while waiting for the racers.
     */
    static RaceResult run(
        final SharedRegion region, final String label, final RaceBody body, final int processes, final int increments)
        throws InterruptedException
    {
        final RaceCells cells = RaceCells.create(region, label);
        final StartGate gate = StartGate.create(region, label + "-gate", processes);
        final List<IpcProcess<Long>> racers = new ArrayList<>(processes);
        boolean finished = false;
        try
        {
            for (int i = 1; i <= processes; i++)
            {
                racers.add(IpcProcess.of(() -> race(gate, cells, body, increments)).name(label + "-" + i).daemon(true).start());
            }
            gate.awaitReady(racers, GATE_TIMEOUT_NANOS);
            gate.open();
            long loopNanos = 0;
            final long deadline = System.nanoTime() + JOIN_BASE_NANOS + JOIN_NANOS_PER_INCREMENT * processes * (long)increments;
            for (final IpcProcess<Long> racer : racers)
            {
                if (!racer.join(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
                {
                    throw new IllegalStateException(racer.name() + " (pid " + racer.pid() + ") did not finish in time");
                }
                if (racer.exitCode().orElse(-1) != 0)
                {
                    throw new IllegalStateException(racer.name() + " (pid " + racer.pid() + ") failed with exit code " +
                        racer.exitCode().orElse(-1) + failureOf(racer));
                }
                loopNanos = Math.max(loopNanos, racer.result());
            }
            finished = true;
            return new RaceResult(label, (long)processes * increments, cells.counter().get(), loopNanos);
        }
        finally
        {
            if (!finished)
            {
                stop(racers);
            }
        }
    }

    /** What a racer runs in its child JVM; returns how long its loop took. */
    private static long race(final StartGate gate, final RaceCells cells, final RaceBody body, final int increments)
        throws Exception
    {
        gate.arriveAndAwait(GATE_TIMEOUT_NANOS);
        final long start = System.nanoTime();
        body.add(cells, increments);
        final long nanos = System.nanoTime() - start;
        final String line = String.format("  [%s pid=%d parent=%d] added 1 %d times in %.1f ms%n",
            ProcessInfo.currentName(), ProcessInfo.currentPid(), ProcessInfo.parentPid().orElse(-1), increments, nanos / 1e6);
        final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        System.out.write(bytes, 0, bytes.length); // one write, so racers' lines never interleave
        System.out.flush();
        return nanos;
    }

    /** ": the remote exception" or ": the last line of stderr", or nothing when there is neither. */
    static String failureOf(final IpcProcess<?> racer)
    {
        if (racer.failure().isPresent())
        {
            return ": " + racer.failure().get().getMessage();
        }
        final String tail = racer.stderrTail().strip();
        return tail.isEmpty() ? "" : ": " + tail.substring(tail.lastIndexOf('\n') + 1);
    }

    private static void stop(final List<IpcProcess<Long>> racers) throws InterruptedException
    {
        for (final IpcProcess<Long> racer : racers)
        {
            if (racer.isAlive())
            {
                racer.kill();
            }
        }
        for (final IpcProcess<Long> racer : racers)
        {
            racer.join(5, TimeUnit.SECONDS);
        }
    }
}
