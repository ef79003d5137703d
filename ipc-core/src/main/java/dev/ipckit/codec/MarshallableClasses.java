package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesMarshallable;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link BytesMarshallable} classes that {@link StandardCodec} messages name. A named class is loaded without
 * being initialized (by the thread's context class loader, else ipckit's) and must be a {@code BytesMarshallable}
 * before anything else happens to it; then its public no-arg constructor makes the instance. No other class is ever
 * instantiated or initialized because a message names it.
 * <p>
 * Loaded classes are cached by name and the context class loader asked; only {@code BytesMarshallable} classes are
 * cached, so the cache is bounded by the classes a program sends, not by what a message may name.
 */
final class MarshallableClasses
{
    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>()
    {
        @Override
        protected Constructor<?> computeValue(final Class<?> type)
        {
            if (!BytesMarshallable.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers()))
            {
                return null;
            }
            try
            {
                final Constructor<?> constructor = type.getConstructor();
                return constructor.canAccess(null) ? constructor : null;
            }
            catch (final NoSuchMethodException | SecurityException ex)
            {
                return null;
            }
        }
    };

    private static final ClassLoader OWN_LOADER = MarshallableClasses.class.getClassLoader();

    private final ConcurrentHashMap<String, Loaded> loaded = new ConcurrentHashMap<>();

    /**
     * Checks, when encoding, that a decoder will be able to make the class.
     *
     * @param type  the message's class.
     * @param codec the codec, for the error message.
     * @throws IllegalArgumentException when the class has no accessible public no-arg constructor.
     */
    static void requireConstructible(final Class<?> type, final Object codec)
    {
        if (CONSTRUCTORS.get(type) == null)
        {
            throw new IllegalArgumentException(codec + " cannot encode a " + type.getName() + ": " + problem(type) +
                ", and decoding makes a BytesMarshallable with its public no-arg constructor. Add one, or use " +
                "Codecs.marshallable(factory)");
        }
    }

    /**
     * Makes an empty instance of the class a message names.
     *
     * @param name the class name read from the message.
     * @return a new instance, still to be filled by {@code readMarshallable}.
     * @throws Malformed when the class is not found, is not a {@code BytesMarshallable}, or cannot be made.
     */
    BytesMarshallable newInstance(final String name)
    {
        final Class<?> type = load(name);
        final Constructor<?> constructor = CONSTRUCTORS.get(type);
        if (constructor == null)
        {
            throw new Malformed("cannot make the message's class " + name + ": " + problem(type));
        }
        try
        {
            return (BytesMarshallable)constructor.newInstance();
        }
        catch (final InvocationTargetException ex)
        {
            throw new Malformed("the constructor of " + name + " threw " + ex.getCause(), ex.getCause());
        }
        catch (final ReflectiveOperationException | ExceptionInInitializerError ex)
        {
            throw new Malformed("cannot make the message's class " + name + ": " + ex, ex);
        }
    }

    private Class<?> load(final String name)
    {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        final Loaded cached = loaded.get(name);
        if (cached != null && cached.loader == context)
        {
            return cached.type;
        }

        Class<?> type = null;
        try
        {
            if (context != null)
            {
                type = find(name, context);
            }
            if (type == null && context != OWN_LOADER)
            {
                type = find(name, OWN_LOADER);
            }
        }
        catch (final LinkageError ex)
        {
            throw new Malformed("the message's class " + name + " cannot be loaded: " + ex, ex);
        }
        if (type == null)
        {
            throw new Malformed("the message's class " + name +
                " is not found by the thread's context class loader or by ipckit's class loader");
        }
        if (!BytesMarshallable.class.isAssignableFrom(type))
        {
            throw new Malformed("the message names " + name + ", which is not a BytesMarshallable; not instantiated");
        }
        loaded.put(name, new Loaded(context, type));
        return type;
    }

    private static Class<?> find(final String name, final ClassLoader loader)
    {
        try
        {
            return Class.forName(name, false, loader);
        }
        catch (final ClassNotFoundException ex)
        {
            return null;
        }
    }

    private static String problem(final Class<?> type)
    {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()))
        {
            return "it is abstract";
        }
        try
        {
            type.getConstructor();
            return "it or its constructor is not accessible to ipckit (not public, or in a module not exported to it)";
        }
        catch (final NoSuchMethodException | SecurityException ex)
        {
            return "it has no public no-arg constructor";
        }
    }

    private static final class Loaded
    {
        final ClassLoader loader;
        final Class<?> type;

        Loaded(final ClassLoader loader, final Class<?> type)
        {
            this.loader = loader;
            this.type = type;
        }
    }
}
