package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedEvent;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@link SharedEvent#await()} blocked on a cleared event wakes when another mapping sets it.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter returned after set().")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The waiter never noticed set().")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The actor or the signal threw.")
@State
public class EventAwaitTermination
{
    private static final MirroredPool<SharedEvent> POOL = MirroredPool.create(
        SharedEvent.class, MirroredPool.TERMINATION_CELLS, 1, 128,
        (region, prefix) -> SharedEvent.create(region, prefix + "e"),
        (region, prefix) -> SharedEvent.open(region, prefix + "e"));

    private final SharedEvent waiter;
    private final SharedEvent setter;

    public EventAwaitTermination()
    {
        final int cell = POOL.next();
        waiter = POOL.first(cell);
        setter = POOL.second(cell);
        waiter.clear();
    }

    @Actor
    public void await() throws InterruptedException
    {
        waiter.await();
    }

    @Signal
    public void set()
    {
        setter.set();
    }
}
