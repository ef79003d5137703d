package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.WaitStrategy;
import dev.ipckit.value.SharedLongArray;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A start gate in shared memory for cross-process harnesses: child JVMs start slowly and one after another, so each
 * child maps what it needs, {@linkplain #await() arrives} and waits; the parent opens the gate once all have arrived,
 * so the measured loops run together. Each child then records when its loop {@linkplain #finished(int) finished}.
 * <p>
 * The measured time runs from the gate opening to the last child's finish. {@link System#nanoTime()} is
 * {@code CLOCK_MONOTONIC} on Linux, one clock for all processes, so the times of different JVMs compare; child JVM
 * shutdown is not counted.
 * <p>
 * The gate travels to children inside their task (its shared objects travel as handles).
 */
final class StartGate implements Serializable
{
    private static final long serialVersionUID = 1L;
    private static final long ARRIVAL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long FINISH_TIMEOUT_SECONDS = 600;

    /** Children wait at the gate spinning, then yielding, parking at most 20 µs: they start within that of each other. */
    private static final WaitStrategy CHILD_WAIT = WaitStrategy.backoff(1_000, 100, 1, 20, TimeUnit.MICROSECONDS);

    private final SharedCountDownLatch arrived;
    private final SharedEvent open;
    private final SharedLongArray finishedAt;

    private StartGate(final SharedCountDownLatch arrived, final SharedEvent open, final SharedLongArray finishedAt)
    {
        this.arrived = arrived;
        this.open = open;
        this.finishedAt = finishedAt;
    }

    /**
     * Creates a closed gate in a region.
     *
     * @param region  the region.
     * @param parties how many children will pass it.
     * @return the gate.
     */
    static StartGate create(final SharedRegion region, final int parties)
    {
        return new StartGate(
            SharedCountDownLatch.create(region, "gate-arrived", parties),
            SharedEvent.create(region, "gate-open"),
            SharedLongArray.create(region, "gate-finished-at", parties));
    }

    /**
     * Child side: arrives, then waits until the parent opens the gate.
     *
     * @throws IllegalStateException when the gate stays closed for the arrival timeout.
     */
    void await()
    {
        arrived.countDown();
        try
        {
            if (!open.withWaitStrategy(CHILD_WAIT).await(ARRIVAL_TIMEOUT_NANOS, TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException("the start gate stayed closed for 60 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the start gate", ex);
        }
    }

    /**
     * Child side: records that child {@code index} finished its loop.
     *
     * @param index the child's index, 0 to parties - 1.
     */
    void finished(final int index)
    {
        finishedAt.set(index, System.nanoTime());
    }

    /**
     * Parent side: starts the children, opens the gate once all have arrived, waits for them all to exit 0.
     *
     * @param children children whose tasks call {@link #await()} and {@link #finished(int)} with their index.
     * @return nanoseconds from the gate opening to the last child's finish.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException when a child fails, or does not arrive or finish in time.
     */
    long run(final List<? extends IpcProcess<?>> children) throws InterruptedException
    {
        return join(children, open(children));
    }

    /**
     * Parent side, for a parent that takes part: starts the children and opens the gate once all have arrived.
     *
     * @param children children whose tasks call {@link #await()}.
     * @return when the gate opened, {@link System#nanoTime()}.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException when a child does not arrive in time (all are killed then).
     */
    long open(final List<? extends IpcProcess<?>> children) throws InterruptedException
    {
        children.forEach(IpcProcess::start);
        if (!arrived.await(ARRIVAL_TIMEOUT_NANOS, TimeUnit.NANOSECONDS))
        {
            children.forEach(IpcProcess::kill);
            throw new IllegalStateException(arrived.getCount() + " children had not arrived at the start gate after 60 s");
        }
        final long start = System.nanoTime();
        open.set();
        return start;
    }

    /**
     * Parent side: waits for the children to exit 0.
     *
     * @param children children whose tasks call {@link #finished(int)} with their index in this list.
     * @param start    when the gate opened.
     * @return nanoseconds from {@code start} to the last child's finish.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException when a child fails or does not finish in time (all are killed then).
     */
    long join(final List<? extends IpcProcess<?>> children, final long start) throws InterruptedException
    {
        long last = start;
        for (int i = 0; i < children.size(); i++)
        {
            final IpcProcess<?> child = children.get(i);
            if (!child.join(FINISH_TIMEOUT_SECONDS, TimeUnit.SECONDS) || child.exitCode().getAsInt() != 0)
            {
                children.forEach(IpcProcess::kill);
                throw new IllegalStateException(child + " failed or did not finish, exit code " + child.exitCode());
            }
            final long finished = finishedAt.get(i);
            if (finished == 0)
            {
                throw new IllegalStateException(child + " exited without recording its finish");
            }
            last = Math.max(last, finished);
        }
        return last - start;
    }
}
