package dev.ipckit.platform.internal;

import java.util.concurrent.ConcurrentHashMap;
import dev.ipckit.platform.Deserialization;

/**
 * Classes resolved by name once, for deserializing many small messages in a process whose classes all come from one
 * class loader (a pool worker). {@link java.io.ObjectInputStream} looks up the caller's class loader and the class
 * for every class descriptor of every stream, which is about half the cost of reading a lambda.
 */
public final class ClassCache implements Deserialization.ClassResolver
{
    private final ConcurrentHashMap<String, Class<?>> classes = new ConcurrentHashMap<>();
    private final ClassLoader loader;

    /**
     * A cache resolving through one class loader.
     *
     * @param loader the loader every class of the messages comes from.
     */
    public ClassCache(final ClassLoader loader)
    {
        this.loader = loader;
    }

    /**
     * The class of that name, from the cache or the loader.
     *
     * @param name a binary class name as a class descriptor carries it.
     * @return the class.
     * @throws ClassNotFoundException when the loader has no such class.
     */
    @Override
    public Class<?> resolve(final String name) throws ClassNotFoundException
    {
        final Class<?> cached = classes.get(name);
        if (cached != null)
        {
            return cached;
        }
        final Class<?> loaded = Class.forName(name, false, loader);
        classes.putIfAbsent(name, loaded);
        return loaded;
    }
}
