package dev.ipckit.stress.value;

import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Single-writer publication with a {@link SharedLong} flag: the writer stores plain data, then the flag with
 * {@code setRelease}; a reader that loads the flag with {@code getAcquire} and sees it set must see the data. The
 * reader uses the second mapping. Seeing the flag but stale data is forbidden.
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "Flag not seen yet (the data may or may not be).")
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "Flag seen, data seen.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Flag seen but stale data: release/acquire broken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class SharedLongReleaseAcquireTest
{
    /** Plain data (an int value) guarded by a long flag. */
    record Cell(SharedInt data, SharedLong flag)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 2, 256,
        (region, prefix) -> new Cell(SharedInt.createRaw(region, prefix + "d", 0), SharedLong.createRaw(region, prefix + "f", 0)),
        (region, prefix) -> new Cell(SharedInt.open(region, prefix + "d"), SharedLong.open(region, prefix + "f")));

    private final Cell writer;
    private final Cell reader;

    public SharedLongReleaseAcquireTest()
    {
        final int cell = POOL.next();
        writer = POOL.first(cell);
        reader = POOL.second(cell);
        writer.data().setPlain(0);
        writer.flag().setPlain(0);
    }

    @Actor
    public void writer()
    {
        writer.data().setPlain(42);
        // Release: orders the plain data store before the flag store.
        writer.flag().setRelease(1);
    }

    @Actor
    public void reader(final JJ_Result r)
    {
        // Acquire: orders the flag load before the data load.
        r.r1 = reader.flag().getAcquire();
        r.r2 = reader.data().getPlain();
    }
}
