package dev.ipckit.pool;

import dev.ipckit.process.SerializableCallable;

import java.io.Serializable;

/** A task a worker runs for {@code applyAsync}/{@code submit}. Sent with Java serialization (lambdas must travel). */
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
}
