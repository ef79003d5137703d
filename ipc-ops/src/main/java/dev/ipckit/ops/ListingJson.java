package dev.ipckit.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} rendering of a {@link Listing}: the same facts as the text, as
 * {@code {"directory": ..., "regions": [...], "queues": [...], "spares": [...]}} (the shape is in docs/cli.md).
 */
final class ListingJson
{
    private ListingJson()
    {
    }

    static Map<String, Object> of(final Listing.Result result)
    {
        final List<Object> regions = new ArrayList<>();
        for (final Listing.Region region : result.regions())
        {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", region.name());
            r.put("path", region.path());
            r.put("bytes", region.bytes());
            r.put("creator", region.creator());
            r.put("creatorAlive", region.creatorAlive());
            r.put("persistent", region.persistent());
            r.put("stale", region.stale());
            r.put("complete", region.complete());
            r.put("damaged", region.damage() != null || region.objects().stream().anyMatch(Listing.RegionObject::damaged));
            r.put("damage", region.damage());
            final List<Object> objects = new ArrayList<>();
            for (final Listing.RegionObject object : region.objects())
            {
                final Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", object.name());
                o.put("type", object.type());
                o.put("state", object.state());
                o.put("damaged", object.damaged());
                objects.add(o);
            }
            r.put("objects", objects);
            regions.add(r);
        }
        final List<Object> queues = new ArrayList<>();
        for (final Listing.Queue queue : result.queues())
        {
            final Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", queue.name());
            q.put("path", queue.path());
            q.put("readable", queue.readable());
            if (queue.readable())
            {
                q.put("depth", queue.depth());
                q.put("capacity", queue.capacity());
                q.put("put", queue.put());
                q.put("taken", queue.taken());
                q.put("redelivered", queue.redelivered());
                q.put("consumers", queue.consumers());
                q.put("persistent", queue.persistent());
            }
            q.put("stale", queue.stale());
            q.put("damaged", queue.damage() != null);
            q.put("damage", queue.damage());
            queues.add(q);
        }
        final List<Object> spares = new ArrayList<>();
        for (final Listing.Spare spare : result.spares())
        {
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("pid", spare.pid());
            s.put("creatorPid", spare.creatorPid());
            s.put("uptimeMillis", spare.uptimeMillis());
            s.put("rssKilobytes", spare.rssKilobytes());
            s.put("command", spare.command());
            spares.add(s);
        }
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("directory", result.directory().toString());
        root.put("regions", regions);
        root.put("queues", queues);
        root.put("spares", spares);
        return root;
    }
}
