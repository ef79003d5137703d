package dev.ipckit.benchmarks;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import dev.ipckit.wait.Waitable;
import dev.ipckit.wait.Waiting;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast {@link Waiting#any} wakes a waiter that is asleep, and what an idle waiter costs. A child JVM waits in
 * {@code Waiting.any} on its end of a duplex pipe; the parent lets it sleep {@code settleMicros}, then sends a
 * message holding {@link System#nanoTime()}; the child records its own {@code nanoTime()} minus that stamp when
 * {@code any} returns (both JVMs read the same monotonic clock), receives, and echoes so the parent sends the next
 * (the parent waits for the echo in {@code Waiting.any} too, as Python's parent blocks in {@code recv_bytes}).
 * Before the samples, the child's CPU time over an {@code idleMillis} wait on the silent pipe (after an unmeasured
 * 200 ms one that makes the doorbell and loads the classes). In one run:
 * <ul>
 *     <li>{@code doorbell}: the pipe end as it is: the sender rings the waiter's doorbell;</li>
 *     <li>{@code polling}: the same end behind a {@link Waitable} that cannot ring: the waiter looks after parks of
 *     1 µs doubling to 200 µs, as every wait did before the doorbell;</li>
 *     <li>Python: {@code multiprocessing.connection.wait([conn])} on a {@code Pipe()}, the same protocol.</li>
 * </ul>
 * <pre>
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.WaitWakeLatency [samples] [settleMicros] [idleMillis] [pythonSamples]
 * </pre>
 * Defaults: 5,000 samples after 5,000 unrecorded (so the waiter's path is compiled), 1,000 µs settle, 2,000 ms idle, 5,000 Python samples (0 skips it).
 */
public final class WaitWakeLatency
{
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int WARMUP = 5_000;

    private WaitWakeLatency()
    {
    }

    /**
     * Runs the comparison and prints one markdown table.
     *
     * @param args samples (5,000), settle µs (1,000), idle ms (2,000), Python samples (5,000; 0 skips Python).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        final long settleMicros = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        final long idleMillis = args.length > 2 ? Long.parseLong(args[2]) : 2_000;
        final int pythonSamples = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        CrossProcessLock.printMachine();
        System.out.printf(Locale.ROOT, "%,d wakes per variant after %,d unrecorded, %,d µs asleep before each; " +
            "idle CPU over %,d ms%n", samples, WARMUP, settleMicros, idleMillis);
        final StringBuilder table = new StringBuilder(
            "| waiter | wake p50 µs | p99 µs | p99.9 µs | max µs | CPU while idle, % of a core |\n" +
            "|---|---:|---:|---:|---:|---:|\n");
        try (ScratchDirectory scratch = ScratchDirectory.create("waitwake"))
        {
            for (final boolean ring : new boolean[] {true, false})
            {
                final String label = ring ? "ipckit Waiting.any, doorbell" : "ipckit Waiting.any, polling (as before)";
                final long[] result = run(scratch, ring, samples, settleMicros, idleMillis);
                final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                for (int i = WARMUP; i < result.length - 1; i++)
                {
                    histogram.recordValue(Math.max(0, Math.min(result[i], HIGHEST_TRACKABLE_NANOS)));
                }
                final double idlePercent =
                    100.0 * result[result.length - 1] / TimeUnit.MILLISECONDS.toNanos(idleMillis);
                final String line = row(label, histogram.getValueAtPercentile(50) / 1e3,
                    histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
                    histogram.getMaxValue() / 1e3, idlePercent);
                table.append(line);
                System.out.print(line);
            }
        }
        if (pythonSamples > 0)
        {
            final Optional<Map<String, String>> python = PythonReference.run(
                PythonReference.MP_MESSAGING, "waitwake", pythonSamples, settleMicros, idleMillis);
            table.append(row("Python connection.wait (" + python.map(p -> p.get("python")).orElse("skipped") + ")",
                PythonReference.number(python, "wait_p50_us"), PythonReference.number(python, "wait_p99_us"),
                PythonReference.number(python, "wait_p999_us"), PythonReference.number(python, "wait_max_us"),
                100.0 * PythonReference.number(python, "wait_idle_cpu_ms") / idleMillis));
        }
        System.out.println();
        System.out.print(table);
    }

    private static String row(
        final String label, final double p50, final double p99, final double p999, final double max, final double idle)
    {
        return String.format(
            Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f | %.2f |%n", label, p50, p99, p999, max, idle);
    }

    /** One variant: the wake latencies in ns, then the idle CPU ns as the last element. */
    private static long[] run(
        final ScratchDirectory scratch, final boolean ring, final int samples, final long settleMicros,
        final long idleMillis) throws Exception
    {
        final int total = WARMUP + samples;
        try (Pipe pipe = Pipe.create(PipeOptions.defaults().withName(scratch.nextName("wake"))
            .withDirectory(scratch.path()).withDuplex(true)))
        {
            final Connection childEnd = pipe.end2();
            final IpcProcess<long[]> waiter = IpcProcess.of(() -> waiter(childEnd, ring, total, idleMillis))
                .name("waiter").daemon(true).start();
            final Connection end = pipe.end1();
            // The parent waits for each echo the same way, so it sleeps as the child does instead of spinning on a
            // core the child's wake-up needs.
            final List<Waitable> echo = List.of(ring ? end : (Waitable)end::isReady);
            final byte[] ping = new byte[Long.BYTES];
            final UnsafeBuffer stamp = new UnsafeBuffer(ping);
            final byte[] pong = new byte[64];
            end.recvBytesInto(pong, 0); // the idle wait is over
            for (int i = 0; i < total; i++)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(settleMicros));
                stamp.putLong(0, System.nanoTime());
                end.sendBytes(ping);
                Waiting.any(echo, 60, TimeUnit.SECONDS);
                end.recvBytesInto(pong, 0);
            }
            if (!waiter.join(60, TimeUnit.SECONDS))
            {
                waiter.kill();
                throw new IllegalStateException("the waiter did not finish");
            }
            return waiter.result();
        }
    }

    private static long[] waiter(final Connection end, final boolean ring, final int total, final long idleMillis)
        throws InterruptedException, IOException
    {
        final Waitable waitable = ring ? end : end::isReady; // a lambda cannot ring: the polling backoff
        final List<Waitable> waitFor = List.of(waitable);
        final var threads = ManagementFactory.getThreadMXBean();
        Waiting.any(waitFor, 200, TimeUnit.MILLISECONDS); // unmeasured: the first wait makes the doorbell
        final long before = threads.getCurrentThreadCpuTime();
        if (!Waiting.any(waitFor, idleMillis, TimeUnit.MILLISECONDS).isEmpty())
        {
            throw new IllegalStateException("the pipe was not silent during the idle wait");
        }
        final long idle = threads.getCurrentThreadCpuTime() - before;
        end.sendBytes(new byte[] {1});
        final long[] result = new long[total + 1];
        final byte[] message = new byte[64];
        final UnsafeBuffer stamp = new UnsafeBuffer(message);
        for (int i = 0; i < total; i++)
        {
            if (Waiting.any(waitFor, 60, TimeUnit.SECONDS).isEmpty())
            {
                throw new IllegalStateException("no message within 60 s");
            }
            final long now = System.nanoTime();
            final int length = end.recvBytesInto(message, 0);
            result[i] = now - stamp.getLong(0);
            end.sendBytes(message, 0, length);
        }
        result[total] = idle;
        return result;
    }
}
