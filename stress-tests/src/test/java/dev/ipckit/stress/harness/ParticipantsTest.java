package dev.ipckit.stress.harness;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness across real child JVMs: a child counts as ready (and may be hit by faults) only once it said so, a
 * restarted slot is not ready until its new child says so, and a child that never does is a problem past the limit.
 * Each child says it is ready once its gate (a slot of a shared array) is open.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ParticipantsTest
{
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);

    @TempDir
    Path directory;

    /** A child: waits for its gate, says it is ready, then waits for the stop. */
    static long gated(final SharedLongArray gates, final SharedLongArray ready, final SharedEvent stop, final int slot)
        throws InterruptedException
    {
        while (gates.getAcquire(slot) == 0 && !stop.isSet())
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        Participants.signalReady(ready, slot);
        stop.await(5, TimeUnit.MINUTES);
        return 0;
    }

    @Test
    void onlyChildrenThatSaidSoAreReadyAndARestartedSlotMustSayItAgain() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("participants", 1 << 16,
            RegionOptions.defaults().withDirectory(directory)))
        {
            final SharedLongArray gates = SharedLongArray.createRaw(region, "gates", new long[] {1, 0});
            final SharedLongArray ready = SharedLongArray.createRaw(region, "ready", 2);
            final SharedEvent stop = SharedEvent.create(region, "stop");
            final Participants group = participants(gates, ready, stop, TimeUnit.SECONDS.toNanos(60));
            group.startAll();
            try
            {
                await(group, () -> group.readyPids().size() == 1);
                final long first = group.readyPids().get(0);
                assertEquals(first, ready.get(0), "slot 0 is the one whose gate is open");
                assertTrue(group.anyReady());
                assertFalse(group.allReady(), "slot 1 is alive but has not said it is ready");

                gates.setRelease(0, 0);         // slot 0's next child will not say so
                gates.setRelease(1, 1);
                await(group, group::allReady);
                final long second = ready.get(1);

                assertTrue(Signals.kill(first));
                await(group, () -> group.restarts() == 1 && group.readyPids().size() == 1);
                assertEquals(List.of(second), group.readyPids(), "the restarted slot 0 is not ready");
                assertEquals(0, ready.get(0), "its dead child's pid was cleared before the restart");
                assertFalse(group.allReady());

                gates.setRelease(0, 1);
                await(group, group::allReady);
                assertNotEquals(first, ready.get(0));
                group.supervise();
                assertTrue(group.problems().isEmpty(), group.problems().toString());
                assertTrue(group.readinessNote().contains("3 starts ready"), group.readinessNote());
            }
            finally
            {
                stop.set();
                group.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            }
        }
    }

    @Test
    void aChildNotReadyWithinTheLimitIsAProblem() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("participants", 1 << 16,
            RegionOptions.defaults().withDirectory(directory)))
        {
            final SharedLongArray gates = SharedLongArray.createRaw(region, "gates", new long[] {0});
            final SharedLongArray ready = SharedLongArray.createRaw(region, "ready", 1);
            final SharedEvent stop = SharedEvent.create(region, "stop");
            final Participants group = participants(gates, ready, stop, TimeUnit.SECONDS.toNanos(1));
            group.startAll();
            try
            {
                await(group, () -> !group.problems().isEmpty());
                assertTrue(group.problems().get(0).contains("not ready"), group.problems().toString());
                assertTrue(group.readyPids().isEmpty(), "faults would not hit it");
            }
            finally
            {
                stop.set();
                group.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            }
        }
    }

    private static Participants participants(final SharedLongArray gates, final SharedLongArray ready,
        final SharedEvent stop, final long readyLimitNanos)
    {
        return new Participants("gated", ready, readyLimitNanos, slot -> IpcProcess.of(
            (SerializableCallable<Long>)() -> gated(gates, ready, stop, slot))
            .name("gated-" + slot).daemon(true).jvmOptions(WorkloadContext.SMALL_JVM), (slot, code) -> { });
    }

    /** Supervises until the condition holds, within a deadline generous for a busy machine. */
    private static void await(final Participants group, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "condition not reached within 90 s");
            group.supervise();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
