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
 * A {@link SharedSemaphore} with one permit never admits two: both actors {@code tryAcquire} through their own
 * mappings, exactly one gets in, and no permit is left. {@code tryAcquire} fails only when no permit is available,
 * so neither actor getting in is forbidden as well.
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "Exactly one actor got the permit.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "Both got in: more holders than permits.")
@Outcome(id = "false, false, .*", expect = FORBIDDEN, desc = "Nobody got the free permit.")
@Outcome(expect = FORBIDDEN, desc = "Permit count wrong.")
@State
public class SharedSemaphoreTryAcquireTest
{
    private static final MirroredPool<SharedSemaphore> POOL = MirroredPool.create(
        SharedSemaphore.class, MirroredPool.CELLS, 1, 1280,
        (region, prefix) -> SharedSemaphore.create(region, prefix + "s", 1),
        (region, prefix) -> SharedSemaphore.open(region, prefix + "s"));

    private final SharedSemaphore mine;
    private final SharedSemaphore theirs;

    public SharedSemaphoreTryAcquireTest()
    {
        final int cell = POOL.next();
        mine = POOL.first(cell);
        theirs = POOL.second(cell);
        Permits.reset(mine, 1);
    }

    @Actor
    public void actor1(final ZZJ_Result r)
    {
        r.r1 = mine.tryAcquire();
    }

    @Actor
    public void actor2(final ZZJ_Result r)
    {
        r.r2 = theirs.tryAcquire();
    }

    @Arbiter
    public void arbiter(final ZZJ_Result r)
    {
        r.r3 = mine.availablePermits();
    }
}
