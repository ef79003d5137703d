package dev.ipckit.stress.harness;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress judgement, on a clock of its own: only time with a ready participant of every role counts. */
class StallWatchTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aWorkloadReadyLongEnoughWithoutAnyOperationFails()
    {
        final StallWatch watch = new StallWatch(() -> 0, () -> true, 0);
        sampleEvery(watch, 20 * MS, 0, WorkloadContext.PROGRESS_NANOS + 20 * MS);
        final WorkloadReport report = new WorkloadReport("idle");
        watch.check(report);
        assertEquals(1, report.violations(), report.checks().toString());
        assertFalse(report.checks().get(0).passed());
    }

    @Test
    void timeSpentStartingIsNotHeldAgainstIt()
    {
        // 30 s without a ready participant (JVMs starting on a busy machine), then ready and working.
        final AtomicLong operations = new AtomicLong();
        final AtomicBoolean ready = new AtomicBoolean(false);
        final StallWatch watch = new StallWatch(operations::get, ready::get, 0);
        long now = sampleEvery(watch, 20 * MS, 0, TimeUnit.SECONDS.toNanos(30));
        ready.set(true);
        for (int i = 0; i < 100; i++)
        {
            operations.incrementAndGet();
            now += 20 * MS;
            watch.sample(now);
        }
        final WorkloadReport report = new WorkloadReport("slow start");
        watch.check(report);
        assertEquals(0, report.violations(), report.checks().toString());
        assertEquals(2_000, TimeUnit.NANOSECONDS.toMillis(watch.readyNanos()));
    }

    @Test
    void aWorkloadNeverReadyLongEnoughIsNotJudgedOnProgress()
    {
        final StallWatch watch = new StallWatch(() -> 0, () -> false, 0);
        sampleEvery(watch, 20 * MS, 0, TimeUnit.SECONDS.toNanos(7));
        final WorkloadReport report = new WorkloadReport("never ready");
        watch.check(report);
        assertEquals(0, report.violations(), "the ready limit judges this, not the progress check");
        assertTrue(report.notes().get(0).contains("progress not judged"), report.notes().toString());
    }

    @Test
    void aStallWhileReadyFailsButRestartsDoNotCount()
    {
        final AtomicLong operations = new AtomicLong(1);
        final AtomicBoolean ready = new AtomicBoolean(true);
        final StallWatch watch = new StallWatch(operations::get, ready::get, 0);
        operations.incrementAndGet();
        watch.sample(20 * MS);
        // 15 s ready without an operation, 30 s restarting, 15 s ready again: 30 s of ready time without one.
        long now = sampleEvery(watch, 20 * MS, 20 * MS, TimeUnit.SECONDS.toNanos(15));
        ready.set(false);
        now = sampleEvery(watch, 20 * MS, now, now + TimeUnit.SECONDS.toNanos(30));
        ready.set(true);
        sampleEvery(watch, 20 * MS, now, now + TimeUnit.SECONDS.toNanos(15));
        final WorkloadReport report = new WorkloadReport("stalled");
        watch.check(report);
        assertTrue(report.checks().get(0).passed(), "it did one operation");
        assertFalse(report.checks().get(1).passed(), report.checks().toString());
        assertTrue(report.checks().get(1).observed() >= 29_000 && report.checks().get(1).observed() <= 31_000,
            report.checks().toString());
    }

    @Test
    void progressPassesBothChecks()
    {
        final AtomicLong operations = new AtomicLong();
        final StallWatch watch = new StallWatch(operations::get, () -> true, 0);
        for (int i = 1; i <= 100; i++)
        {
            operations.incrementAndGet();
            watch.sample(i * 20 * MS);
        }
        final WorkloadReport report = new WorkloadReport("busy");
        watch.check(report);
        assertEquals(0, report.violations(), report.checks().toString());
        assertEquals(0, report.checks().get(1).observed());
    }

    /** Samples from (exclusive) to (inclusive) every step; returns the last sample's time. */
    private static long sampleEvery(final StallWatch watch, final long step, final long from, final long to)
    {
        long now = from;
        while (now + step <= to)
        {
            now += step;
            watch.sample(now);
        }
        return now;
    }
}
