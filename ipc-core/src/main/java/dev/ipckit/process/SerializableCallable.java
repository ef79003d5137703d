package dev.ipckit.process;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a child process; its serializable result is sent back to the parent.
 *
 * @param <V> the type of the result.
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable
{
}
