package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A queue or pipe message that the deserialization filter rejects throws from poll/recv and is consumed: the next
 * call returns the next message, nothing waits for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageFilterTest
{
    private static final String TRUSTED = "java.util.*;java.lang.*";

    @TempDir
    Path dir;

    @Test
    void aRejectedQueueMessageThrowsFromPollAndTheNextMessageFollows() throws Exception
    {
        final Codec<Object> codec = Codecs.javaSerialization(TRUSTED);
        try (SharedQueue<Object> queue = SharedQueue.create("filtered", codec, QueueOptions.defaults().withDirectory(dir)))
        {
            queue.put(nested(100));
            queue.put(new ArrayList<>(List.of("next")));
            final IllegalStateException rejected =
                assertThrows(IllegalStateException.class, () -> queue.poll(10, TimeUnit.SECONDS));
            assertContains(rejected.getMessage(), "queue 'filtered'", "rejected by the deserialization filter",
                "objects nest 65 deep", "ipckit.serial.maxDepth=64");
            assertEquals(List.of("next"), queue.poll(10, TimeUnit.SECONDS));
            assertNull(queue.poll(), "the rejected message was consumed, not left to come back");
        }
    }

    @Test
    void aRejectedPipeMessageThrowsFromRecvAndTheNextMessageFollows() throws Exception
    {
        final PipeOptions options = PipeOptions.defaults().withDirectory(dir)
            .withCodec(Codecs.standard().withJavaSerialization(TRUSTED));
        try (Pipe pipe = Pipe.create(options))
        {
            pipe.end1().send(nested(100));
            pipe.end1().send(new ArrayList<>(List.of("next")));
            final IllegalStateException rejected = assertThrows(IllegalStateException.class, () -> pipe.end2().recv());
            assertContains(rejected.getMessage(), "rejected by the deserialization filter", "objects nest 65 deep");
            assertEquals(List.of("next"), pipe.end2().recv());
            assertFalse(pipe.end2().poll(0, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Deques nested {@code depth} deep: a Collection that is neither a List nor a Set, so the standard codec gives it
     * to Java serialization (lists and sets it writes itself, and refuses beyond 64 levels).
     */
    private static java.util.ArrayDeque<Object> nested(final int depth)
    {
        java.util.ArrayDeque<Object> value = new java.util.ArrayDeque<>();
        for (int i = 1; i < depth; i++)
        {
            final java.util.ArrayDeque<Object> outer = new java.util.ArrayDeque<>();
            outer.add(value);
            value = outer;
        }
        return value;
    }

    private static void assertContains(final String text, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(text != null && text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }
}
