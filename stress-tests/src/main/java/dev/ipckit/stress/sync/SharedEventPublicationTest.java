package dev.ipckit.stress.sync;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link SharedEvent} publishes what was written before {@code set()}: the setter writes plain data then sets the
 * event; the observer, on the other mapping, checks {@code isSet()} then reads the data. Set but stale is forbidden.
 */
@JCStressTest
@Outcome(id = {"false, 0", "false, 42"}, expect = ACCEPTABLE, desc = "Event not seen yet (the data may or may not be).")
@Outcome(id = "true, 42", expect = ACCEPTABLE, desc = "Event seen, data seen.")
@Outcome(id = "true, 0", expect = FORBIDDEN, desc = "Event seen but stale data: set() does not publish.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class SharedEventPublicationTest
{
    record Cell(SharedEvent event, SharedLong data)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 2, 256,
        (region, prefix) -> new Cell(SharedEvent.create(region, prefix + "e"), SharedLong.createRaw(region, prefix + "d", 0)),
        (region, prefix) -> new Cell(SharedEvent.open(region, prefix + "e"), SharedLong.open(region, prefix + "d")));

    private final Cell setter;
    private final Cell observer;

    public SharedEventPublicationTest()
    {
        final int cell = POOL.next();
        setter = POOL.first(cell);
        observer = POOL.second(cell);
        setter.event().clear();
        setter.data().setPlain(0);
    }

    @Actor
    public void setter()
    {
        setter.data().setPlain(42);
        setter.event().set();
    }

    @Actor
    public void observer(final ZJ_Result r)
    {
        r.r1 = observer.event().isSet();
        r.r2 = observer.data().getPlain();
    }
}
