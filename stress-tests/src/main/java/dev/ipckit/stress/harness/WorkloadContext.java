package dev.ipckit.stress.harness;

import dev.ipckit.memory.RegionOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a workload needs from the run: its options, the run's directory and a fault injector of its own.
 *
 * @param options   the run's options.
 * @param directory the run's fresh directory: every region, queue and pipe of the workload lives in it.
 * @param seed      this workload's seed (the run's seed mixed with the workload's position).
 */
record WorkloadContext(StressOptions options, Path directory, long seed)
{
    /** Child JVMs whose speed matters little: small heap, serial GC, C1 only. */
    static final String[] SMALL_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
    /** Child JVMs that load Chronicle Queue. */
    static final String[] CHRONICLE_JVM = {"-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
    /** How long a participant waits in one timed call before it looks at the stop event again. */
    static final long WAIT_MILLIS = 200;
    /**
     * A workload in which no operation completes for this long while it has a ready participant of every role is
     * reported as stalled (a deadlock, or close).
     */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(20);
    /**
     * A workload that had a ready participant of every role for this long in all and did no operation is a violation.
     * A ready participant does thousands of operations a second, even on a busy machine; the time is counted only
     * while the workload runs, so neither starting JVMs nor restarting killed ones uses it up.
     */
    static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How often a workload's thread looks at its participants. */
    static final long SUPERVISE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    RegionOptions regionOptions()
    {
        return RegionOptions.defaults().withDirectory(directory);
    }

    FaultInjector injector(final String name, final Supplier<List<Long>> targets)
    {
        return new FaultInjector(name, seed, options.killRate(), options.stopRate(), options.maxPause().toNanos(),
            targets);
    }

    long readyLimitNanos()
    {
        return options.readyLimit().toNanos();
    }

    long durationNanos()
    {
        return options.duration().toNanos();
    }

    /**
     * Whether a workload whose clock started at {@code startNanos} is done: the duration is over and it was ready long
     * enough for its progress to be judged. On a busy machine, where restarting killed participants can take longer
     * than the duration, it runs on (faults too) until it was, but at most the ready limit longer.
     *
     * @param startNanos when its clock started.
     * @param nowNanos   now.
     * @param watch      its stall watch.
     * @return whether to stop.
     */
    boolean over(final long startNanos, final long nowNanos, final StallWatch watch)
    {
        final long elapsed = nowNanos - startNanos;
        return elapsed >= durationNanos() && (watch.judged() || elapsed >= durationNanos() + readyLimitNanos());
    }

    /** @return the deadline for stopping: half the grace, the other half is for draining and checking. */
    long stopDeadline()
    {
        return System.nanoTime() + options.grace().toNanos() / 2;
    }
}
