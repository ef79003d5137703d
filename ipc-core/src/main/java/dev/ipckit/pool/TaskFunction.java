package dev.ipckit.pool;

import java.io.Serializable;

/**
 * A function a pool applies to each item in a worker process ({@code map}, {@code imap}). A lambda whose target type
 * is this interface is serializable, so it travels to the worker; it may capture serializable values.
 *
 * @param <T> the item type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface TaskFunction<T, R> extends Serializable
{
    /**
     * Applies the function to one item.
     *
     * @param item the item.
     * @return the result, sent back to the caller (it must be serializable).
     * @throws Exception anything; it reaches the caller with its type, message and remote stack trace.
     */
    R apply(T item) throws Exception;
}
