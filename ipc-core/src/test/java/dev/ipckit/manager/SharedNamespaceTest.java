package dev.ipckit.manager;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SharedNamespace and the SharedManager facade in one process.
 */
class SharedNamespaceTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("ns", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void attributesSetGetHasRemoveNames()
    {
        final SharedNamespace ns = SharedNamespace.create(region, "cfg", 16, 4096);
        ns.set("x", 1);
        ns.set("name", "worker");
        ns.set("ratio", 0.5);
        assertEquals(1, ns.get("x"));
        assertEquals("worker", ns.get("name", String.class));
        assertThrows(ClassCastException.class, () -> ns.get("name", Long.class));
        assertTrue(ns.has("ratio"));
        assertFalse(ns.has("missing"));
        final NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.get("missing"));
        assertEquals("SharedNamespace 'cfg' has no attribute 'missing'", missing.getMessage());
        assertEquals(Optional.empty(), ns.find("missing"));
        assertEquals(Optional.of(0.5), ns.find("ratio"));
        ns.set("x", 2);
        assertEquals(List.of("x", "name", "ratio"), List.copyOf(ns.names()));
        assertEquals(Map.of("x", 2, "name", "worker", "ratio", 0.5), ns.toMap());
        assertEquals(3, ns.size());
        assertTrue(ns.remove("x"));
        assertFalse(ns.remove("x"));
        assertEquals("SharedNamespace 'cfg'{name=worker, ratio=0.5}", ns.toString());
        assertThrows(NullPointerException.class, () -> ns.set("y", null));
        assertThrows(IllegalArgumentException.class, () -> ns.set("y", new Object()));
        ns.verify();
    }

    @Test
    void aNamespaceIsNotADict()
    {
        SharedNamespace.create(region, "cfg", 4, 1024).set("a", 1);
        assertEquals(1, SharedNamespace.open(region, "cfg").get("a"));
        assertEquals(1, SharedNamespace.openOrCreate(region, "cfg", 4, 1024).get("a"));
        assertThrows(RegionException.class, () -> SharedDict.open(region, "cfg"));
        SharedDict.create(region, "d", 4, 1024);
        assertThrows(RegionException.class, () -> SharedNamespace.open(region, "d"));
    }

    @Test
    void aSmallManagerHoldsSeveralStructuresOfDefaultSizeAndSaysSoWhenItIsReallyFull()
    {
        try (SharedManager manager = SharedManager.create("small", 1 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            assertTrue(manager.defaultDataBytes() < SharedManager.DEFAULT_DATA_BYTES, "scaled to a 1 MiB region");
            manager.dict("d").put("k", 1);
            manager.list("l").add("e");
            manager.namespace("n").set("a", "b");
            manager.set("s").add("x");
            for (int i = 0; i < 3; i++)
            {
                manager.dict("more-" + i).put("k", i);
            }
            final SharedDict<Object, Object> dict = manager.dict("d");
            for (int i = 0; i < 500; i++)
            {
                dict.put("key-" + i, "value-" + i);
            }
            assertEquals(501, dict.size());
            final RegionException full = assertThrows(RegionException.class, () ->
            {
                for (int i = 0; i < 100; i++)
                {
                    manager.dict("extra-" + i);
                }
            });
            assertEquals(RegionException.Reason.REGION_FULL, full.reason(), full.getMessage());
        }
    }

    @Test
    void theManagerHandsOutStructuresByName()
    {
        try (SharedManager manager = SharedManager.create("mgr", 8 << 20, RegionOptions.defaults().withDirectory(dir)))
        {
            manager.dict("d").put("k", 1);
            assertEquals(1, manager.dict("d").get("k"), "the same dict by name");
            assertEquals(SharedManager.DEFAULT_CAPACITY, manager.dict("d").capacity());
            manager.list("l").add("e");
            assertEquals(List.of("e"), manager.list("l"));
            manager.namespace("n").set("a", "b");
            assertEquals("b", manager.namespace("n").get("a"));
            assertEquals(7L, manager.dict("typed", dev.ipckit.codec.Codecs.string(), dev.ipckit.codec.Codecs.int64(),
                4, 256).merge("c", 7L, Long::sum));
            assertTrue(manager.region().isCreator());
        }
    }
}
