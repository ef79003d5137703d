package dev.ipckit.pool;

import dev.ipckit.platform.internal.ClassCache;
import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.DeserializationRejectedException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * The functions a worker has deserialized, keyed by their serialized bytes: the last {@link #CAPACITY} distinct ones.
 * A function arriving again byte for byte (the same map's next chunk, the next {@code apply(function, argument)}
 * with the same function) is taken from here instead of being deserialized again, which costs microseconds. Bytes
 * equal means the parent's function had the same state when it was sent; what a function changes in its own state
 * in a worker stays there for its later calls in that worker, as a Python worker's module globals do.
 */
final class WorkerFunctions
{
    static final int CAPACITY = 16;

    private final ClassCache classes;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[][] keys = new byte[CAPACITY][];
    private final int[] hashes = new int[CAPACITY];
    private final Object[] functions = new Object[CAPACITY];
    private int next;

    WorkerFunctions(final ClassCache classes)
    {
        this.classes = classes;
    }

    /**
     * The function serialized in {@code bytes[offset, offset + length)}.
     *
     * @throws IllegalStateException  when the deserialization filter rejects the bytes.
     * @throws IOException            when the bytes are not a serialized object.
     * @throws ClassNotFoundException when a class is not on the worker's class path.
     */
    Object get(final byte[] bytes, final int offset, final int length) throws IOException, ClassNotFoundException
    {
        final int hash = hash(bytes, offset, length);
        for (int i = 0; i < CAPACITY; i++)
        {
            final byte[] key = keys[i];
            if (key != null && hashes[i] == hash && Arrays.equals(key, 0, key.length, bytes, offset, offset + length))
            {
                return functions[i];
            }
        }
        final Object function;
        try
        {
            function = Deserialization.fromBytes(bytes, offset, length, classes);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new IllegalStateException("the function was rejected by the deserialization filter in worker " +
                "process " + ProcessHandle.current().pid() + ": " + ex.getMessage(), ex);
        }
        keys[next] = Arrays.copyOfRange(bytes, offset, offset + length);
        hashes[next] = hash;
        functions[next] = function;
        next = (next + 1) % CAPACITY;
        return function;
    }

    private int hash(final byte[] bytes, final int offset, final int length)
    {
        view.wrap(bytes, offset, length);
        long hash = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            hash = (hash ^ view.getLong(i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++)
        {
            hash = (hash ^ view.getByte(i)) * 0x9E3779B97F4A7C15L;
        }
        return (int)(hash ^ (hash >>> 32));
    }
}
