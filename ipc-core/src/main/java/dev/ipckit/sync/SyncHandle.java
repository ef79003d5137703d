package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.SharedRegion;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a synchronization object becomes when serialized: region, name, type and the view's waiting configuration.
 * Deserializing re-attaches to the same object in the receiving process.
 * <p>
 * A plain class, not a record, for the start-time reason memory.RegionHandle gives.
 */
final class SyncHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final SharedRegion region;
    private final String name;
    private final ObjectType type;
    private final WaitStrategy waitStrategy;
    private final long deadOwnerCheckNanos;

    SyncHandle(
        final SharedRegion region, final String name, final ObjectType type,
        final WaitStrategy waitStrategy, final long deadOwnerCheckNanos)
    {
        this.region = region;
        this.name = name;
        this.type = type;
        this.waitStrategy = waitStrategy;
        this.deadOwnerCheckNanos = deadOwnerCheckNanos;
    }

    private Object readResolve() throws ObjectStreamException
    {
        final Duration check = Duration.ofNanos(deadOwnerCheckNanos);
        switch (type)
        {
            case LOCK: return SharedLock.open(region, name).withWaitStrategy(waitStrategy).withDeadOwnerCheck(check);
            case RLOCK: return SharedRLock.open(region, name).withWaitStrategy(waitStrategy).withDeadOwnerCheck(check);
            case CONDITION: return SharedCondition.open(region, name).withWaitStrategy(waitStrategy);
            case BARRIER:
                return SharedBarrier.open(region, name).withWaitStrategy(waitStrategy).withDeadPartyCheck(check);
            case SEMAPHORE:
                return SharedSemaphore.open(region, name).withWaitStrategy(waitStrategy).withDeadOwnerCheck(check);
            case EVENT: return SharedEvent.open(region, name).withWaitStrategy(waitStrategy);
            case COUNT_DOWN_LATCH: return SharedCountDownLatch.open(region, name).withWaitStrategy(waitStrategy);
            default:
                // The lock a value or array was created with travels under the value's name and type.
                final SyncObject lock = Locks.open(region, name, type);
                if (!(lock instanceof SharedRLock))
                {
                    throw new InvalidObjectException("no synchronization type for " + type + " object '" + name + "'");
                }
                return ((SharedRLock)lock).withWaitStrategy(waitStrategy).withDeadOwnerCheck(check);
        }
    }
}
