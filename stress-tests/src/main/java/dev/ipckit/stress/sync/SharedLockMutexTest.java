package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedLock;
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
 * {@link SharedLock} mutual exclusion: each actor, on its own mapping, locks, increments a plain (non-atomic)
 * shared counter and unlocks. Critical sections that never overlap see 0 and 1 and leave 2; an overlap shows as
 * both reading the same value. The lock's acquire CAS and release store must also carry the plain data across.
 */
@JCStressTest
@Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "Critical sections one after the other.")
@Outcome(id = {"0, 0, 1", "1, 1, 2"}, expect = FORBIDDEN, desc = "Critical sections overlapped: lost update.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class SharedLockMutexTest
{
    record Cell(SharedLock lock, SharedLong data)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 2, 256,
        (region, prefix) -> new Cell(SharedLock.create(region, prefix + "l"), SharedLong.createRaw(region, prefix + "d", 0)),
        (region, prefix) -> new Cell(SharedLock.open(region, prefix + "l"), SharedLong.open(region, prefix + "d")));

    private final Cell mine;
    private final Cell theirs;

    public SharedLockMutexTest()
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
        final SharedLock lock = cell.lock();
        lock.lock();
        try
        {
            // Plain accesses: only the lock orders them against the other actor's.
            final long seen = cell.data().getPlain();
            cell.data().setPlain(seen + 1);
            return seen;
        }
        finally
        {
            lock.unlock();
        }
    }
}
