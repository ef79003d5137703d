package dev.ipckit.codec;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's enums and records that {@link Codecs.Standard#withTypes} lets the standard codec carry: only
 * these are ever made from a message's bytes (by {@link Enum#valueOf} and by a record's canonical constructor, never
 * by Java serialization). Travels with its codec as class names, resolved where the codec is used.
 */
final class RegisteredTypes implements Serializable
{
    private static final long serialVersionUID = 1L;
    static final RegisteredTypes NONE = new RegisteredTypes(List.of());

    /** An array, not a List: a codec travels inside handles, whose filter takes ipckit's classes and String only. */
    private final String[] names;
    private transient ConcurrentHashMap<String, Class<?>> resolved;

    private RegisteredTypes(final List<String> names)
    {
        this.names = names.toArray(new String[0]);
    }

    RegisteredTypes with(final Class<?>... types)
    {
        final List<String> all = new ArrayList<>(List.of(names));
        for (final Class<?> type : types)
        {
            Objects.requireNonNull(type, "type");
            if (!type.isEnum() && !type.isRecord())
            {
                throw new IllegalArgumentException(type.getName() + " is neither an enum nor a record: the standard " +
                    "codec carries only those by registration (others: BytesMarshallable, or Java serialization)");
            }
            for (Class<?> c = type; c != null; c = c.getEnclosingClass())
            {
                if (!java.lang.reflect.Modifier.isPublic(c.getModifiers()))
                {
                    throw new IllegalArgumentException(type.getName() + " must be public (and so must the classes it " +
                        "is nested in) for the standard codec to read and make it in any process");
                }
            }
            if (!all.contains(type.getName()))
            {
                all.add(type.getName());
            }
        }
        return new RegisteredTypes(all);
    }

    boolean isEmpty()
    {
        return names.length == 0;
    }

    List<String> names()
    {
        return List.of(names);
    }

    /** A look without allocating: the list is short, and encoding a registered type asks once per value. */
    private boolean contains(final String name)
    {
        for (final String registered : names)
        {
            if (registered.equals(name))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type} (an enum constant's declaring class, or a record class) is registered. */
    boolean allows(final Class<?> type)
    {
        return contains(type.getName());
    }

    /**
     * The registered class of this name.
     *
     * @throws Malformed when it is not registered, or cannot be loaded here.
     */
    Class<?> resolve(final String name)
    {
        if (!contains(name))
        {
            throw new Malformed("a message holds a " + name + ", which this codec was not given " +
                "(Codecs.standard().withTypes(" + name + ".class) in every process)");
        }
        ConcurrentHashMap<String, Class<?>> cache = resolved;
        if (cache == null)
        {
            cache = new ConcurrentHashMap<>();
            resolved = cache;
        }
        return cache.computeIfAbsent(name, RegisteredTypes::load);
    }

    /** The components of a registered record, in declaration order. */
    static Object[] components(final Record record)
    {
        final RecordComponent[] components = record.getClass().getRecordComponents();
        final Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++)
        {
            try
            {
                values[i] = components[i].getAccessor().invoke(record);
            }
            catch (final IllegalAccessException | InvocationTargetException | RuntimeException ex)
            {
                throw new IllegalArgumentException("cannot read component " + components[i].getName() + " of " +
                    record.getClass().getName() + ": " + ex, ex);
            }
        }
        return values;
    }

    /** A registered record made by its canonical constructor. */
    static Record newRecord(final Class<?> type, final Object[] values)
    {
        final RecordComponent[] components = type.getRecordComponents();
        if (components.length != values.length)
        {
            throw new Malformed(type.getName() + " has " + components.length + " components, the message " +
                values.length);
        }
        final Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++)
        {
            types[i] = components[i].getType();
        }
        try
        {
            final Constructor<?> constructor = type.getDeclaredConstructor(types);
            return (Record)constructor.newInstance(values);
        }
        catch (final InvocationTargetException ex)
        {
            throw new Malformed("the constructor of " + type.getName() + " refused the message's components: " +
                ex.getCause(), ex.getCause());
        }
        catch (final ReflectiveOperationException | IllegalArgumentException ex)
        {
            throw new Malformed("cannot make a " + type.getName() + " from the message's components: " + ex, ex);
        }
    }

    private static Class<?> load(final String name)
    {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        try
        {
            return Class.forName(name, false, context != null ? context : RegisteredTypes.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            try
            {
                return Class.forName(name, false, RegisteredTypes.class.getClassLoader());
            }
            catch (final ClassNotFoundException again)
            {
                throw new Malformed("the registered class " + name + " is not on this process's class path", again);
            }
        }
    }
}
