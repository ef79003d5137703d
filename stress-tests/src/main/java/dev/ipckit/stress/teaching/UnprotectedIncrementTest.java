package dev.ipckit.stress.teaching;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Teaching: {@code v.set(v.get() + 1)} from two processes is not an increment. Each read and each write is
 * atomic (volatile), but the pair is not, so an update can be lost: that result is the lesson, marked interesting,
 * not a failure. The fix is {@code incrementAndGet()} (see {@code SharedLongIncrementTest}) or a lock.
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "The increments happened not to overlap.")
@Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "Lost update: both read 0 and wrote 1 (the race).")
@Outcome(expect = FORBIDDEN, desc = "Neither 1 nor 2: a read or write itself is broken.")
@State
public class UnprotectedIncrementTest
{
    private static final MirroredPool<SharedLong> POOL = MirroredPool.create(
        SharedLong.class, MirroredPool.CELLS, 1, 128,
        (region, prefix) -> SharedLong.createRaw(region, prefix + "v", 0),
        (region, prefix) -> SharedLong.open(region, prefix + "v"));

    private final SharedLong mine;
    private final SharedLong theirs;

    public UnprotectedIncrementTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        mine.set(0);
    }

    @Actor
    public void actor1()
    {
        mine.set(mine.get() + 1);
    }

    @Actor
    public void actor2()
    {
        theirs.set(theirs.get() + 1);
    }

    @Arbiter
    public void arbiter(final J_Result r)
    {
        r.r1 = mine.get();
    }
}
