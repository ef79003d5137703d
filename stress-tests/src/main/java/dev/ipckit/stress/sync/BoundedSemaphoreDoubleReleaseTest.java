package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedSemaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A bounded {@link SharedSemaphore} of one permit, taken: both actors release it through their own mappings. The
 * bound admits exactly one release; the other must throw and leave the count at 1. r1, r2: that actor's release was
 * refused; r3: permits afterwards.
 */
@JCStressTest
@Outcome(id = {"true, false, 1", "false, true, 1"}, expect = ACCEPTABLE, desc = "One release accepted, the other refused.")
@Outcome(id = "false, false, .*", expect = FORBIDDEN, desc = "Both releases accepted: the bound was exceeded.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "Both refused although one permit was owed.")
@Outcome(expect = FORBIDDEN, desc = "Permit count wrong.")
@State
public class BoundedSemaphoreDoubleReleaseTest
{
    private static final MirroredPool<SharedSemaphore> POOL = MirroredPool.create(
        SharedSemaphore.class, MirroredPool.CELLS, 1, 1280,
        (region, prefix) -> SharedSemaphore.createBounded(region, prefix + "s", 1),
        (region, prefix) -> SharedSemaphore.open(region, prefix + "s"));

    private final SharedSemaphore mine;
    private final SharedSemaphore theirs;

    public BoundedSemaphoreDoubleReleaseTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        Permits.reset(mine, 0);
    }

    @Actor
    public void actor1(final ZZJ_Result r)
    {
        r.r1 = Releases.refused(mine);
    }

    @Actor
    public void actor2(final ZZJ_Result r)
    {
        r.r2 = Releases.refused(theirs);
    }

    @Arbiter
    public void arbiter(final ZZJ_Result r)
    {
        r.r3 = mine.availablePermits();
    }
}
