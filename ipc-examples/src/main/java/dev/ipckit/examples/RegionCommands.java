package dev.ipckit.examples;

import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedList;
import dev.ipckit.manager.SharedNamespace;
import dev.ipckit.memory.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.ProcessIdentity;
import dev.ipckit.queue.QueueFiles;
import dev.ipckit.sync.SharedBarrier;
import dev.ipckit.sync.SharedCondition;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedByte;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedDoubleArray;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedIntArray;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code ipckit ls} and {@code ipckit clean}: an {@code ipcs} for ipckit regions.
 */
final class RegionCommands
{
    private static final long LOCK_WAIT_MILLIS = 200;
    private static final int MAX_SHOWN = 100;

    private RegionCommands()
    {
    }

    static int list(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Path dir = directory("ls", args, err);
        if (dir == null)
        {
            return args.length == 1 && IpckitCli.isHelp(args[0]) ? IpckitCli.OK : IpckitCli.USAGE;
        }
        final List<RegionFiles.RegionFile> files;
        try
        {
            files = RegionFiles.list(dir);
        }
        catch (final RegionException ex)
        {
            return refused("ls", ex, err);
        }
        out.println(files.size() + " region(s) in " + dir);
        for (final RegionFiles.RegionFile file : files)
        {
            out.printf("%s  %d bytes  creator %s %s%s%s%n",
                file.name(), file.length(), ProcessIdentity.toString(file.creator()),
                file.creatorAlive() ? "alive" : "dead", file.persistent() ? "  persistent" : "",
                file.stale() ? "  STALE" : file.valid() ? "" : "  (not a complete region)");
            if (file.valid())
            {
                // A damaged file is marked and the listing goes on with the next one.
                listObjects(file.path(), out);
            }
        }
        final List<Path> queues = QueueFiles.list(dir);
        out.println(queues.size() + " queue(s) and pipe(s) in " + dir);
        for (final Path queue : queues)
        {
            final QueueFiles.QueueStatus status = QueueFiles.status(queue).orElse(null);
            if (status == null)
            {
                // No readable control block: being created, stale, or damaged (then its reason is shown).
                out.printf("%s%s%n", queue.getFileName(), QueueFiles.isStale(queue) ? "  STALE" : journalDamage(queue));
                continue;
            }
            out.printf("%s  depth %d%s  put %d  taken %d  redelivered %d  consumers %d%s%s%s%n",
                queue.getFileName(), status.size(), status.capacity() == 0 ? "" : " of " + status.capacity(),
                status.putCount(), status.takenCount(), status.redelivered(), status.consumers(),
                status.persistent() ? "  persistent" : "", status.stale() ? "  STALE" : "", journalDamage(queue));
        }
        return IpckitCli.OK;
    }

    /** "  DAMAGED: ..." when a queue's journal cannot be read where messages are pending, else nothing. */
    private static String journalDamage(final Path queue)
    {
        try
        {
            return QueueFiles.checkJournal(queue).map(what -> "  DAMAGED: " + what + " (ipckit repair " + queue +
                " skips it)").orElse("");
        }
        catch (final RuntimeException ex)
        {
            return "  DAMAGED: cannot check its journal: " + ex.getMessage();
        }
    }

    static int repair(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length != 1 || IpckitCli.isHelp(args[0]))
        {
            err.println("usage: ipckit repair <queue directory>   (a <name>.queue directory, as ipckit ls shows it " +
                "in " + RegionFiles.defaultDirectory() + ")");
            err.println("  skips the damaged part of the queue's journal; prints how many messages were lost");
            return args.length == 1 && IpckitCli.isHelp(args[0]) ? IpckitCli.OK : IpckitCli.USAGE;
        }
        Path queue = Path.of(args[0]);
        if (!queue.isAbsolute() && !java.nio.file.Files.isDirectory(queue))
        {
            queue = RegionFiles.defaultDirectory().resolve(args[0].endsWith(QueueFiles.QUEUE_SUFFIX) ? args[0] :
                args[0] + QueueFiles.QUEUE_SUFFIX);
        }
        if (!java.nio.file.Files.isDirectory(queue))
        {
            err.println("ipckit repair: no queue " + queue);
            return IpckitCli.FAILED;
        }
        final long lost = QueueFiles.skipDamaged(queue);
        out.println(lost == 0 ? queue + ": nothing damaged at the read position, nothing lost" :
            queue + ": skipped the damaged part of the journal, " + lost + " message(s) lost");
        return IpckitCli.OK;
    }

    static int clean(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Path dir = directory("clean", args, err);
        if (dir == null)
        {
            return args.length == 1 && IpckitCli.isHelp(args[0]) ? IpckitCli.OK : IpckitCli.USAGE;
        }
        final List<Path> removed;
        try
        {
            removed = RegionFiles.removeStale(dir);
        }
        catch (final RegionException ex)
        {
            return refused("clean", ex, err);
        }
        removed.forEach(p -> out.println("removed " + p));
        final List<Path> removedQueues = QueueFiles.removeStale(dir);
        removedQueues.forEach(p -> out.println("removed " + p));
        out.println(removed.size() + " stale region(s) and " + removedQueues.size() + " stale queue(s) or pipe(s) removed from " +
            dir);
        return IpckitCli.OK;
    }

    /** A directory ipckit does not use (a link, another user's, writable by others): the reason, no stack trace. */
    private static int refused(final String command, final RegionException ex, final PrintStream err)
    {
        if (ex.reason() != RegionException.Reason.UNSAFE_DIRECTORY)
        {
            throw ex;
        }
        err.println("ipckit " + command + ": " + ex.getMessage());
        return IpckitCli.FAILED;
    }

    private static void listObjects(final Path path, final PrintStream out)
    {
        try (SharedRegion region = SharedRegion.openAt(path, dev.ipckit.memory.RegionOptions.defaults()))
        {
            for (final RegionEntry entry : region.entries())
            {
                String value;
                try
                {
                    value = valueOf(region, entry);
                }
                catch (final RegionException ex)
                {
                    value = damaged(ex);
                }
                out.printf("    %-24s %-12s %s%n", entry.name(),
                    entry.count() == 1 ? entry.type().toString() : entry.type() + "[" + entry.count() + "]", value);
            }
        }
        catch (final RegionException ex)
        {
            out.println("    " + damaged(ex));
        }
        catch (final RuntimeException ex)
        {
            out.println("    DAMAGED (cannot be read: " + ex + ")");
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

    private static Path directory(final String command, final String[] args, final PrintStream err)
    {
        if (args.length == 1 && IpckitCli.isHelp(args[0]))
        {
            err.println("usage: ipckit " + command + " [directory]   (default " + RegionFiles.defaultDirectory() + ")");
            return null;
        }
        if (args.length > 1)
        {
            err.println("ipckit " + command + ": expected at most one directory, got " + args.length + " arguments");
            return null;
        }
        return args.length == 1 ? Path.of(args[0]) : RegionFiles.defaultDirectory();
    }
}
