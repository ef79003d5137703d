package dev.ipckit.codec;

import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a message's handle (tag 15 of the standard codec) can make run while it is decoded: its allow-list admits
 * every ipckit class, so this pins the ipckit classes that act on deserialization (readObject, readResolve,
 * readObjectNoData). A new one fails this test: check what it does with bytes another process wrote, then list it.
 */
class HandleSurfaceTest
{
    /** Each opens shared state by a name or path from the bytes, or returns a singleton; nothing else. */
    private static final Set<String> ACTING_ON_DESERIALIZATION = Set.of(
        "dev.ipckit.codec.ByteArrayCodec", "dev.ipckit.codec.ByteBufferCodec", "dev.ipckit.codec.DirectBufferCodec",
        "dev.ipckit.codec.Float64Codec", "dev.ipckit.codec.Int32Codec", "dev.ipckit.codec.Int64Codec",
        "dev.ipckit.codec.JavaSerialization", "dev.ipckit.codec.StandardCodec", "dev.ipckit.codec.StringCodec",
        "dev.ipckit.manager.ManagedHandle", "dev.ipckit.manager.MemberCodec", "dev.ipckit.memory.RegionHandle",
        "dev.ipckit.queue.ConnectionHandle", "dev.ipckit.queue.QueueHandle", "dev.ipckit.sync.SyncHandle",
        "dev.ipckit.value.ValueHandle");

    @Test
    void theIpckitClassesThatActWhenDeserializedAreTheKnownOnes() throws Exception
    {
        assertEquals(new TreeSet<>(ACTING_ON_DESERIALIZATION), actingOnDeserialization());
    }

    private static Set<String> actingOnDeserialization() throws URISyntaxException, Exception
    {
        final Path classes = Path.of(SharedRegion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Set<String> acting = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/ipckit")))
        {
            for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".class"))::iterator)
            {
                final String relative = classes.relativize(file).toString();
                final String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                final Class<?> type = Class.forName(name, false, HandleSurfaceTest.class.getClassLoader());
                if (Serializable.class.isAssignableFrom(type) && acts(type))
                {
                    acting.add(name);
                }
            }
        }
        return acting;
    }

    private static boolean acts(final Class<?> type)
    {
        for (final Method method : type.getDeclaredMethods())
        {
            final String name = method.getName();
            if (name.equals("readResolve") || name.equals("readObjectNoData") ||
                (name.equals("readObject") && method.getParameterCount() == 1))
            {
                return true;
            }
        }
        return false;
    }
}
