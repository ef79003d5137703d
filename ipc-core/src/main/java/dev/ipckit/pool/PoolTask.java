package dev.ipckit.pool;

import dev.ipckit.process.RemoteFailures;
import dev.ipckit.process.SerializableCallable;

import java.io.Serializable;
import java.util.Arrays;

/** What a worker runs: one call, or one chunk of a map. Sent with Java serialization (lambdas must travel). */
interface PoolTask extends Serializable
{
    Object run() throws Exception;

    /** One callable: its result is the task's result. */
    record Call(SerializableCallable<?> callable) implements PoolTask
    {
        @Override
        public Object run() throws Exception
        {
            return callable.call();
        }
    }

    /** One chunk of a map: the function applied to each item in order, stopping at the first that throws. */
    record Chunk(TaskFunction<Object, Object> function, Object[] items) implements PoolTask
    {
        @Override
        public Object run()
        {
            final Object[] results = new Object[items.length];
            for (int i = 0; i < items.length; i++)
            {
                try
                {
                    results[i] = function.apply(items[i]);
                }
                catch (final Exception ex)
                {
                    return new ChunkResult(Arrays.copyOf(results, i), RemoteFailures.encode(ex));
                }
            }
            return new ChunkResult(results, null);
        }
    }

    /**
     * A chunk's results: all of them, or those before the first failing item and that item's failure (the results
     * before a failure are still delivered, as in Python's imap); the failure as {@link RemoteFailures} bytes.
     */
    record ChunkResult(Object[] results, byte[] failure) implements Serializable
    {
    }
}
