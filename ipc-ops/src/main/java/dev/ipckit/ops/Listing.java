package dev.ipckit.ops;


import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedList;
import dev.ipckit.manager.SharedNamespace;
import dev.ipckit.manager.ManagedObject;
import dev.ipckit.manager.SharedSet;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.process.internal.SpareRecords;
import dev.ipckit.queue.QueueFiles;
import dev.ipckit.sync.SharedBarrier;
import dev.ipckit.sync.SharedCondition;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.ShareableList;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedByte;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedDoubleArray;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedIntArray;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What {@code ipckit ls} shows, as data: every region with its objects and their state, every queue and pipe with its
 * counters, the damaged ones marked. The text and the {@code --json} listing are two renderings of it.
 */
final class Listing
{
    private static final long LOCK_WAIT_MILLIS = 200;
    private static final int MAX_SHOWN = 100;

    /**
     * One region file.
     *
     * @param name         its name (the file name without its suffix).
     * @param path         its path.
     * @param bytes        its length.
     * @param creator      its creator, as {@code pid N} (with start time where known).
     * @param creatorAlive whether its creator still runs.
     * @param persistent   whether it outlives its creator by design.
     * @param stale        whether {@code ipckit clean} removes it (creator dead, not persistent; or never finished).
     * @param complete     whether it is a complete region (a file being created or damaged before its header is not).
     * @param objects      its objects, when it is complete and could be opened.
     * @param damage       why it could not be read, or null.
     */
    record Region(String name, String path, long bytes, String creator, boolean creatorAlive, boolean persistent,
        boolean stale, boolean complete, List<RegionObject> objects, String damage)
    {
    }

    /**
     * One object in a region.
     *
     * @param name    its name.
     * @param type    its type, with the element count for arrays ({@code INT_ARRAY[4]}).
     * @param state   its value or state as the text listing shows it ({@code = 7}, {@code free}, {@code set}).
     * @param damaged whether reading it failed because the region is damaged.
     */
    record RegionObject(String name, String type, String state, boolean damaged)
    {
    }

    /**
     * One queue or pipe directory.
     *
     * @param name        its directory name ({@code jobs.queue}).
     * @param path        its path.
     * @param readable    whether its control block could be read (not: being created, stale or damaged).
     * @param depth       messages waiting.
     * @param capacity    its bound, 0 for unbounded.
     * @param put         messages put.
     * @param taken       messages taken.
     * @param redelivered messages delivered again after their consumer died.
     * @param consumers   consumers attached.
     * @param persistent  whether it outlives its creator by design.
     * @param stale       whether {@code ipckit clean} removes it.
     * @param damage      what is damaged in its journal, or null.
     */
    record Queue(String name, String path, boolean readable, long depth, long capacity, long put, long taken,
        long redelivered, int consumers, boolean persistent, boolean stale, String damage)
    {
    }

    /**
     * One idle spare JVM ({@code StartMethod.FORKSERVER}) of a live JVM of this user: not in the directory, but the
     * other thing of ipckit's that runs and holds memory while nothing uses it.
     *
     * @param pid          its pid.
     * @param creatorPid   the JVM that keeps it.
     * @param uptimeMillis how long it has run, -1 when unknown.
     * @param rssKilobytes its resident memory (VmRSS), -1 when unknown.
     * @param command      its command line, empty when unknown.
     */
    record Spare(long pid, long creatorPid, long uptimeMillis, long rssKilobytes, String command)
    {
    }

    /**
     * A directory's listing.
     *
     * @param directory the directory.
     * @param regions   its regions.
     * @param queues    its queues and pipes.
     * @param spares    the idle spare JVMs of this user's live JVMs.
     */
    record Result(Path directory, List<Region> regions, List<Queue> queues, List<Spare> spares)
    {
    }

    private Listing()
    {
    }

    /**
     * Lists a directory.
     *
     * @throws RegionException UNSAFE_DIRECTORY when ipckit does not use the directory (a link, another user's,
     *                         writable by others).
     */
    static Result of(final Path dir)
    {
        final List<Region> regions = new ArrayList<>();
        for (final RegionFiles.RegionFile file : RegionFiles.list(dir))
        {
            final List<RegionObject> objects = new ArrayList<>();
            // A damaged file is marked and the listing goes on with the next one.
            final String damage = file.valid() ? listObjects(file.path(), objects) : null;
            regions.add(new Region(file.name(), file.path().toString(), file.length(),
                ProcessIdentity.toString(file.creator()), file.creatorAlive(), file.persistent(), file.stale(),
                file.valid(), List.copyOf(objects), damage));
        }
        final List<Queue> queues = new ArrayList<>();
        for (final Path queue : QueueFiles.list(dir))
        {
            final QueueFiles.QueueStatus status = QueueFiles.status(queue).orElse(null);
            final String name = queue.getFileName().toString();
            if (status == null)
            {
                // No readable control block: being created, stale, or damaged (then its reason is shown).
                final boolean stale = QueueFiles.isStale(queue);
                queues.add(new Queue(name, queue.toString(), false, 0, 0, 0, 0, 0, 0, false, stale,
                    stale ? null : journalDamage(queue)));
                continue;
            }
            queues.add(new Queue(name, queue.toString(), true, status.size(), status.capacity(), status.putCount(),
                status.takenCount(), status.redelivered(), status.consumers(), status.persistent(), status.stale(),
                journalDamage(queue)));
        }
        return new Result(dir, List.copyOf(regions), List.copyOf(queues), spares());
    }

    /** The idle spares written down by this user's live JVMs, with their age and memory from the system. */
    private static List<Spare> spares()
    {
        final List<Spare> spares = new ArrayList<>();
        final Instant now = Instant.now();
        for (final SpareRecords.Spare spare : SpareRecords.list())
        {
            spares.add(new Spare(spare.pid(), spare.creatorPid(),
                spare.started().map(started -> Duration.between(started, now).toMillis()).orElse(-1L),
                residentKilobytes(spare.pid()), spare.commandLine().orElse("")));
        }
        return List.copyOf(spares);
    }

    /** VmRSS from {@code /proc/<pid>/status} (Linux), -1 where there is none. */
    private static long residentKilobytes(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux, or the spare went meanwhile.
        }
        return -1;
    }

    /** What is damaged in a queue's journal where messages are pending, or null when nothing is. */
    private static String journalDamage(final Path queue)
    {
        try
        {
            return QueueFiles.checkJournal(queue).map(what -> what + " (ipckit repair " + queue + " skips it)")
                .orElse(null);
        }
        catch (final RuntimeException ex)
        {
            return "cannot check its journal: " + ex.getMessage();
        }
    }

    /** Adds the region's objects; returns why the region could not be read, or null. */
    private static String listObjects(final Path path, final List<RegionObject> objects)
    {
        try (SharedRegion region = SharedRegion.openAt(path, dev.ipckit.memory.RegionOptions.defaults()))
        {
            for (final RegionEntry entry : region.entries())
            {
                String value;
                boolean damaged = false;
                try
                {
                    value = valueOf(region, entry);
                }
                catch (final RegionException ex)
                {
                    value = damaged(ex);
                    damaged = value.startsWith("DAMAGED");
                }
                objects.add(new RegionObject(entry.name(),
                    entry.count() == 1 ? entry.type().toString() : entry.type() + "[" + entry.count() + "]", value,
                    damaged));
            }
            return null;
        }
        catch (final RegionException ex)
        {
            return damaged(ex);
        }
        catch (final RuntimeException ex)
        {
            return "DAMAGED (cannot be read: " + ex + ")";
        }
    }

    private static String damaged(final RegionException ex)
    {
        final boolean damage = ex.reason() == RegionException.Reason.CORRUPT ||
            ex.reason() == RegionException.Reason.TRUNCATED || ex.reason() == RegionException.Reason.BAD_MAGIC ||
            ex.reason() == RegionException.Reason.UNSUPPORTED_VERSION;
        return (damage ? "DAMAGED (" + ex.reason() + "): " : "(cannot open, " + ex.reason() + ": ") + ex.getMessage() +
            (damage ? "" : ")");
    }

    private static String valueOf(final SharedRegion region, final RegionEntry entry)
    {
        final String name = entry.name();
        switch (entry.type())
        {
            case INT: return "= " + SharedInt.open(region, name).get() + lockOf(region, entry);
            case LONG: return "= " + SharedLong.open(region, name).get() + lockOf(region, entry);
            case DOUBLE: return "= " + SharedDouble.open(region, name).get() + lockOf(region, entry);
            case BYTE: return "= " + SharedByte.open(region, name).get() + lockOf(region, entry);
            case BOOLEAN: return "= " + SharedBoolean.open(region, name).get() + lockOf(region, entry);
            case INT_ARRAY: return "= " + preview(SharedIntArray.open(region, name).toArray()) + lockOf(region, entry);
            case LONG_ARRAY: return "= " + preview(SharedLongArray.open(region, name).toArray()) + lockOf(region, entry);
            case DOUBLE_ARRAY:
                return "= " + preview(SharedDoubleArray.open(region, name).toArray()) + lockOf(region, entry);
            case BYTE_ARRAY: return "= \"" + SharedByteArray.open(region, name).getString() + "\"" + lockOf(region, entry);
            case LOCK: return owner(SharedLock.open(region, name));
            case RLOCK: return owner(SharedRLock.open(region, name));
            case SEMAPHORE:
                final SharedSemaphore semaphore = SharedSemaphore.open(region, name);
                return semaphore.availablePermits() + " permit(s) available" + (semaphore.isBounded() ? ", bounded" : "");
            case EVENT: return SharedEvent.open(region, name).isSet() ? "set" : "clear";
            case CONDITION: return SharedCondition.open(region, name).waiters() + " waiting";
            case BARRIER:
                final SharedBarrier barrier = SharedBarrier.open(region, name);
                return barrier.numberWaiting() + " of " + barrier.parties() + " parties waiting" +
                    (barrier.isBroken() ? ", BROKEN" : "");
            case COUNT_DOWN_LATCH: return "count " + SharedCountDownLatch.open(region, name).getCount();
            case DICT:
                final SharedDict<Object, Object> dict = SharedDict.open(region, name);
                return contents(dict.getLock(), () -> dict.snapshot().toString(), dict::size);
            case LIST:
                final SharedList<Object> list = SharedList.open(region, name);
                return contents(list.getLock(), () -> list.snapshot().toString(), list::size);
            case NAMESPACE:
                final SharedNamespace namespace = SharedNamespace.open(region, name);
                return contents(namespace.getLock(), namespace::toString, () -> -1);
            case SET:
                final SharedSet<Object> set = SharedSet.open(region, name);
                return contents(set.getLock(), () -> set.snapshot().toString(), set::size);
            case OBJECT:
                return ManagedObject.typeIdOf(region, name).map(id -> "object of type " + id).orElse("object without a state");
            case SHAREABLE_LIST:
                final ShareableList shareable = ShareableList.open(region, name);
                return contents(shareable.getLock(), shareable::toString, shareable::size);
            default: return "";
        }
    }

    /** A value's own lock (values created with one), when it is held. */
    private static String lockOf(final SharedRegion region, final RegionEntry entry)
    {
        if (!entry.hasLock())
        {
            return "";
        }
        final SharedRLock lock = SharedRLock.guarding(region, entry);
        return lock.isLocked() ? "  lock " + owner(lock) : "";
    }

    private static String owner(final SharedLock lock)
    {
        return owner(lock.ownerPid(), lock.ownerAlive());
    }

    private static String owner(final SharedRLock lock)
    {
        return owner(lock.ownerPid(), lock.ownerAlive());
    }

    private static String owner(final OptionalLong pid, final boolean alive)
    {
        if (pid.isEmpty())
        {
            return "free";
        }
        return "held by pid " + pid.getAsLong() + (alive ? " (alive)" : " (DEAD: the next locker takes it over)");
    }

    /**
     * A manager structure's size and contents, read under its lock if it can be had within a moment (the structure
     * is not read while another process is inside an operation on it; a dead holder's lock is taken over and the
     * structure repaired, as any user would).
     */
    private static String contents(
        final SharedRLock lock, final Supplier<String> text, final IntSupplier size)
    {
        try
        {
            if (!lock.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                return "(busy: " + owner(lock) + ")";
            }
            try
            {
                final int count = size.getAsInt();
                final String shown = text.get();
                final String clipped = shown.length() > MAX_SHOWN ? shown.substring(0, MAX_SHOWN) + "..." : shown;
                return (count >= 0 ? count + " item(s) " : "") + clipped;
            }
            finally
            {
                lock.unlock();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
        catch (final RuntimeException ex)
        {
            return "(cannot read its contents here: " + ex.getMessage() + ")";
        }
    }

    private static String preview(final Object array)
    {
        final String text = array instanceof int[] ? Arrays.toString((int[])array) :
            array instanceof long[] ? Arrays.toString((long[])array) :
            Arrays.toString((double[])array);
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    }
}
