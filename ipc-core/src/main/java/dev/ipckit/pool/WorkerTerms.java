package dev.ipckit.pool;

import dev.ipckit.process.SerializableRunnable;

import java.io.Serializable;

/**
 * What a pool tells a worker that joined it from another host, in its WELCOME: what its own worker processes are
 * started with.
 *
 * @param name         the worker's name in the pool.
 * @param ringCapacity the capacity of the pool's rings (a message is at most an eighth of it).
 * @param initializer  run before the first task, or null.
 * @param maxTasks     the task limit, 0 for none.
 */
record WorkerTerms(String name, int ringCapacity, SerializableRunnable initializer, int maxTasks)
    implements Serializable
{
}
