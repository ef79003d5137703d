package dev.ipckit.wait;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits for any of several {@link Waitable}s, Python's {@code multiprocessing.connection.wait(objects, timeout)}:
 * <pre>{@code
 * List<Connection> ready = Waiting.any(readers, 5, TimeUnit.SECONDS);
 * for (Connection reader : ready) {
 *     handle(reader.recv());      // a message, or EOFException: the writer closed or died
 * }
 * }</pre>
 * One thread looks at every object in turn, and between looks parks with a backoff: a few hundred spins and yields
 * right after it starts, then parks of 1 µs doubling to {@value #MAX_PARK_MICROS} µs. There is no futex between
 * JVMs for another process to wake it with, so a change made by another process is seen within one park: at most
 * {@value #MAX_PARK_MICROS} µs (plus the time to look at each object) after it happens. A waiter costs about one
 * look at each object every {@value #MAX_PARK_MICROS} µs while nothing is ready.
 */
public final class Waiting
{
    /** The longest park between two looks at the objects. */
    static final long MAX_PARK_MICROS = 200;
    private static final long SPINS = 100;
    private static final long YIELDS = 20;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);

    private Waiting()
    {
    }

    /**
     * Waits until at least one object is ready, or the timeout passes.
     *
     * @param objects what to wait for; the same object may appear more than once.
     * @param timeout how long to wait; zero or less looks once.
     * @param unit    the timeout's unit.
     * @param <T>     the objects' type.
     * @return the objects that are ready, in the order given; empty when the timeout passed first.
     * @throws InterruptedException when interrupted while waiting.
     * @throws NullPointerException when {@code objects} or one of them is null.
     */
    public static <T extends Waitable> List<T> any(final Collection<? extends T> objects, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        return await(List.copyOf(objects), Math.max(0, unit.toNanos(timeout)), true);
    }

    /**
     * Waits until at least one object is ready, or the timeout passes.
     *
     * @param objects what to wait for.
     * @param timeout how long to wait; zero or negative looks once.
     * @param <T>     the objects' type.
     * @return the objects that are ready, in the order given; empty when the timeout passed first.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static <T extends Waitable> List<T> any(final Collection<? extends T> objects, final Duration timeout)
        throws InterruptedException
    {
        long nanos;
        try
        {
            nanos = Math.max(0, timeout.toNanos());
        }
        catch (final ArithmeticException ex)
        {
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
        return await(List.copyOf(objects), nanos, true);
    }

    /**
     * Waits until at least one object is ready, however long that takes (Python's {@code timeout=None}).
     *
     * @param objects what to wait for, at least one.
     * @param <T>     the objects' type.
     * @return the objects that are ready, in the order given; never empty.
     * @throws InterruptedException     when interrupted while waiting.
     * @throws IllegalArgumentException when {@code objects} is empty: nothing could ever end the wait.
     */
    public static <T extends Waitable> List<T> any(final Collection<? extends T> objects) throws InterruptedException
    {
        final List<T> waitingFor = List.copyOf(objects);
        if (waitingFor.isEmpty())
        {
            throw new IllegalArgumentException("nothing to wait for: an untimed wait on no objects would never end");
        }
        return await(waitingFor, Long.MAX_VALUE, false);
    }

    private static <T extends Waitable> List<T> await(final List<T> objects, final long timeoutNanos, final boolean timed)
        throws InterruptedException
    {
        final long start = System.nanoTime();
        IdleStrategy idle = null;
        while (true)
        {
            final List<T> ready = ready(objects);
            if (!ready.isEmpty())
            {
                return ready;
            }
            if (timed && System.nanoTime() - start >= timeoutNanos)
            {
                return ready;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for any of " + objects.size() + " objects");
            }
            if (idle == null)
            {
                idle = new BackoffIdleStrategy(
                    SPINS, YIELDS, MIN_PARK_NANOS, TimeUnit.MICROSECONDS.toNanos(MAX_PARK_MICROS));
            }
            idle.idle();
        }
    }

    private static <T extends Waitable> List<T> ready(final List<T> objects)
    {
        List<T> ready = null;
        for (final T object : objects)
        {
            if (object.isReady())
            {
                if (ready == null)
                {
                    ready = new ArrayList<>(objects.size());
                }
                ready.add(object);
            }
        }
        return ready == null ? List.of() : ready;
    }
}
