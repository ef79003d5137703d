package dev.ipckit.stress.value;

import dev.ipckit.stress.MirroredPool;
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
 * Two actors increment one {@link SharedLong}, each through its own mapping of the region: the increments are
 * atomic, so each actor sees a distinct previous value and the total is 2. A lost update is forbidden.
 */
@JCStressTest
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE, desc = "Both increments counted, in either order.")
@Outcome(id = {"1, 1, 1", "2, 2, 2"}, expect = FORBIDDEN, desc = "Lost update: both actors saw the same value.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class SharedLongIncrementTest
{
    private static final MirroredPool<SharedLong> POOL = MirroredPool.create(
        SharedLong.class, MirroredPool.CELLS, 1, 128,
        (region, prefix) -> SharedLong.createRaw(region, prefix + "v", 0),
        (region, prefix) -> SharedLong.open(region, prefix + "v"));

    private final SharedLong mine;
    private final SharedLong theirs;

    public SharedLongIncrementTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        mine.set(0);
    }

    @Actor
    public void actor1(final JJJ_Result r)
    {
        r.r1 = mine.incrementAndGet();
    }

    @Actor
    public void actor2(final JJJ_Result r)
    {
        r.r2 = theirs.incrementAndGet();
    }

    @Arbiter
    public void arbiter(final JJJ_Result r)
    {
        r.r3 = mine.get();
    }
}
