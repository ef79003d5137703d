package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.Attachable;

import java.util.Objects;

/**
 * A region that hands out dicts, lists and namespaces by name, for code written against Python's
 * {@code with Manager() as m: d = m.dict()}. There is no manager process: the structures live in the region, and
 * {@link #dict(String)} and its siblings open the named structure or create it (with default sizes unless given).
 * The manager serializes as its region's handle, so a task that captures it works in a child process.
 * <p>
 * Lifetime is the region's: the creator's {@link #close()} removes a temporary region (the default); other processes
 * close only their mapping.
 */
public final class SharedManager implements AutoCloseable, Attachable
{
    private static final long serialVersionUID = 1L;

    /** Most entries or elements of a structure created without sizes (fewer in a small manager). */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Most data bytes of a structure created without sizes (fewer in a small manager). */
    public static final int DEFAULT_DATA_BYTES = 1 << 20;
    /**
     * A structure created without sizes takes at most one {@value}th of the manager's region, so that a small
     * manager holds several: a 1 MiB manager about seven, each of about 100 KiB and 1,024 entries.
     */
    public static final int DEFAULT_SHARE = 8;
    /** Most bytes of encoded state of a managed object created without a size (fewer in a small manager). */
    public static final int DEFAULT_OBJECT_BYTES = 64 << 10;
    private static final int MIN_DATA_BYTES = 4096;
    private static final int MIN_CAPACITY = 16;
    /** Data bytes per entry a default capacity assumes; a structure also takes 8 bytes per entry and 512. */
    private static final int BYTES_PER_ENTRY = 64;

    private final SharedRegion region;

    private SharedManager(final SharedRegion region)
    {
        this.region = Objects.requireNonNull(region, "region");
    }

    /**
     * Creates a manager on a new temporary region in the default directory.
     *
     * @param name  the region's name.
     * @param bytes the region's size: room for the structures (each takes about its data bytes plus 8 bytes per
     *              entry of capacity plus 512).
     * @return the manager.
     */
    public static SharedManager create(final String name, final long bytes)
    {
        return new SharedManager(SharedRegion.create(name, bytes));
    }

    /**
     * Creates a manager on a new region.
     *
     * @param name    the region's name.
     * @param bytes   the region's size.
     * @param options directory, persistence, timeout.
     * @return the manager.
     */
    public static SharedManager create(final String name, final long bytes, final RegionOptions options)
    {
        return new SharedManager(SharedRegion.create(name, bytes, options));
    }

    /**
     * Opens the manager another process created.
     *
     * @param name    the region's name.
     * @param options directory and timeout.
     * @return the manager.
     */
    public static SharedManager open(final String name, final RegionOptions options)
    {
        return new SharedManager(SharedRegion.open(name, options));
    }

    /**
     * Opens the manager of this name, or creates it on a new region when there is none. A region whose creator died
     * before finishing it is replaced (see {@link SharedRegion#openOrCreate}).
     *
     * @param name    the region's name.
     * @param bytes   the region's size, when creating.
     * @param options directory, persistence, timeout.
     * @return the manager.
     */
    public static SharedManager openOrCreate(final String name, final long bytes, final RegionOptions options)
    {
        return new SharedManager(SharedRegion.openOrCreate(name, bytes, options));
    }

    /**
     * A manager over an existing region.
     *
     * @param region the region.
     * @return the manager.
     */
    public static SharedManager of(final SharedRegion region)
    {
        return new SharedManager(region);
    }

    /**
     * The dict of this name, of mixed keys and values, created with {@link #defaultCapacity()} entries and
     * {@link #defaultDataBytes()} if absent: Python's {@code m.dict()}.
     *
     * @param name the dict's name.
     * @return the dict.
     */
    public SharedDict<Object, Object> dict(final String name)
    {
        return SharedDict.openOrCreate(region, name, defaultCapacity(), defaultDataBytes());
    }

    /**
     * The dict of this name, created with these codecs and sizes if absent.
     *
     * @param name      the dict's name.
     * @param keys      the key codec.
     * @param values    the value codec.
     * @param capacity  most entries, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the dict.
     */
    public <K, V> SharedDict<K, V> dict(
        final String name, final Codec<K> keys, final Codec<V> values, final int capacity, final int dataBytes)
    {
        return SharedDict.openOrCreate(region, name, keys, values, capacity, dataBytes);
    }

    /**
     * The list of this name, of mixed elements, created with default sizes if absent: Python's {@code m.list()}.
     *
     * @param name the list's name.
     * @return the list.
     */
    public SharedList<Object> list(final String name)
    {
        return SharedList.openOrCreate(region, name, defaultCapacity(), defaultDataBytes());
    }

    /**
     * The list of this name, created with this codec and these sizes if absent.
     *
     * @param name      the list's name.
     * @param codec     the element codec.
     * @param capacity  most elements, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <E>       the element type.
     * @return the list.
     */
    public <E> SharedList<E> list(final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return SharedList.openOrCreate(region, name, codec, capacity, dataBytes);
    }

    /**
     * The namespace of this name, created with default sizes if absent: Python's {@code m.Namespace()}.
     *
     * @param name the namespace's name.
     * @return the namespace.
     */
    public SharedNamespace namespace(final String name)
    {
        return SharedNamespace.openOrCreate(region, name, defaultCapacity(), defaultDataBytes());
    }

    /**
     * The managed object of this name, of an application's type, created with its type's first state and room for
     * {@link #DEFAULT_OBJECT_BYTES} of encoded state (at most {@link #defaultDataBytes()}) if absent: Python's
     * {@code manager.Counter()} after {@code register('Counter', ..)}.
     *
     * @param name the object's name.
     * @param type its type.
     * @param <T>  the state type.
     * @return the object.
     * @throws IllegalStateException when the object exists with another type.
     */
    public <T> ManagedObject<T> object(final String name, final ManagedType<T> type)
    {
        return ManagedObject.openOrCreate(region, name, type, Math.min(DEFAULT_OBJECT_BYTES, defaultDataBytes()));
    }

    /**
     * The managed object of this name, created with its type's first state and room for {@code dataBytes} of encoded
     * state if absent.
     *
     * @param name      the object's name.
     * @param type      its type.
     * @param dataBytes most bytes its encoded state may take, when creating.
     * @param <T>       the state type.
     * @return the object.
     */
    public <T> ManagedObject<T> object(final String name, final ManagedType<T> type, final int dataBytes)
    {
        return ManagedObject.openOrCreate(region, name, type, dataBytes);
    }

    /**
     * The set of this name, of mixed elements, created with default sizes if absent: Python 3.14's {@code m.set()}.
     *
     * @param name the set's name.
     * @return the set.
     */
    public SharedSet<Object> set(final String name)
    {
        return SharedSet.openOrCreate(region, name, Codecs.standard(), defaultCapacity(), defaultDataBytes());
    }

    /**
     * The set of this name, created with this codec and these sizes if absent.
     *
     * @param name      the set's name.
     * @param codec     the element codec.
     * @param capacity  most elements, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <E>       the element type.
     * @return the set.
     */
    public <E> SharedSet<E> set(final String name, final Codec<E> codec, final int capacity, final int dataBytes)
    {
        return SharedSet.openOrCreate(region, name, codec, capacity, dataBytes);
    }

    /**
     * Data bytes of a structure created without sizes: {@link #DEFAULT_DATA_BYTES}, or less in a manager whose
     * region is smaller than {@link #DEFAULT_SHARE} such structures.
     *
     * @return the data bytes.
     */
    public int defaultDataBytes()
    {
        // Four fifths of the share for data; the rest covers the entry table (8 bytes an entry) and the header.
        final long share = region.length() / DEFAULT_SHARE;
        return (int)Math.max(MIN_DATA_BYTES, Math.min(DEFAULT_DATA_BYTES, share * 4 / 5));
    }

    /**
     * Entries or elements of a structure created without sizes: {@link #DEFAULT_CAPACITY}, or fewer when
     * {@link #defaultDataBytes()} is small.
     *
     * @return the capacity.
     */
    public int defaultCapacity()
    {
        return Math.max(MIN_CAPACITY, Math.min(DEFAULT_CAPACITY, defaultDataBytes() / BYTES_PER_ENTRY));
    }

    /**
     * The region that holds the structures.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return region;
    }

    /**
     * Closes the region: the creator of a temporary region also removes it.
     */
    @Override
    public void close()
    {
        region.close();
    }

    @Override
    public String toString()
    {
        return "SharedManager{" + region + "}";
    }
}
