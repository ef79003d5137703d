package dev.ipckit.pool;

import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.RecentByBytes;
import dev.ipckit.platform.DeserializationRejectedException;

import java.io.IOException;

/**
 * The functions a worker has read, keyed by their bytes ({@link FunctionBytes}): the last
 * {@link RecentByBytes#CAPACITY} distinct ones. A function arriving again byte for byte (the same map's next chunk,
 * the next {@code apply(function, argument)} with the same function) is taken from here instead of being read again,
 * which costs microseconds. Bytes equal means the parent's function had the same state when it was sent; what a
 * function changes in its own state in a worker stays there for its later calls in that worker, as a Python worker's
 * module globals do.
 */
final class WorkerFunctions
{
    static final int CAPACITY = RecentByBytes.CAPACITY;

    private final FunctionBytes.Reader reader;
    private final RecentByBytes<Object> functions = new RecentByBytes<>();

    WorkerFunctions(final FunctionBytes.Reader reader)
    {
        this.reader = reader;
    }

    /**
     * The function in {@code bytes[offset, offset + length)}.
     *
     * @throws IllegalStateException  when the deserialization filter rejects the bytes.
     * @throws IOException            when the bytes are not a function.
     * @throws ClassNotFoundException when a class is not on the worker's class path.
     */
    Object get(final byte[] bytes, final int offset, final int length) throws IOException, ClassNotFoundException
    {
        final Object kept = functions.find(bytes, offset, length);
        if (kept != null)
        {
            return kept;
        }
        final Object function;
        try
        {
            function = reader.read(bytes, offset, length);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new IllegalStateException("the function was rejected by the deserialization filter in worker " +
                "process " + ProcessHandle.current().pid() + ": " + ex.getMessage(), ex);
        }
        functions.put(bytes, offset, length, function);
        return function;
    }
}
