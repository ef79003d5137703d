package dev.ipckit.process;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to a child process. A lambda whose target type is this interface is serialized
 * with everything it captures; the child has the same class path, so the lambda deserializes there.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable
{
}
