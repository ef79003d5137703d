package dev.ipckit.pool;

import java.io.Serializable;

/**
 * A function of several arguments a pool applies in a worker process ({@code starmap}), Python's {@code f(*args)}.
 *
 * @param <R> the result type.
 */
@FunctionalInterface
public interface StarFunction<R> extends Serializable
{
    /**
     * Applies the function to one argument list.
     *
     * @param args the arguments.
     * @return the result (it must be serializable).
     * @throws Exception anything; it reaches the caller with its type, message and remote stack trace.
     */
    R apply(Object... args) throws Exception;
}
