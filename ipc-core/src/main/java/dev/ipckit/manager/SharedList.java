package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A list in a shared region that every process can use, Python's {@code Manager().list()} without the manager
 * process: each operation takes the list's lock (a {@link SharedRLock} in the same region) and works on the list in
 * shared memory. Every method is atomic.
 * <p>
 * <b>Values are copied.</b> Elements are encoded by a {@link Codec} ({@link Codecs#standard()} for the simple
 * factories) and decoded into new objects on the way out: changing an element you read changes nothing shared.
 * {@link #indexOf}, {@link #contains} and {@link #remove(Object)} compare encoded bytes.
 * <p>
 * <b>What {@code List} cannot promise here.</b> {@link #iterator()} and {@link #listIterator()} walk a snapshot taken
 * under the lock and cannot change the list; {@link #subList} throws {@link UnsupportedOperationException} (a view
 * whose indices other processes shift is meaningless; use {@code snapshot().subList(..)}). {@link #size()} reads the
 * count without the lock. {@code null} is rejected with {@link NullPointerException}. {@link #get} and {@link #set}
 * take constant time; inserting or removing anywhere but at the end copies the index (4 bytes per element), as
 * Python's list moves its pointers.
 * <p>
 * <b>Capacity.</b> A list has room for {@code capacity} elements and a data area of {@code dataBytes}, in 64-byte
 * blocks of which 60 carry data; an element of n encoded bytes takes {@code ceil((n + 4) / 60)} blocks. Replacing an
 * element needs room for the new one while the old one still exists. A change that does not fit throws
 * {@link IllegalStateException} naming the list, the call and the free space, and leaves the list unchanged. The
 * list takes about {@code dataBytes + 8 x capacity + 512} bytes of its region.
 * <p>
 * <b>Process death.</b> As for {@link SharedDict}: a process killed in the middle of a change leaves the list
 * consistent, and the next process to take the lock completes a committed change first.
 * <p>
 * The list serializes as a handle, so a task that captures it works on the same list in a child process.
 *
 * @param <E> the element type.
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess, AutoCloseable, Attachable
{
    // Why this class is long (about 730 lines): it is the List contract with its bulk operations (addAll at an index,
    // sort, replaceAll, removeIf) each one atomic step under the list's lock, 37 public members with their javadoc.
    // The table itself lives apart: ListTable, Blocks, RedoLog, TableView, Encoded.

    private static final long serialVersionUID = 1L;

    private final transient Codec<E> codec;
    private final transient ListTable table;
    private final transient TableView view;
    private final transient String description;

    private SharedList(
        final SharedRegion region, final RegionEntry entry, final Codec<E> codec, final WaitStrategy waitStrategy)
    {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.description = TableView.describe("SharedList", region, entry);
        this.table = new ListTable(region.buffer(), entry.offset(), description, region.path());
        this.view = new TableView(region, entry, description, table, waitStrategy);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Creating and opening

    /**
     * Creates an empty list; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the list's name in the region.
     * @param codec     encodes the elements.
     * @param capacity  most elements, 1 to 2^26.
     * @param dataBytes bytes of the data area that holds the encoded elements.
     * @param <E>       the element type.
     * @return the list.
     */
    public static <E> SharedList<E> create(
        final SharedRegion region, final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return of(region, TableObjects.create(region, name, ObjectType.LIST, capacity, dataBytes), codec);
    }

    /**
     * Creates an empty list of mixed elements ({@link Codecs#standard()}), Python's {@code Manager().list()}; fails
     * if the name exists.
     *
     * @param region    the region.
     * @param name      the list's name in the region.
     * @param capacity  most elements.
     * @param dataBytes bytes of the data area.
     * @return the list.
     */
    public static SharedList<Object> create(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return create(region, name, Codecs.standard(), capacity, dataBytes);
    }

    /**
     * Opens an existing list.
     *
     * @param region the region.
     * @param name   the list's name.
     * @param codec  decodes the elements (must match the creator's).
     * @param <E>    the element type.
     * @return the list.
     */
    public static <E> SharedList<E> open(final SharedRegion region, final String name, final Codec<E> codec)
    {
        return of(region, TableObjects.open(region, name, ObjectType.LIST), codec);
    }

    /**
     * Opens an existing list of mixed elements ({@link Codecs#standard()}).
     *
     * @param region the region.
     * @param name   the list's name.
     * @return the list.
     */
    public static SharedList<Object> open(final SharedRegion region, final String name)
    {
        return open(region, name, Codecs.standard());
    }

    /**
     * Opens the list, or creates it empty; the sizes apply only when creating.
     *
     * @param region    the region.
     * @param name      the list's name.
     * @param codec     encodes the elements.
     * @param capacity  most elements, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <E>       the element type.
     * @return the list.
     */
    public static <E> SharedList<E> openOrCreate(
        final SharedRegion region, final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return of(region, TableObjects.openOrCreate(region, name, ObjectType.LIST, capacity, dataBytes), codec);
    }

    /**
     * Opens the list of mixed elements, or creates it empty; the sizes apply only when creating.
     *
     * @param region    the region.
     * @param name      the list's name.
     * @param capacity  most elements, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @return the list.
     */
    public static SharedList<Object> openOrCreate(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return openOrCreate(region, name, Codecs.standard(), capacity, dataBytes);
    }

    private static <E> SharedList<E> of(final SharedRegion region, final RegionEntry entry, final Codec<E> codec)
    {
        return new SharedList<>(region, entry, codec, WaitStrategy.backoff());
    }

    /**
     * The same list, waiting for its lock with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same list.
     */
    public SharedList<E> withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedList<>(view.region, view.entry, codec, strategy);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    @Override
    public E get(final int index)
    {
        final Scratch scratch = Scratch.current();
        acquire();
        try
        {
            Objects.checkIndex(index, table.size());
            table.read(table.element(index), scratch.out);
        }
        finally
        {
            release();
        }
        return scratch.out.decode(codec, description);
    }

    /**
     * The number of elements, read without the lock.
     *
     * @return the size.
     */
    @Override
    public int size()
    {
        view.ensureOpen();
        return table.sizeVolatile();
    }

    @Override
    public boolean isEmpty()
    {
        return size() == 0;
    }

    @Override
    public int indexOf(final Object element)
    {
        return find(element, true);
    }

    @Override
    public int lastIndexOf(final Object element)
    {
        return find(element, false);
    }

    @Override
    public boolean contains(final Object element)
    {
        return indexOf(element) >= 0;
    }

    /**
     * A copy of the elements, taken under the lock: yours to change.
     *
     * @return a new list.
     */
    public List<E> snapshot()
    {
        acquire();
        try
        {
            return snapshotLocked();
        }
        finally
        {
            release();
        }
    }

    /**
     * An iterator over a snapshot; it does not change the list.
     */
    @Override
    public Iterator<E> iterator()
    {
        return Collections.unmodifiableList(snapshot()).iterator();
    }

    /**
     * An iterator over a snapshot; it does not change the list.
     */
    @Override
    public ListIterator<E> listIterator()
    {
        return listIterator(0);
    }

    /**
     * An iterator over a snapshot, from {@code index}; it does not change the list.
     */
    @Override
    public ListIterator<E> listIterator(final int index)
    {
        return Collections.unmodifiableList(snapshot()).listIterator(index);
    }

    /**
     * Not supported: other processes shift the indices a view would hold. Use {@code snapshot().subList(..)}.
     *
     * @throws UnsupportedOperationException always.
     */
    @Override
    public List<E> subList(final int fromIndex, final int toIndex)
    {
        throw new UnsupportedOperationException(
            description + ": subList would be a view whose indices other processes shift; use snapshot().subList(" +
            fromIndex + ", " + toIndex + ")");
    }

    @Override
    public Object[] toArray()
    {
        return snapshot().toArray();
    }

    @Override
    public <T> T[] toArray(final T[] array)
    {
        return snapshot().toArray(array);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writing

    /**
     * Appends an element: Python's {@code append}.
     *
     * @return true.
     * @throws IllegalArgumentException when the codec cannot encode it.
     * @throws IllegalStateException    when the list or its data area is full (the list is unchanged).
     */
    @Override
    public boolean add(final E element)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, element);
        acquire();
        try
        {
            table.stageInsert(table.size(), scratch.value, "add");
            table.commit();
            return true;
        }
        finally
        {
            release();
        }
    }

    /**
     * Inserts an element at {@code index}, shifting later ones: Python's {@code insert}.
     *
     * @throws IllegalStateException when the list or its data area is full (the list is unchanged).
     */
    @Override
    public void add(final int index, final E element)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, element);
        acquire();
        try
        {
            Objects.checkIndex(index, table.size() + 1);
            table.stageInsert(index, scratch.value, "add(index)");
            table.commit();
        }
        finally
        {
            release();
        }
    }

    /**
     * Replaces element {@code index}.
     *
     * @return the previous element.
     * @throws IllegalStateException when the data area cannot hold the new element next to the old one.
     */
    @Override
    public E set(final int index, final E element)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, element);
        acquire();
        try
        {
            Objects.checkIndex(index, table.size());
            table.read(table.element(index), scratch.out);
            table.stageSet(index, scratch.value, "set");
            table.commit();
        }
        finally
        {
            release();
        }
        return scratch.out.decode(codec, description);
    }

    /**
     * Removes element {@code index}: Python's {@code pop(index)}.
     *
     * @return the removed element.
     */
    @Override
    public E remove(final int index)
    {
        final Scratch scratch = Scratch.current();
        acquire();
        try
        {
            Objects.checkIndex(index, table.size());
            table.read(table.element(index), scratch.out);
            table.stageRemove(index);
            table.commit();
        }
        finally
        {
            release();
        }
        return scratch.out.decode(codec, description);
    }

    /**
     * Removes the first element encoded as {@code element} is: Python's {@code remove}.
     *
     * @return whether one was found.
     */
    @Override
    public boolean remove(final Object element)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.value, element))
        {
            return false;
        }
        acquire();
        try
        {
            final int index = table.indexOf(scratch.value, 0, 1);
            if (index < 0)
            {
                return false;
            }
            table.stageRemove(index);
            table.commit();
            return true;
        }
        finally
        {
            release();
        }
    }

    /**
     * Appends every element, under one hold of the lock, after checking that all fit: Python's {@code extend}.
     * Other processes see all of them or none (unless this process dies in the middle: then a prefix).
     *
     * @throws IllegalStateException when they do not all fit (the list is unchanged).
     */
    @Override
    public boolean addAll(final Collection<? extends E> elements)
    {
        return addAll(-1, elements);
    }

    /**
     * Inserts every element at {@code index}, as {@link #addAll(Collection)} appends them.
     */
    @Override
    public boolean addAll(final int index, final Collection<? extends E> elements)
    {
        final Scratch scratch = Scratch.current();
        long blocks = 0;
        for (final E element : elements)
        {
            blocks += ListTable.blocksOf(encode(scratch, element).length());
        }
        acquire();
        try
        {
            final int at = index < 0 ? table.size() : index;
            Objects.checkIndex(at, table.size() + 1);
            final String noRoom = table.room(elements.size(), blocks);
            if (noRoom != null)
            {
                throw new IllegalStateException(description + " is full: addAll of " + elements.size() +
                    " elements does not fit: " + noRoom);
            }
            int i = at;
            for (final E element : elements)
            {
                table.stageInsert(i++, encode(scratch, element), "addAll");
                table.commit();
            }
            return !elements.isEmpty();
        }
        finally
        {
            release();
        }
    }

    /**
     * Removes every element.
     */
    @Override
    public void clear()
    {
        acquire();
        try
        {
            table.clear();
        }
        finally
        {
            release();
        }
    }

    /**
     * Sorts the list under one hold of the lock: the elements are decoded and compared in this process, then the
     * new order replaces the old in one committed step (no element is rewritten).
     *
     * @param comparator the order, null for the elements' natural order.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void sort(final Comparator<? super E> comparator)
    {
        final Comparator<? super E> order = comparator != null ? comparator : (a, b) -> ((Comparable<E>)a).compareTo(b);
        acquire();
        try
        {
            final List<E> elements = snapshotLocked();
            final List<Integer> indices = new ArrayList<>(elements.size());
            for (int i = 0; i < elements.size(); i++)
            {
                indices.add(i);
            }
            indices.sort((a, b) -> order.compare(elements.get(a), elements.get(b)));
            final int[] permutation = new int[indices.size()];
            for (int i = 0; i < permutation.length; i++)
            {
                permutation[i] = indices.get(i);
            }
            table.stageReorder(permutation);
            table.commit();
        }
        finally
        {
            release();
        }
    }

    /**
     * Replaces each element by the operator's result, under one hold of the lock (the operator runs here).
     */
    @Override
    public void replaceAll(final UnaryOperator<E> operator)
    {
        Objects.requireNonNull(operator, "operator");
        acquire();
        try
        {
            final List<E> elements = snapshotLocked();
            for (int i = 0; i < elements.size(); i++)
            {
                final Scratch scratch = Scratch.current();
                encode(scratch, operator.apply(elements.get(i)));
                table.stageSet(i, scratch.value, "replaceAll");
                table.commit();
            }
        }
        finally
        {
            release();
        }
    }

    /**
     * Removes the elements the filter accepts, under one hold of the lock (the filter runs here).
     */
    @Override
    public boolean removeIf(final Predicate<? super E> filter)
    {
        Objects.requireNonNull(filter, "filter");
        acquire();
        try
        {
            final List<E> elements = snapshotLocked();
            boolean removed = false;
            for (int i = elements.size() - 1; i >= 0; i--)
            {
                if (filter.test(elements.get(i)))
                {
                    table.stageRemove(i);
                    table.commit();
                    removed = true;
                }
            }
            return removed;
        }
        finally
        {
            release();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facts

    /**
     * The list's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return view.name();
    }

    /**
     * The region that holds the list.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return view.region;
    }

    /**
     * The list's lock, a reentrant {@link SharedRLock}: hold it to make several operations one step for other
     * processes.
     *
     * @return the lock.
     */
    public SharedRLock getLock()
    {
        return view.lock();
    }

    /**
     * The most elements the list holds.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return table.capacity();
    }

    /**
     * Bytes of element data the data area can still take (60 per free block), read under the lock.
     *
     * @return free data bytes.
     */
    public long freeDataBytes()
    {
        return view.freeDataBytes();
    }

    /**
     * Closes this view: later calls on it throw {@link IllegalStateException}. The list stays in its region.
     */
    @Override
    public void close()
    {
        view.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    /** Checks the table's invariants under the lock (see {@link ListTable#verify()}); for tests and tools. */
    String verify()
    {
        return view.verify();
    }

    ListTable table()
    {
        return table;
    }

    void acquire()
    {
        view.acquire();
    }

    void release()
    {
        view.release();
    }

    private int find(final Object element, final boolean first)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.value, element))
        {
            return -1;
        }
        acquire();
        try
        {
            return first ? table.indexOf(scratch.value, 0, 1) : table.indexOf(scratch.value, table.size() - 1, -1);
        }
        finally
        {
            release();
        }
    }

    private List<E> snapshotLocked()
    {
        final Scratch scratch = Scratch.current();
        final int size = table.size();
        final List<E> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            table.read(table.element(i), scratch.out);
            copy.add(scratch.out.decode(codec, description));
        }
        return copy;
    }

    private Encoded encode(final Scratch scratch, final E element)
    {
        return scratch.value.encode(codec, Objects.requireNonNull(element, "element"), description, "element");
    }

    private boolean tryEncode(final Encoded into, final Object element)
    {
        return view.tryEncode(into, codec, element, "element");
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return view.handle(ManagedHandle.Kind.LIST, null, codec);
    }
}
