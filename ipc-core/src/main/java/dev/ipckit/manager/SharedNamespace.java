package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Named attributes every process can read and set, Python's {@code Manager().Namespace()}: {@code ns.x = 1} is
 * {@code ns.set("x", 1)}, {@code ns.x} is {@code ns.get("x")}. Values go through {@link Codecs#standard()}
 * (numbers, strings, byte arrays, buffers, {@code BytesMarshallable}) and are copied in and out. Each call is atomic;
 * the attributes live in a {@link SharedDict} table of type NAMESPACE, with the same capacity rules and the same
 * behaviour when a process dies. {@link #names()} and {@link #toMap()} are snapshots in the order the names were
 * first set. The namespace serializes as a handle, so a task that captures it works in a child process.
 */
public final class SharedNamespace implements AutoCloseable, Attachable
{
    private static final long serialVersionUID = 1L;

    private final transient SharedDict<String, Object> attributes;

    private SharedNamespace(final SharedDict<String, Object> attributes)
    {
        this.attributes = attributes;
    }

    /**
     * Creates an empty namespace; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the namespace's name in the region.
     * @param capacity  most attributes.
     * @param dataBytes bytes of the data area that holds the encoded names and values.
     * @return the namespace.
     */
    public static SharedNamespace create(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return new SharedNamespace(SharedDict.namespace(
            region, TableObjects.create(region, name, ObjectType.NAMESPACE, capacity, dataBytes)));
    }

    /**
     * Opens an existing namespace.
     *
     * @param region the region.
     * @param name   the namespace's name.
     * @return the namespace.
     */
    public static SharedNamespace open(final SharedRegion region, final String name)
    {
        return new SharedNamespace(SharedDict.namespace(region, TableObjects.open(region, name, ObjectType.NAMESPACE)));
    }

    /**
     * Opens the namespace, or creates it empty; the sizes apply only when creating.
     *
     * @param region    the region.
     * @param name      the namespace's name.
     * @param capacity  most attributes, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @return the namespace.
     */
    public static SharedNamespace openOrCreate(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return new SharedNamespace(SharedDict.namespace(
            region, TableObjects.openOrCreate(region, name, ObjectType.NAMESPACE, capacity, dataBytes)));
    }

    /**
     * The same namespace, waiting for its lock with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same namespace.
     */
    public SharedNamespace withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedNamespace(attributes.withWaitStrategy(strategy));
    }

    /**
     * Sets an attribute: Python's {@code ns.name = value}.
     *
     * @param name  the attribute's name.
     * @param value its value, not null.
     * @throws IllegalArgumentException when the standard codec cannot encode the value.
     * @throws IllegalStateException    when the namespace or its data area is full (it is unchanged).
     */
    public void set(final String name, final Object value)
    {
        attributes.set(name, value);
    }

    /**
     * An attribute's value: Python's {@code ns.name}.
     *
     * @param name the attribute's name.
     * @return a copy of its value.
     * @throws NoSuchElementException when the namespace has no such attribute (Python's {@code AttributeError}).
     */
    public Object get(final String name)
    {
        final Object value = attributes.get(Objects.requireNonNull(name, "name"));
        if (value == null)
        {
            throw new NoSuchElementException("SharedNamespace '" + name() + "' has no attribute '" + name + "'");
        }
        return value;
    }

    /**
     * An attribute's value, of a type you expect.
     *
     * @param name the attribute's name.
     * @param type the value's class, e.g. {@code Long.class}.
     * @param <T>  the type.
     * @return a copy of its value.
     * @throws NoSuchElementException when the namespace has no such attribute.
     * @throws ClassCastException     when the value is of another type.
     */
    public <T> T get(final String name, final Class<T> type)
    {
        return type.cast(get(name));
    }

    /**
     * An attribute's value, if it is set: Python's {@code getattr(ns, name, None)}.
     *
     * @param name the attribute's name.
     * @return a copy of its value, or empty.
     */
    public Optional<Object> find(final String name)
    {
        return Optional.ofNullable(attributes.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Whether an attribute is set: Python's {@code hasattr(ns, name)}.
     *
     * @param name the attribute's name.
     * @return true when set.
     */
    public boolean has(final String name)
    {
        return attributes.containsKey(Objects.requireNonNull(name, "name"));
    }

    /**
     * Removes an attribute: Python's {@code del ns.name}, without the error when it is missing.
     *
     * @param name the attribute's name.
     * @return whether it was set.
     */
    public boolean remove(final String name)
    {
        return attributes.remove(Objects.requireNonNull(name, "name")) != null;
    }

    /**
     * The attribute names, in the order they were first set: a snapshot.
     *
     * @return the names, unmodifiable.
     */
    public Set<String> names()
    {
        return attributes.keySet();
    }

    /**
     * Every attribute and its value, in the order they were first set: a snapshot, yours to change (Python's
     * {@code vars(ns)}, copied).
     *
     * @return a new map.
     */
    public Map<String, Object> toMap()
    {
        return attributes.snapshot();
    }

    /**
     * The number of attributes, read without the lock.
     *
     * @return the count.
     */
    public int size()
    {
        return attributes.size();
    }

    /**
     * The namespace's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return attributes.name();
    }

    /**
     * The region that holds the namespace.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return attributes.region();
    }

    /**
     * The namespace's lock, a reentrant {@link SharedRLock}: hold it to make several calls one step for other
     * processes, e.g. reading two attributes that belong together.
     *
     * @return the lock.
     */
    public SharedRLock getLock()
    {
        return attributes.getLock();
    }

    /**
     * Closes this view: later calls on it throw {@link IllegalStateException}. The namespace stays in its region.
     */
    @Override
    public void close()
    {
        attributes.close();
    }

    /**
     * Python's {@code Namespace(x=1, y='a')} repr: the name and a snapshot of the attributes.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        return "SharedNamespace '" + name() + "'" + toMap();
    }

    String verify()
    {
        return attributes.verify();
    }

    SharedDict<String, Object> attributes()
    {
        return attributes;
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return new ManagedHandle(attributes.region(), attributes.name(), ManagedHandle.Kind.NAMESPACE, null, null,
            attributes.getLock().waitStrategy());
    }
}
