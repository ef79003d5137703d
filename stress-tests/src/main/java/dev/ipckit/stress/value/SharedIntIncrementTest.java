package dev.ipckit.stress.value;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedInt;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two actors increment one {@link SharedInt} through different mappings, one with {@code getAndIncrement}, one with
 * {@code getAndAdd(1)}: each sees a distinct previous value and the total is 2. A lost update is forbidden.
 */
@JCStressTest
@Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "Both increments counted, in either order.")
@Outcome(id = {"0, 0, 1", "1, 1, 2"}, expect = FORBIDDEN, desc = "Lost update: both actors saw the same value.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class SharedIntIncrementTest
{
    private static final MirroredPool<SharedInt> POOL = MirroredPool.create(
        SharedInt.class, MirroredPool.CELLS, 1, 128,
        (region, prefix) -> SharedInt.createRaw(region, prefix + "v", 0),
        (region, prefix) -> SharedInt.open(region, prefix + "v"));

    private final SharedInt mine;
    private final SharedInt theirs;

    public SharedIntIncrementTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        mine.set(0);
    }

    @Actor
    public void actor1(final III_Result r)
    {
        r.r1 = mine.getAndIncrement();
    }

    @Actor
    public void actor2(final III_Result r)
    {
        r.r2 = theirs.getAndAdd(1);
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        r.r3 = mine.get();
    }
}
