package dev.ipckit.manager;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.value.ShareableList;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SharedMemoryManager, Python's {@code managers.SharedMemoryManager}: what it made is gone when it closes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedMemoryManagerTest
{
    @TempDir
    Path dir;

    @Test
    void everyRegionMadeThroughTheManagerIsRemovedWhenItCloses() throws Exception
    {
        final SharedMemoryManager memory = SharedMemoryManager.create(RegionOptions.defaults().withDirectory(dir));
        final SharedRegion scratch = memory.sharedMemory(1 << 16);
        final SharedRegion kept = memory.sharedMemory("kept-by-name", 1 << 16);
        final ShareableList list = memory.shareableList(List.of(1L, "a"));
        final SharedLong counter = SharedLong.create(scratch, "counter", 0);
        assertEquals(3, memory.regions().size());
        assertNotEquals(scratch.name(), list.region().name(), "generated names are distinct");

        final IpcProcess<String> child = IpcProcess.of(() ->
        {
            counter.incrementAndGet();
            list.set(1, "b");
            return list.get(0) + "," + ShareableList.open(list.region(), "list").get(1);
        }).jvmOptions("-Xmx64m", "-XX:+UseSerialGC").start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals("1,b", child.result());
        assertEquals(1, counter.get());

        final List<Path> files = List.of(scratch.path(), kept.path(), list.region().path());
        for (final Path file : files)
        {
            assertTrue(Files.exists(file), file + " exists while the manager is open");
        }
        memory.close();
        for (final Path file : files)
        {
            assertFalse(Files.exists(file), file + " is removed by close");
        }
        assertTrue(scratch.isClosed());
        assertEquals(List.of(), memory.regions());
        memory.close(); // a second close: nothing
        final IllegalStateException closed = assertThrows(IllegalStateException.class, () -> memory.sharedMemory(1 << 16));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void persistentRegionsAreRemovedTooWhenMadeThroughTheManager()
    {
        final Path file;
        try (SharedMemoryManager memory =
                 SharedMemoryManager.create(RegionOptions.defaults().withDirectory(dir).withPersistent(true)))
        {
            file = memory.sharedMemory(1 << 16).path();
        }
        assertFalse(Files.exists(file), "the manager owns what it made, persistent or not");
    }
}
