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
 * A bounded {@link SharedSemaphore} (one permit, available) races a release against an acquire: the release is
 * beyond the bound unless the acquire came first, and a refused release must throw and leave the permits unchanged.
 * r1: the release threw; r2: the acquire succeeded; r3: permits afterwards.
 */
@JCStressTest
@Outcome(id = "true, true, 0", expect = ACCEPTABLE, desc = "Release refused (at the bound), then the acquire took the permit.")
@Outcome(id = "false, true, 1", expect = ACCEPTABLE, desc = "Acquire first, then the release gave the permit back.")
@Outcome(id = "false, .*, 2", expect = FORBIDDEN, desc = "Release above the bound was accepted.")
@Outcome(id = "true, true, 1", expect = FORBIDDEN, desc = "Refused release changed the permits.")
@Outcome(id = ".*, false, .*", expect = FORBIDDEN, desc = "Acquire failed although a permit was available.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class BoundedSemaphoreReleaseTest
{
    private static final MirroredPool<SharedSemaphore> POOL = MirroredPool.create(
        SharedSemaphore.class, MirroredPool.CELLS, 1, 1280,
        (region, prefix) -> SharedSemaphore.createBounded(region, prefix + "s", 1),
        (region, prefix) -> SharedSemaphore.open(region, prefix + "s"));

    private final SharedSemaphore mine;
    private final SharedSemaphore theirs;

    public BoundedSemaphoreReleaseTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        Permits.reset(mine, 1);
    }

    @Actor
    public void releaser(final ZZJ_Result r)
    {
        r.r1 = Releases.refused(mine);
    }

    @Actor
    public void acquirer(final ZZJ_Result r)
    {
        r.r2 = theirs.tryAcquire();
    }

    @Arbiter
    public void arbiter(final ZZJ_Result r)
    {
        r.r3 = mine.availablePermits();
    }
}
