package dev.ipckit.value;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Values and arrays under a caller's lock, Python's {@code Value('i', 0, lock=lock)}: several share one lock. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CallerLockTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;

    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("values", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion() throws InterruptedException
    {
        ChildJvms.killLeftovers();
        region.close();
    }

    @Test
    void valuesCreatedUnderOneLockShareItInEveryProcess() throws Exception
    {
        final SharedRLock lock = SharedRLock.create(region, "accounts-lock");
        final SharedLong from = SharedLong.create(region, "from", 100, lock);
        final SharedLong to = SharedLong.create(region, "to", 0, lock);
        final SharedIntArray history = SharedIntArray.create(region, "history", 4, from.getLock()); // another's lock
        final SharedDouble rate = SharedDouble.create(region, "rate", 0.5, to.getLock());
        assertEquals(100, from.get());
        assertEquals(0.5, rate.get());

        lock.lock();
        try
        {
            assertTrue(from.getLock().isHeldByCurrentThread() && to.getLock().isHeldByCurrentThread() &&
                history.getLock().isHeldByCurrentThread() && rate.getLock().isHeldByCurrentThread(),
                "one lock under four names");
            assertTrue(SharedLong.open(region, "to").getLock().isHeldByCurrentThread(), "opened by name, too");
        }
        finally
        {
            lock.unlock();
        }

        final SharedEvent holding = SharedEvent.create(region, "holding");
        final SharedEvent release = SharedEvent.create(region, "release");
        final IpcProcess<Object> holder = IpcProcess.of(() ->
        {
            from.getLock().lock(); // from's lock in another process: the same lock
            try
            {
                holding.set();
                release.await(60, TimeUnit.SECONDS);
                from.set(from.get() - 10);
                to.set(to.get() + 10);
            }
            finally
            {
                from.getLock().unlock();
            }
            return null;
        }).jvmOptions(CHILD_JVM).start();
        assertTrue(holding.await(60, TimeUnit.SECONDS), "the child took the lock");
        assertFalse(to.getLock().tryLock(200, TimeUnit.MILLISECONDS), "to's lock is held: it is from's");
        assertFalse(history.getLock().tryLock(), "and history's");
        release.set();
        assertTrue(to.getLock().tryLock(60, TimeUnit.SECONDS), "free once the child let go");
        try
        {
            assertEquals(90, from.get());
            assertEquals(10, to.get());
        }
        finally
        {
            to.getLock().unlock();
        }
        assertTrue(holder.join(60, TimeUnit.SECONDS));
        assertEquals(0, holder.exitCode().getAsInt());
    }

    @Test
    void aLockFromAnotherRegionOrAnOffsetThatIsNoLockIsRefused()
    {
        try (SharedRegion other = SharedRegion.create("other", 1 << 16, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedRLock foreign = SharedRLock.create(other, "lock");
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> SharedLong.create(region, "v", 0, foreign));
            assertTrue(ex.getMessage().contains("must live in the value's region"), ex.getMessage());
        }
        final SharedLong raw = SharedLong.createRaw(region, "raw", 1);
        final IllegalArgumentException notALock = assertThrows(IllegalArgumentException.class,
            () -> region.allocateUnder("bad", ObjectType.LONG, 1, region.find("raw", ObjectType.LONG).offset(), null));
        assertTrue(notALock.getMessage().contains("no lock of region"), notALock.getMessage());
        assertThrows(IllegalStateException.class, raw::getLock, "a raw value still has no lock");
        assertThrows(NullPointerException.class, () -> SharedLong.create(region, "null", 0, (SharedRLock)null));
    }
}
