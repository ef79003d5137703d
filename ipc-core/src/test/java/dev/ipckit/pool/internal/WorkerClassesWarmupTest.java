package dev.ipckit.pool.internal;

import dev.ipckit.platform.internal.SpareWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.*;

/** The spares find the pool worker's class warm-up, and every class it names exists. */
@Timeout(60)
class WorkerClassesWarmupTest
{
    @Test
    void theSparesFindIt()
    {
        assertTrue(ServiceLoader.load(SpareWarmup.class).stream()
            .anyMatch(provider -> provider.type() == WorkerClassesWarmup.class));
    }

    @Test
    void everyClassItNamesLoads() throws Exception
    {
        new WorkerClassesWarmup().warmUp();
        for (final String name : WorkerClassesWarmup.CLASSES)
        {
            assertEquals(name, Class.forName(name, false, getClass().getClassLoader()).getName());
        }
        assertEquals(WorkerClassesWarmup.CLASSES.size(), WorkerClassesWarmup.CLASSES.stream().distinct().count(),
            "no class named twice");
    }
}
