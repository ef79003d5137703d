package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A set in a shared region, Python 3.14's {@code SyncManager.set()}: {@code add}, {@code remove} ({@code discard}),
 * {@code contains}, {@code size} and iteration from any process, each operation atomic under the set's lock. It is
 * a {@link SharedDict} whose values are all {@code true}, under its own type ({@code SET}), so {@code ./ipckit ls}
 * and other processes see a set.
 * <pre>{@code
 * try (SharedManager manager = SharedManager.create("jobs", 8 << 20)) {
 *     SharedSet<Object> seen = manager.set("seen");   // Python's m.set()
 *     if (seen.add(url)) fetch(url);                   // true for the one process that added it first
 * }
 * }</pre>
 * Iterators walk a snapshot taken under the lock (as {@link SharedDict}'s do): another process's changes after it
 * are not seen, and {@code Iterator.remove} removes from the set. The set travels to other processes as a handle.
 *
 * @param <E> the element type.
 */
public final class SharedSet<E> extends AbstractSet<E> implements AutoCloseable, Attachable
{
    private static final long serialVersionUID = 1L;

    private final transient SharedDict<E, Boolean> members;

    private SharedSet(final SharedDict<E, Boolean> members)
    {
        this.members = members;
    }

    /**
     * Creates a set; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the set's name.
     * @param codec     the element codec.
     * @param capacity  most elements.
     * @param dataBytes bytes of the data area (encoded elements).
     * @param <E>       the element type.
     * @return the set.
     */
    public static <E> SharedSet<E> create(
        final SharedRegion region, final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return new SharedSet<>(SharedDict.set(region, TableObjects.create(region, name, ObjectType.SET, capacity,
            dataBytes), codec));
    }

    /**
     * Creates a set of mixed elements (the standard codec); fails if the name exists.
     *
     * @param region    the region.
     * @param name      the set's name.
     * @param capacity  most elements.
     * @param dataBytes bytes of the data area.
     * @return the set.
     */
    public static SharedSet<Object> create(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return create(region, name, Codecs.standard(), capacity, dataBytes);
    }

    /**
     * Opens an existing set.
     *
     * @param region the region.
     * @param name   the set's name.
     * @param codec  the element codec it was created with.
     * @param <E>    the element type.
     * @return the set.
     */
    public static <E> SharedSet<E> open(final SharedRegion region, final String name, final Codec<E> codec)
    {
        return new SharedSet<>(SharedDict.set(region, TableObjects.open(region, name, ObjectType.SET), codec));
    }

    /**
     * Opens an existing set of mixed elements.
     *
     * @param region the region.
     * @param name   the set's name.
     * @return the set.
     */
    public static SharedSet<Object> open(final SharedRegion region, final String name)
    {
        return open(region, name, Codecs.standard());
    }

    /**
     * Opens the set, or creates it.
     *
     * @param region    the region.
     * @param name      the set's name.
     * @param codec     the element codec.
     * @param capacity  most elements, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <E>       the element type.
     * @return the set.
     */
    public static <E> SharedSet<E> openOrCreate(
        final SharedRegion region, final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return new SharedSet<>(SharedDict.set(region, TableObjects.openOrCreate(region, name, ObjectType.SET, capacity,
            dataBytes), codec));
    }

    /**
     * The same set, waiting for its lock with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same set.
     */
    public SharedSet<E> withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedSet<>(members.withWaitStrategy(strategy));
    }

    /**
     * Adds an element, Python's {@code add}.
     *
     * @param element the element, not null.
     * @return true when it was not there (in any process) before.
     * @throws IllegalStateException when the set is full (its capacity or data bytes).
     */
    @Override
    public boolean add(final E element)
    {
        return members.putIfAbsent(element, Boolean.TRUE) == null;
    }

    /**
     * Removes an element, Python's {@code discard} ({@code remove} raises {@code KeyError} when absent; here the
     * result says whether it was there).
     *
     * @param element the element.
     * @return true when it was there.
     */
    @Override
    public boolean remove(final Object element)
    {
        return members.remove(element) != null;
    }

    @Override
    public boolean contains(final Object element)
    {
        return members.containsKey(element);
    }

    @Override
    public int size()
    {
        return members.size();
    }

    @Override
    public void clear()
    {
        members.clear();
    }

    /**
     * Iterates a snapshot of the elements; {@code remove} removes from the set.
     *
     * @return the iterator.
     */
    @Override
    public Iterator<E> iterator()
    {
        final Iterator<E> snapshot = snapshot().iterator();
        return new Iterator<>()
        {
            private E last;
            private boolean removable;

            @Override
            public boolean hasNext()
            {
                return snapshot.hasNext();
            }

            @Override
            public E next()
            {
                last = snapshot.next();
                removable = true;
                return last;
            }

            @Override
            public void remove()
            {
                if (!removable)
                {
                    throw new IllegalStateException("next() first, and remove() once per element");
                }
                removable = false;
                members.remove(last);
            }
        };
    }

    /**
     * The elements now, as a copy.
     *
     * @return the elements.
     */
    public Set<E> snapshot()
    {
        return members.snapshot().keySet();
    }

    /**
     * @return the set's name in its region.
     */
    public String name()
    {
        return members.name();
    }

    /**
     * @return the region that holds the set.
     */
    public SharedRegion region()
    {
        return members.region();
    }

    /**
     * The set's lock, for several operations that must happen together.
     *
     * @return the lock.
     */
    public SharedRLock getLock()
    {
        return members.getLock();
    }

    @Override
    public void close()
    {
        members.close();
    }

    @Override
    public String toString()
    {
        return "SharedSet '" + name() + "'" + snapshot();
    }

    String verify()
    {
        return members.verify();
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return new ManagedHandle(members.region(), members.name(), ManagedHandle.Kind.SET, null, members.keyCodec(),
            members.getLock().waitStrategy());
    }
}
