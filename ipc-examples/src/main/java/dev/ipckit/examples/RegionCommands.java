package dev.ipckit.examples;

import dev.ipckit.memory.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.queue.QueueFiles;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.ProcessIdentity;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedLong;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ipckit ls} and {@code ipckit clean}: an {@code ipcs} for ipckit regions.
 */
final class RegionCommands
{
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
        final List<RegionFiles.RegionFile> files = RegionFiles.list(dir);
        out.println(files.size() + " region(s) in " + dir);
        for (final RegionFiles.RegionFile file : files)
        {
            out.printf("%s  %d bytes  creator %s %s%s%s%n",
                file.name(), file.length(), ProcessIdentity.toString(file.creator()),
                file.creatorAlive() ? "alive" : "dead", file.persistent() ? "  persistent" : "",
                file.stale() ? "  STALE" : file.valid() ? "" : "  (not a complete region)");
            if (file.valid())
            {
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
                out.printf("%s%s%n", queue.getFileName(), QueueFiles.isStale(queue) ? "  STALE" : "");
                continue;
            }
            out.printf("%s  depth %d%s  put %d  taken %d  redelivered %d  consumers %d%s%s%n",
                queue.getFileName(), status.size(), status.capacity() == 0 ? "" : " of " + status.capacity(),
                status.putCount(), status.takenCount(), status.redelivered(), status.consumers(),
                status.persistent() ? "  persistent" : "", status.stale() ? "  STALE" : "");
        }
        return IpckitCli.OK;
    }

    static int clean(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Path dir = directory("clean", args, err);
        if (dir == null)
        {
            return args.length == 1 && IpckitCli.isHelp(args[0]) ? IpckitCli.OK : IpckitCli.USAGE;
        }
        final List<Path> removed = RegionFiles.removeStale(dir);
        removed.forEach(p -> out.println("removed " + p));
        final List<Path> removedQueues = QueueFiles.removeStale(dir);
        removedQueues.forEach(p -> out.println("removed " + p));
        out.println(removed.size() + " stale region(s) and " + removedQueues.size() + " stale queue(s) or pipe(s) removed from " +
            dir);
        return IpckitCli.OK;
    }

    private static void listObjects(final Path path, final PrintStream out)
    {
        try (SharedRegion region = SharedRegion.openAt(path, dev.ipckit.memory.RegionOptions.defaults()))
        {
            for (final RegionEntry entry : region.entries())
            {
                out.printf("    %-24s %-12s %s%n", entry.name(),
                    entry.count() == 1 ? entry.type().toString() : entry.type() + "[" + entry.count() + "]",
                    valueOf(region, entry));
            }
        }
        catch (final RegionException ex)
        {
            out.println("    (cannot open: " + ex.getMessage() + ")");
        }
    }

    private static String valueOf(final SharedRegion region, final RegionEntry entry)
    {
        switch (entry.type())
        {
            case INT: return "= " + SharedInt.open(region, entry.name()).get();
            case LONG: return "= " + SharedLong.open(region, entry.name()).get();
            case DOUBLE: return "= " + SharedDouble.open(region, entry.name()).get();
            case BYTE_ARRAY: return "= \"" + SharedByteArray.open(region, entry.name()).getString() + "\"";
            default: return "";
        }
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
