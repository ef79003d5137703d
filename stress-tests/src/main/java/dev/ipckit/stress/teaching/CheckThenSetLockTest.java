package dev.ipckit.stress.teaching;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Teaching: the broken lock, "if the flag is clear, set it and go in". Check and set are two steps, so both
 * processes can see the flag clear and both enter; their plain increments of the guarded counter then overlap and one
 * is lost. That result is the lesson, marked interesting, not a failure. The fix is one atomic step
 * ({@code compareAndSet(0, 1)}), which is what {@code SharedLock} does (see {@code SharedLockMutexTest}).
 * <p>
 * A loser does not spin for the flag (an unbounded spin would starve a 2-CPU machine): it just records that it
 * stayed out. r1, r2: that actor entered; r3: the counter afterwards.
 */
@JCStressTest
@Outcome(id = {"true, false, 1", "false, true, 1"}, expect = ACCEPTABLE, desc = "One entered, the other saw the flag and stayed out.")
@Outcome(id = "true, true, 2", expect = ACCEPTABLE, desc = "Both entered, but their sections did not overlap.")
@Outcome(id = "true, true, 1", expect = ACCEPTABLE_INTERESTING, desc = "Both inside at once: an update was lost (the race).")
@Outcome(expect = FORBIDDEN, desc = "Nobody entered, or the counter is impossible.")
@State
public class CheckThenSetLockTest
{
    record Cell(SharedInt flag, SharedLong data)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 2, 256,
        (region, prefix) -> new Cell(SharedInt.createRaw(region, prefix + "f", 0), SharedLong.createRaw(region, prefix + "d", 0)),
        (region, prefix) -> new Cell(SharedInt.open(region, prefix + "f"), SharedLong.open(region, prefix + "d")));

    private final Cell mine;
    private final Cell theirs;

    public CheckThenSetLockTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        mine.flag().set(0);
        mine.data().setPlain(0);
    }

    @Actor
    public void actor1(final ZZJ_Result r)
    {
        r.r1 = brokenLockedIncrement(mine);
    }

    @Actor
    public void actor2(final ZZJ_Result r)
    {
        r.r2 = brokenLockedIncrement(theirs);
    }

    @Arbiter
    public void arbiter(final ZZJ_Result r)
    {
        r.r3 = mine.data().getPlain();
    }

    private static boolean brokenLockedIncrement(final Cell cell)
    {
        if (cell.flag().get() != 0)         // check ...
        {
            return false;
        }
        cell.flag().set(1);                 // ... then set: the other process may have passed the check meanwhile
        final long seen = cell.data().getPlain();
        cell.data().setPlain(seen + 1);
        cell.flag().set(0);                 // "unlock"
        return true;
    }
}
