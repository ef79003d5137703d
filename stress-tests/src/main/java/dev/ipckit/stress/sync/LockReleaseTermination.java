package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@link SharedLock#lock()} blocked on a held lock wakes when the holder unlocks. The holder is
 * {@link LockHolder}'s thread, using the first mapping: it locks in the state constructor (before the actor starts)
 * and unlocks on the signal, since only the locking thread may unlock. The actor locks through the second mapping,
 * then unlocks, leaving the cell free for reuse. The holder's process is alive, so the dead-owner takeover cannot
 * be what wakes the actor.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The blocked lock() returned after the holder's unlock().")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "lock() never noticed the unlock.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The actor or the signal threw.")
@State
public class LockReleaseTermination
{
    private static final MirroredPool<SharedLock> POOL = MirroredPool.create(
        SharedLock.class, MirroredPool.TERMINATION_CELLS, 1, 128,
        (region, prefix) -> SharedLock.create(region, prefix + "l"),
        (region, prefix) -> SharedLock.open(region, prefix + "l"));

    private final SharedLock holderView;
    private final SharedLock waiterView;

    public LockReleaseTermination()
    {
        final int cell = POOL.next();
        holderView = POOL.first(cell);
        waiterView = POOL.second(cell);
        LockHolder.run(holderView::lock);
    }

    @Actor
    public void lock()
    {
        waiterView.lock();
        waiterView.unlock();
    }

    @Signal
    public void unlock()
    {
        LockHolder.run(holderView::unlock);
    }
}
