package dev.ipckit.platform.internal;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Attachments}: one cache per kind, holding what regions and pipes this JVM attached, and only while they are
 * open.
 */
class AttachmentsTest
{
    @TempDir
    Path dir;

    @Test
    void oneCachePerKindHoldsAnAttachmentOnlyWhileItIsOpen()
    {
        assertSame(Attachments.of(String.class), Attachments.of(String.class));
        final Attachments<String> strings = Attachments.of(String.class);
        final Path path = dir.resolve("x");
        assertNull(strings.putIfAbsent(path, "first"));
        assertEquals("first", strings.putIfAbsent(path, "second"), "the first attachment stays");
        assertFalse(strings.remove(path, "second"), "only what is recorded is forgotten");
        assertTrue(strings.remove(path, "first"));
        assertNull(strings.get(path));

        final int regionsBefore = Attachments.counts().getOrDefault("SharedRegion", 0);
        final int pipesBefore = Attachments.counts().getOrDefault("PipeLink", 0);
        try (SharedRegion region =
                SharedRegion.create("attached", 1 << 16, RegionOptions.defaults().withDirectory(dir));
            Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir)))
        {
            assertSame(region, Attachments.of(SharedRegion.class).get(region.path()));
            assertEquals(regionsBefore + 2, Attachments.counts().get("SharedRegion"),
                "the region and the pipe's control region");
            assertEquals(pipesBefore + 1, Attachments.counts().get("PipeLink"));
            assertNotNull(pipe);
        }
        assertEquals(regionsBefore, Attachments.counts().get("SharedRegion"), "closing forgets them");
        assertEquals(pipesBefore, Attachments.counts().get("PipeLink"));
    }
}
