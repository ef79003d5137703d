package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedSemaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@link SharedSemaphore#acquire()} blocked on zero permits wakes when another mapping releases one. The waiter
 * polls shared memory (there is no futex across JVMs), so a release that is never noticed would hang it: STALE.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The blocked acquire returned after the release.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The acquire never noticed the release.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The actor or the signal threw.")
@State
public class SemaphoreAcquireTermination
{
    private static final MirroredPool<SharedSemaphore> POOL = MirroredPool.create(
        SharedSemaphore.class, MirroredPool.TERMINATION_CELLS, 1, 1280,
        (region, prefix) -> SharedSemaphore.create(region, prefix + "s", 0),
        (region, prefix) -> SharedSemaphore.open(region, prefix + "s"));

    private final SharedSemaphore waiter;
    private final SharedSemaphore releaser;

    public SemaphoreAcquireTermination()
    {
        final int cell = POOL.next();
        waiter = POOL.first(cell);
        releaser = POOL.second(cell);
        Permits.reset(waiter, 0);
    }

    @Actor
    public void acquire() throws InterruptedException
    {
        waiter.acquire();
    }

    @Signal
    public void release()
    {
        releaser.release();
    }
}
