package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SharedSet, Python 3.14's {@code SyncManager.set()}: set operations, atomic adds across child JVMs, travel. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedSetTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    private SharedManager manager()
    {
        return SharedManager.create("sets", 8 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @Test
    void behavesAsASet()
    {
        try (SharedManager manager = manager())
        {
            final SharedSet<Object> set = manager.set("s");
            assertTrue(set.add("a"));
            assertFalse(set.add("a"), "already there");
            assertTrue(set.add(1L));
            assertTrue(set.contains("a") && set.contains(1L));
            assertFalse(set.contains("b"));
            assertEquals(2, set.size());
            assertEquals(Set.of("a", 1L), set.snapshot());
            assertEquals(Set.of("a", 1L), Set.copyOf(set), "iteration");
            assertTrue(set.remove("a"));
            assertFalse(set.remove("a"), "discard of an absent element");
            final Iterator<Object> iterator = set.iterator();
            iterator.next();
            iterator.remove();
            assertTrue(set.isEmpty(), "Iterator.remove removes from the set");
            set.addAll(List.of(1L, 2L, 3L));
            assertTrue(set.containsAll(List.of(1L, 2L)));
            set.clear();
            assertEquals(0, set.size());

            assertSame(set.region(), manager.set("s").region());
            assertTrue(manager.set("s").add("again"));
            assertTrue(manager.set("s").contains("again"), "the manager opens the same set by name");
            assertThrows(RuntimeException.class, () -> manager.dict("s"), "a set is not a dict");
            final SharedSet<String> typed = manager.set("typed", Codecs.string(), 16, 4096);
            assertTrue(typed.add("x"));
            assertTrue(SharedSet.open(manager.region(), "typed", Codecs.string()).contains("x"));
            assertTrue(typed.toString().startsWith("SharedSet 'typed'"), typed.toString());
        }
    }

    @Test
    void addsFromSeveralProcessesAreAtomic() throws Exception
    {
        try (SharedManager manager = manager())
        {
            final SharedSet<Object> set = manager.set("seen");
            final IpcProcess<Integer> first = adder(set);
            final IpcProcess<Integer> second = adder(set);
            assertTrue(first.join(90, TimeUnit.SECONDS) && second.join(90, TimeUnit.SECONDS));
            assertEquals(500, first.result() + second.result(), "each element was added first by exactly one process");
            assertEquals(500, set.size());
            assertTrue(set.verify().startsWith("500 entries"), set.verify());
        }
    }

    private static IpcProcess<Integer> adder(final SharedSet<Object> set)
    {
        return IpcProcess.of(() ->
        {
            int firsts = 0;
            for (long i = 0; i < 500; i++)
            {
                if (set.add(i))
                {
                    firsts++;
                }
            }
            return firsts;
        }).jvmOptions(CHILD_JVM).start();
    }
}
