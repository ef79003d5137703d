package dev.ipckit.stress.queue;

import dev.ipckit.queue.internal.RingRepair;
import dev.ipckit.stress.MirroredPool;
import dev.ipckit.value.SharedByteArray;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A ring queue's repair after a dead producer ({@link RingRepair}) publishes padding a consumer can step over safely.
 * The ring as a producer killed right after Agrona moved the tail leaves it: a 16-byte record at position 0 with no
 * header yet (zero), and after it, where Agrona had not yet zeroed it, a stale header from an earlier lap that looks
 * committed. The repairer pads the record; the consumer, on the other mapping, reads the record's length (acquire),
 * and when it sees the padding, its type and the header after it. Padding seen with the stale header still there is
 * forbidden: the consumer would read an old message as new.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Nothing committed yet: the consumer waits.")
@Outcome(id = "16, -1, 0", expect = ACCEPTABLE, desc = "Padding seen, and no record after it.")
@Outcome(id = "16, -1, 24", expect = FORBIDDEN, desc = "Padding seen but the stale header after it: a ghost message.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is broken.")
@State
public class RingRepairPublicationTest
{
    /** The records of a 64-byte ring (the trailer is not used here). */
    private static final int CAPACITY = 64;
    private static final int STALE_LENGTH = 24;

    record Cell(AtomicBuffer records)
    {
    }

    private static final MirroredPool<Cell> POOL = MirroredPool.create(
        Cell.class, MirroredPool.CELLS, 1, 256,
        (region, prefix) -> cell(region, SharedByteArray.createRaw(region, prefix + "r", CAPACITY), prefix),
        (region, prefix) -> cell(region, SharedByteArray.open(region, prefix + "r"), prefix));

    private static Cell cell(final dev.ipckit.memory.SharedRegion region, final SharedByteArray array, final String prefix)
    {
        return new Cell(new UnsafeBuffer(region.buffer(), region.lookup(prefix + "r").orElseThrow().offset(), CAPACITY));
    }

    private final AtomicBuffer repairer;
    private final AtomicBuffer consumer;

    public RingRepairPublicationTest()
    {
        final int cell = POOL.next();
        repairer = POOL.first(cell).records();
        consumer = POOL.second(cell).records();
        repairer.setMemory(0, CAPACITY, (byte)0);
        repairer.putInt(RecordDescriptor.lengthOffset(16), STALE_LENGTH);
        repairer.putInt(RecordDescriptor.typeOffset(16), 1);
    }

    @Actor
    public void repairer()
    {
        RingRepair.padUncommitted(repairer, CAPACITY, 0, 16);
    }

    @Actor
    public void consumer(final III_Result r)
    {
        final int length = consumer.getIntVolatile(RecordDescriptor.lengthOffset(0));
        r.r1 = length;
        if (length > 0)
        {
            r.r2 = consumer.getInt(RecordDescriptor.typeOffset(0));
            r.r3 = consumer.getIntVolatile(RecordDescriptor.lengthOffset(length));
        }
    }
}
