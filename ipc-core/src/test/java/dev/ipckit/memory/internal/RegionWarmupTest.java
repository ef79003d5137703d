package dev.ipckit.memory.internal;

import dev.ipckit.platform.internal.SpareWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A spare's region warm-up is found by the spares and leaves nothing behind. */
@Timeout(60)
class RegionWarmupTest
{
    @Test
    void theSparesFindIt()
    {
        assertTrue(ServiceLoader.load(SpareWarmup.class).stream()
            .anyMatch(provider -> provider.type() == RegionWarmup.class));
    }

    @Test
    void itRemovesWhatItMade() throws Exception
    {
        final List<Path> before = warmupDirectories();
        new RegionWarmup().warmUp();
        new RegionWarmup().warmUp();
        assertEquals(before, warmupDirectories());
    }

    private static List<Path> warmupDirectories() throws IOException
    {
        try (Stream<Path> paths = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return paths.filter(path -> path.getFileName().toString().startsWith("ipckit-warmup-")).sorted().toList();
        }
    }
}
