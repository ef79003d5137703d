package dev.ipckit.platform.internal;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import dev.ipckit.platform.Deserialization;

import static org.junit.jupiter.api.Assertions.*;

class ClassCacheTest
{
    private final ClassCache classes = new ClassCache(getClass().getClassLoader());

    @Test
    void resolvesOnceAndGivesTheSameClass() throws Exception
    {
        assertSame(ClassCacheTest.class, classes.resolve(ClassCacheTest.class.getName()));
        assertSame(ClassCacheTest.class, classes.resolve(ClassCacheTest.class.getName()));
        assertSame(int[].class, classes.resolve("[I"));
        assertThrows(ClassNotFoundException.class, () -> classes.resolve("dev.ipckit.NoSuchClass"));
    }

    @Test
    void readsWhatSerializationWroteFromPartOfAnArray() throws Exception
    {
        final int base = 40;
        final Callable<Integer> lambda = (Callable<Integer> & Serializable)() -> base + 2;
        final Object[] graph = {new int[] {1, 2}, Duration.ofMillis(5), List.of("a", "b"), lambda, 'c', null};
        final byte[] bytes = Serialization.toBytes(graph);
        final byte[] framed = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, framed, 4, bytes.length);
        for (int round = 0; round < 2; round++)
        {
            final Object[] read = (Object[])Deserialization.fromBytes(framed, 4, bytes.length, classes);
            assertArrayEquals(new int[] {1, 2}, (int[])read[0]);
            assertEquals(Duration.ofMillis(5), read[1]);
            assertEquals(List.of("a", "b"), read[2]);
            assertEquals(42, ((Callable<?>)read[3]).call());
            assertEquals('c', read[4]);
            assertNull(read[5]);
        }
    }
}
