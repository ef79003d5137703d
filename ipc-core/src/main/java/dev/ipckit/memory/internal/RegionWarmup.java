package dev.ipckit.memory.internal;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.platform.internal.SpareWarmup;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A spare JVM's first region: creates a small region in a directory of its own, allocates an object, maps the file a
 * second time as another process would open it, finds the object there, passes a message through an Agrona ring in
 * it (as pool workers, pipes and ring queues do), and removes it all. In a fresh JVM the first region a child attaches
 * (a pool worker's, a shared value's) costs some 40 ms on a 2-core VM, almost all of it first use: file channels,
 * mapping, Agrona's buffers, the flag check, the region checks.
 */
public final class RegionWarmup implements SpareWarmup
{
    private static final long REGION_LENGTH = 64 * 1024;
    private static final int RING_CAPACITY = 1024;
    private static final int MESSAGE_TYPE = 1;

    /** For {@link java.util.ServiceLoader}. */
    public RegionWarmup()
    {
    }

    @Override
    public void warmUp() throws IOException, ClassNotFoundException
    {
        final Path directory = Files.createTempDirectory("ipckit-warmup-");
        try
        {
            final Path file = directory.resolve("warmup");
            final RegionOptions options = RegionOptions.defaults().withDirectory(directory);
            try (SharedRegion created = SharedRegion.createAt(file, REGION_LENGTH, options);
                SharedRegion opened = SharedRegion.openAt(file, options))
            {
                created.allocate("warmup", ObjectType.BYTES, RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 0, null);
                final RegionEntry entry = opened.find("warmup", ObjectType.BYTES);
                final OneToOneRingBuffer ring = new OneToOneRingBuffer(
                    new UnsafeBuffer(opened.buffer(), entry.offset(), RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
                final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
                message.putLong(0, System.nanoTime());
                ring.write(MESSAGE_TYPE, message, 0, Long.BYTES);
                ring.read((type, buffer, index, length) -> message.putLong(0, buffer.getLong(index)));
                // A handle's trip through serialization, as a task that captures a region makes it: it attaches
                // the region open here (no second mapping), and readies the handle's deserialization.
                Deserialization.fromBytes(Serialization.toBytes(opened));
            }
        }
        finally
        {
            PrivateDirectory.deleteTree(directory);
        }
    }
}
