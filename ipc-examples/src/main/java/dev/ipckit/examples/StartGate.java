package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.WaitStrategy;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A start gate in shared memory, so that racers in separate JVMs start their loops together rather than one JVM
 * start-up (tens of milliseconds) apart: each racer counts down the {@code ready} latch and waits for the {@code go}
 * event; the parent waits for the latch, then sets the event.
 * <p>
 * Every wait is bounded. A racer waits by spinning briefly, yielding, then parking for at most
 * {@link #MAX_PARK_MICROS} µs, so it notices {@code go} within that much of the others.
 */
final class StartGate implements Serializable
{
    private static final long serialVersionUID = 1L;

    /** Longest park of a waiting racer: bounds how far apart the racers start. */
    static final long MAX_PARK_MICROS = 50;

    private static final WaitStrategy RACER_WAIT =
        WaitStrategy.backoff(1_000, 50, 1, MAX_PARK_MICROS, TimeUnit.MICROSECONDS);
    private static final long PARENT_POLL_MILLIS = 1;

    private final SharedCountDownLatch ready;
    private final SharedEvent go;

    private StartGate(final SharedCountDownLatch ready, final SharedEvent go)
    {
        this.ready = ready;
        this.go = go;
    }

    /**
     * Creates a closed gate for {@code parties} racers, as {@code <prefix>-ready} and {@code <prefix>-go}.
     */
    static StartGate create(final SharedRegion region, final String prefix, final int parties)
    {
        return new StartGate(
            SharedCountDownLatch.create(region, prefix + "-ready", parties), SharedEvent.create(region, prefix + "-go"));
    }

    /**
     * In a racer: counts itself in, then waits for the gate to open.
     *
     * @throws TimeoutException     when the gate stays closed for {@code timeoutNanos}.
     * @throws InterruptedException when interrupted while waiting.
     */
    void arriveAndAwait(final long timeoutNanos) throws TimeoutException, InterruptedException
    {
        ready.countDown();
        if (!go.withWaitStrategy(RACER_WAIT).await(timeoutNanos, TimeUnit.NANOSECONDS))
        {
            throw new TimeoutException("start gate still closed after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
    }

    /**
     * In the parent: waits until every racer is ready, failing early if one of them has already exited.
     *
     * @throws IllegalStateException when a racer exited before arriving, or the racers are not all ready in time.
     * @throws InterruptedException  when interrupted while waiting.
     */
    void awaitReady(final List<? extends IpcProcess<?>> racers, final long timeoutNanos) throws InterruptedException
    {
        final long start = System.nanoTime();
        while (!ready.await(PARENT_POLL_MILLIS, TimeUnit.MILLISECONDS))
        {
            for (final IpcProcess<?> racer : racers)
            {
                if (!racer.isAlive())
                {
                    throw new IllegalStateException(racer.name() + " (pid " + racer.pid() + ") exited before the start gate"
                        + " opened, exit code " + racer.exitCode().orElse(-1) + RaceRun.failureOf(racer));
                }
            }
            if (System.nanoTime() - start > timeoutNanos)
            {
                throw new IllegalStateException(ready.getCount() + " racer(s) had not reached the start gate after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
        }
    }

    /** In the parent: opens the gate. */
    void open()
    {
        go.set();
    }
}
