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
    private final FirstUse firstUse;

    /**
     * A cache resolving through one class loader.
     *
     * @param loader the loader every class of the messages comes from.
     */
    public ClassCache(final ClassLoader loader)
    {
        this(loader, null);
    }

    /**
     * A cache resolving through one class loader that lets {@code firstUse} see (and refuse) each name before it is
     * cached: a worker on another host compares its class files with its pool's.
     *
     * @param loader   the loader every class of the messages comes from.
     * @param firstUse sees each name's first resolution, or null.
     */
    public ClassCache(final ClassLoader loader, final FirstUse firstUse)
    {
        this.loader = loader;
        this.firstUse = firstUse;
    }

    /** Sees a name's first resolution (again after it refused it). */
    @FunctionalInterface
    public interface FirstUse
    {
        /**
         * @param name   the binary class name.
         * @param loaded the class the loader gave, or null when it has none of that name.
         * @throws RuntimeException to refuse the name (it reaches the reader unwrapped, as a reading failure: a
         *                          {@link ClassNotFoundException} would let a stream try the JDK's own lookup).
         */
        void check(String name, Class<?> loaded);
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
        if (firstUse == null)
        {
            final Class<?> loaded = Class.forName(name, false, loader);
            classes.putIfAbsent(name, loaded);
            return loaded;
        }
        Class<?> loaded;
        try
        {
            loaded = Class.forName(name, false, loader);
        }
        catch (final ClassNotFoundException ex)
        {
            loaded = null;
        }
        firstUse.check(name, loaded);
        if (loaded == null)
        {
            throw new ClassNotFoundException(name);
        }
        classes.putIfAbsent(name, loaded);
        return loaded;
    }
}
