package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.value.SharedLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link SharedRLock} mutual exclusion with re-entry: each actor, on its own mapping, locks twice, increments a
 * plain shared counter, and unlocks twice. Only the outer unlock frees the lock, so the sections never overlap.
 */
@JCStressTest
@Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "Critical sections one after the other.")
@Outcome(id = {"0, 0, 1", "1, 1, 2"}, expect = FORBIDDEN, desc = "Critical sections overlapped: lost update.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken (e.g. the inner unlock freed the lock).")
@State
public class SharedRLockMutexTest
{
    record Cell(SharedRLock lock, SharedLong data)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 2, 256,
        (region, prefix) -> new Cell(SharedRLock.create(region, prefix + "l"), SharedLong.createRaw(region, prefix + "d", 0)),
        (region, prefix) -> new Cell(SharedRLock.open(region, prefix + "l"), SharedLong.open(region, prefix + "d")));

    private final Cell mine;
    private final Cell theirs;

    public SharedRLockMutexTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        if (mine.lock().isLocked())
        {
            throw new IllegalStateException("pooled lock still held: a state reused a cell in use " + mine.lock());
        }
        mine.data().setPlain(0);
    }

    @Actor
    public void actor1(final JJJ_Result r)
    {
        r.r1 = increment(mine);
    }

    @Actor
    public void actor2(final JJJ_Result r)
    {
        r.r2 = increment(theirs);
    }

    @Arbiter
    public void arbiter(final JJJ_Result r)
    {
        r.r3 = mine.data().getPlain();
    }

    private static long increment(final Cell cell)
    {
        final SharedRLock lock = cell.lock();
        lock.lock();
        try
        {
            final long seen;
            lock.lock();
            try
            {
                seen = cell.data().getPlain();
            }
            finally
            {
                lock.unlock();
            }
            // Still held once: the write below is inside the critical section too.
            cell.data().setPlain(seen + 1);
            return seen;
        }
        finally
        {
            lock.unlock();
        }
    }
}
