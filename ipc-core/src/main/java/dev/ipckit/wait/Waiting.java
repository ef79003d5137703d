package dev.ipckit.wait;

import dev.ipckit.platform.internal.Doorbell;
import dev.ipckit.platform.internal.Doorbells;
import dev.ipckit.wait.internal.RingingWaitable;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for any of several {@link Waitable}s, Python's {@code multiprocessing.connection.wait(objects, timeout)}:
 * <pre>{@code
 * List<Connection> ready = Waiting.any(readers, 5, TimeUnit.SECONDS);
 * for (Connection reader : ready) {
 *     handle(reader.recv());      // a message, or EOFException: the writer closed or died
 * }
 * }</pre>
 * One thread looks at every object, spins and yields briefly, then sleeps until woken: ipckit's pipe ends, queues,
 * events and sentinels take the waiter's doorbell (a Unix-domain socket) and the writer that makes one ready rings
 * it, from whichever process it runs in. Changes that ring nobody are looked for on a period: a pipe peer's death
 * every 100 ms ({@code Connection.LIVENESS_CHECK_MILLIS}), a parent's end as often. A ring lost to a writer
 * killed between taking the waiter's row and ringing costs at most {@value #LONGEST_SLEEP_MILLIS} ms: no sleep is
 * longer. Objects that cannot ring (other {@code Waitable}s, or a region whose waiter table is full) are looked at
 * after parks of 1 µs doubling to {@value #MAX_PARK_MICROS} µs; where no doorbell can be made (no private directory
 * for its socket) every object is.
 */
public final class Waiting
{
    /** The longest park between two looks at an object that cannot ring. */
    static final long MAX_PARK_MICROS = 200;
    /** The longest sleep: bounds the cost of a lost ring. */
    static final long LONGEST_SLEEP_MILLIS = 1_000;
    private static final long SPINS = 50;
    private static final long YIELDS = 10;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(MAX_PARK_MICROS);
    private static final long LONGEST_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(LONGEST_SLEEP_MILLIS);

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
        // Spins and yields first: a change microseconds away costs no sleep (and no doorbell).
        for (long look = 0; ; look++)
        {
            final List<T> ready = ready(objects);
            if (!ready.isEmpty() || timed && System.nanoTime() - start >= timeoutNanos)
            {
                return ready;
            }
            if (Thread.interrupted())
            {
                throw interrupted(objects);
            }
            if (look == SPINS + YIELDS)
            {
                break;
            }
            if (look < SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
        final Doorbell bell = Doorbells.acquire();
        if (bell != null)
        {
            try
            {
                final List<T> ready = sleepUntilReady(objects, bell, start, timeoutNanos, timed);
                Doorbells.release(bell);
                return ready;
            }
            catch (final BrokenBell ex)
            {
                Doorbells.discard(bell);
            }
            catch (final InterruptedException | RuntimeException | Error ex)
            {
                Doorbells.release(bell);
                throw ex;
            }
        }
        return sleepUntilReady(objects, null, start, timeoutNanos, timed);
    }

    /**
     * The wait after the spins: take the bell into every object that rings, look, sleep until rung (or the shortest
     * period an object asked for), withdraw the bell, look, and again. A ring that comes between two sleeps only
     * ends the next one early. Without a bell (null), or while some object cannot ring, the sleeps are parks with a
     * backoff.
     */
    private static <T extends Waitable> List<T> sleepUntilReady(
        final List<T> objects, final Doorbell bell, final long start, final long timeoutNanos, final boolean timed)
        throws InterruptedException
    {
        final List<RingingWaitable> ringing = bell == null ? List.of() : distinctRinging(objects);
        final boolean allRing = bell != null && objects.stream().allMatch(RingingWaitable.class::isInstance);
        long park = MIN_PARK_NANOS;
        if (bell != null)
        {
            drain(bell); // rings meant for an earlier wait would end the first sleep for nothing
        }
        while (true)
        {
            long sleep = allRing ? LONGEST_SLEEP_NANOS : RingingWaitable.LOOK_AGAIN_SOON;
            try
            {
                for (final RingingWaitable object : ringing)
                {
                    sleep = Math.min(sleep, object.ringWhenReady(bell.id()));
                }
                // Every ringWhenReady was a full fence: a writer that missed the bell wrote before this look.
                final List<T> ready = ready(objects);
                final long remaining = timed ? timeoutNanos - (System.nanoTime() - start) : Long.MAX_VALUE;
                if (!ready.isEmpty() || remaining <= 0)
                {
                    return ready;
                }
                if (Thread.interrupted())
                {
                    throw interrupted(objects);
                }
                if (sleep == RingingWaitable.LOOK_AGAIN_SOON)
                {
                    sleep = park;
                    park = Math.min(2 * park, MAX_PARK_NANOS);
                }
                else
                {
                    sleep = Math.min(sleep, LONGEST_SLEEP_NANOS);
                }
                if (bell == null)
                {
                    LockSupport.parkNanos(Math.min(sleep, remaining));
                }
                else
                {
                    sleep(bell, Math.min(sleep, remaining));
                }
            }
            finally
            {
                for (final RingingWaitable object : ringing)
                {
                    object.stopRinging(bell.id());
                }
            }
            // Awake: most likely rung by an object that is ready now, so look before taking the rows again.
            final List<T> ready = ready(objects);
            if (!ready.isEmpty())
            {
                return ready;
            }
        }
    }

    private static void drain(final Doorbell bell)
    {
        try
        {
            bell.drain();
        }
        catch (final IOException | ClosedSelectorException ex)
        {
            throw new BrokenBell();
        }
    }

    private static void sleep(final Doorbell bell, final long nanos)
    {
        try
        {
            bell.sleep(nanos);
        }
        catch (final IOException | ClosedSelectorException ex)
        {
            throw new BrokenBell();
        }
    }

    private static <T extends Waitable> List<RingingWaitable> distinctRinging(final List<T> objects)
    {
        final List<RingingWaitable> ringing = new ArrayList<>(objects.size());
        final Set<Waitable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (final T object : objects)
        {
            if (object instanceof RingingWaitable && seen.add(object))
            {
                ringing.add((RingingWaitable)object);
            }
        }
        return ringing;
    }

    /** A doorbell's socket or selector failed (or was closed at exit): the wait goes on without it. */
    private static final class BrokenBell extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        BrokenBell()
        {
            super(null, null, false, false);
        }
    }

    private static InterruptedException interrupted(final List<?> objects)
    {
        return new InterruptedException("interrupted while waiting for any of " + objects.size() + " objects");
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
