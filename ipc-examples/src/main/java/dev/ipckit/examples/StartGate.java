package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.WaitStrategy;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedLong;
import org.agrona.concurrent.IdleStrategy;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A start gate in shared memory, so that racers in separate JVMs start their loops together rather than one JVM
 * start-up (tens of milliseconds) apart: each racer counts itself in on {@code ready} and waits for {@code go}; the
 * parent waits until all are ready, then raises {@code go}.
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
    private static final long PARENT_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final SharedLong ready;
    private final SharedBoolean go;

    private StartGate(final SharedLong ready, final SharedBoolean go)
    {
        this.ready = ready;
        this.go = go;
    }

    /**
     * Creates a closed gate, as {@code <prefix>-ready} and {@code <prefix>-go}.
     */
    static StartGate create(final SharedRegion region, final String prefix)
    {
        return new StartGate(SharedLong.create(region, prefix + "-ready", 0), SharedBoolean.create(region, prefix + "-go", false));
    }

    /**
     * In a racer: counts itself in, then waits for the gate to open.
     *
     * @throws TimeoutException when the gate stays closed for {@code timeoutNanos}.
     */
    void arriveAndAwait(final long timeoutNanos) throws TimeoutException
    {
        ready.incrementAndGet();
        final IdleStrategy idle = RACER_WAIT.newIdleStrategy();
        final long start = System.nanoTime();
        while (!go.get())
        {
            if (System.nanoTime() - start > timeoutNanos)
            {
                throw new TimeoutException("start gate still closed after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            idle.idle();
        }
    }

    /**
     * In the parent: waits until {@code parties} racers are ready, failing early if one of them has already exited.
     *
     * @throws IllegalStateException when a racer exited before arriving, or the racers are not all ready in time.
     */
    void awaitReady(final int parties, final List<? extends IpcProcess<?>> racers, final long timeoutNanos)
    {
        final long start = System.nanoTime();
        while (ready.get() < parties)
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
                throw new IllegalStateException("only " + ready.get() + " of " + parties + " racers reached the start gate in "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            LockSupport.parkNanos(PARENT_POLL_NANOS);
        }
    }

    /** In the parent: opens the gate. */
    void open()
    {
        go.set(true);
    }
}
