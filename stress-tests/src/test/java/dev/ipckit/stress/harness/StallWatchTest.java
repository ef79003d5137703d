package dev.ipckit.stress.harness;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StallWatchTest
{
    @Test
    void aWorkloadWithoutAnyOperationFails()
    {
        final StallWatch watch = new StallWatch(() -> 0);
        watch.sample();
        final WorkloadReport report = new WorkloadReport("idle");
        watch.check(report);
        assertEquals(1, report.violations());
        assertFalse(report.checks().get(0).passed());
    }

    @Test
    void progressPassesBothChecks()
    {
        final AtomicLong operations = new AtomicLong();
        final StallWatch watch = new StallWatch(operations::get);
        for (int i = 0; i < 10; i++)
        {
            operations.incrementAndGet();
            watch.sample();
        }
        final WorkloadReport report = new WorkloadReport("busy");
        watch.check(report);
        assertEquals(0, report.violations(), report.checks().toString());
        assertTrue(report.checks().get(1).observed() < WorkloadContext.STALL_NANOS / 1_000_000);
    }
}
