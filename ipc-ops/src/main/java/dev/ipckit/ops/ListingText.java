package dev.ipckit.ops;

import java.io.PrintWriter;

/** The text rendering of a {@link Listing}: what {@code ipckit ls} prints. */
final class ListingText
{
    private ListingText()
    {
    }

    static void print(final Listing.Result result, final PrintWriter out, final Marks marks)
    {
        out.println(result.regions().size() + " region(s) in " + result.directory());
        for (final Listing.Region region : result.regions())
        {
            out.printf("%s  %d bytes  creator %s %s%s%s%n",
                region.name(), region.bytes(), region.creator(),
                region.creatorAlive() ? "alive" : "dead", region.persistent() ? "  persistent" : "",
                region.stale() ? "  " + marks.mark("STALE") : region.complete() ? "" : "  (not a complete region)");
            for (final Listing.RegionObject object : region.objects())
            {
                out.printf("    %-24s %-12s %s%n", object.name(), object.type(), marked(object.state(), marks));
            }
            if (region.damage() != null)
            {
                out.println("    " + marked(region.damage(), marks));
            }
        }
        out.println(result.queues().size() + " queue(s) and pipe(s) in " + result.directory());
        for (final Listing.Queue queue : result.queues())
        {
            final String damage = queue.damage() == null ? "" : "  " + marks.mark("DAMAGED") + ": " + queue.damage();
            if (!queue.readable())
            {
                out.printf("%s%s%n", queue.name(), queue.stale() ? "  " + marks.mark("STALE") : damage);
                continue;
            }
            out.printf("%s  depth %d%s  put %d  taken %d  redelivered %d  consumers %d%s%s%s%n",
                queue.name(), queue.depth(), queue.capacity() == 0 ? "" : " of " + queue.capacity(),
                queue.put(), queue.taken(), queue.redelivered(), queue.consumers(),
                queue.persistent() ? "  persistent" : "", queue.stale() ? "  " + marks.mark("STALE") : "", damage);
        }
        if (!result.spares().isEmpty())
        {
            out.println(result.spares().size() + " idle spare JVM(s) (forkserver) of this user's processes");
            for (final Listing.Spare spare : result.spares())
            {
                out.printf("pid %d  spare of pid %d  up %s  RSS %s%n", spare.pid(), spare.creatorPid(),
                    spare.uptimeMillis() < 0 ? "?" : spare.uptimeMillis() / 1000 + " s",
                    spare.rssKilobytes() < 0 ? "?" : spare.rssKilobytes() / 1024 + " MiB");
            }
        }
    }

    private static String marked(final String text, final Marks marks)
    {
        for (final String word : new String[] {"DAMAGED", "DEAD", "BROKEN"})
        {
            final int at = text.indexOf(word);
            if (at >= 0)
            {
                return text.substring(0, at) + marks.mark(word) + text.substring(at + word.length());
            }
        }
        return text;
    }
}
