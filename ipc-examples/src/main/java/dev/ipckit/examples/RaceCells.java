package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedLong;

import java.io.Serializable;

/**
 * The shared objects one variant of the race demo works on: the counter every racer adds to, the flag of the broken
 * lock and the real {@link SharedLock}. Travels to the racers as the handles of its three objects.
 */
final class RaceCells implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final SharedLong counter;
    private final SharedBoolean flag;
    private final SharedLock lock;

    private RaceCells(final SharedLong counter, final SharedBoolean flag, final SharedLock lock)
    {
        this.counter = counter;
        this.flag = flag;
        this.lock = lock;
    }

    /**
     * Creates the cells of one variant, named {@code <prefix>-counter}, {@code <prefix>-flag}, {@code <prefix>-lock}.
     */
    static RaceCells create(final SharedRegion region, final String prefix)
    {
        return new RaceCells(
            SharedLong.create(region, prefix + "-counter", 0),
            SharedBoolean.create(region, prefix + "-flag", false),
            SharedLock.create(region, prefix + "-lock"));
    }

    SharedLong counter()
    {
        return counter;
    }

    SharedBoolean flag()
    {
        return flag;
    }

    SharedLock lock()
    {
        return lock;
    }
}
