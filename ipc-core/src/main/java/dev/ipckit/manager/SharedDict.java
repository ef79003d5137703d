package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map in a shared region that every process can use, Python's {@code Manager().dict()} without the manager
 * process: each operation takes the dict's lock (a {@link SharedRLock} in the same region), works on the table in
 * shared memory and releases it. A {@link ConcurrentMap}: every method is atomic, {@code compute} and {@code merge}
 * included (their function runs in the calling process, under the lock, so keep it short: every other process
 * using the dict waits for it, and it must not wait for a process that waits for this dict).
 * <p>
 * <b>Values are copied.</b> Keys and values are encoded by {@link Codec}s ({@link Codecs#standard()} for the simple
 * factories) into the region and decoded into new objects on the way out, so changing a value you read changes
 * nothing shared, as with Python's proxies. Keys are equal when their encoded bytes are, and
 * {@code remove(k, v)} and {@code replace(k, old, new)} compare values the same way (so {@code byte[]} values
 * compare by content, and {@code 1} and {@code 1L} are different keys). Iteration follows insertion order, as a
 * Python dict's does; replacing a value keeps its place.
 * <p>
 * <b>Snapshots.</b> {@link #keySet()}, {@link #values()}, {@link #entrySet()} and {@link #snapshot()} are copies
 * taken under the lock, not views: the first three are unmodifiable, and none changes when the dict does.
 * {@link #forEach} runs over such a copy, outside the lock. {@link #size()} reads the count without the lock.
 * {@code null} keys and values are rejected with {@link NullPointerException}, as by
 * {@link java.util.concurrent.ConcurrentHashMap}. Looking up a key the key codec cannot encode finds nothing.
 * <p>
 * <b>Capacity.</b> A dict has room for {@code capacity} entries and a data area of {@code dataBytes}, in 64-byte
 * blocks of which 60 carry data; an entry of n bytes (24 of header, the encoded key and value) takes
 * {@code ceil(n / 60)} blocks. Replacing a value needs room for the new entry while the old one still exists. A
 * change that does not fit throws {@link IllegalStateException} naming the dict, the call and the free space, and
 * leaves the dict unchanged. The dict takes about {@code dataBytes + 8 x capacity + 512} bytes of its region.
 * <p>
 * <b>Process death.</b> A process killed in the middle of an operation leaves the dict consistent: each change is
 * written into free space and recorded, then committed by one store, and the next process to take the lock (the
 * dead holder's lock is taken over within 100 ms) completes a committed change before doing anything else. Each
 * operation is atomic; a sequence of them under {@link #getLock()} is not rolled back when its process dies.
 * <p>
 * <b>Other processes.</b> The dict serializes as a handle (region, name, codecs, wait strategy), so a task that
 * captures it works on the same dict in a child process. Threads of one process may share a view.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class SharedDict<K, V> extends AbstractMap<K, V>
    implements ConcurrentMap<K, V>, AutoCloseable, Attachable
{
    // Why this class is long (about 930 lines): it is the ConcurrentMap contract with every default method
    // (compute, merge, putIfAbsent, replaceAll, ...) overridden as one atomic step under the dict's lock, 37 public
    // members with their javadoc. The table itself lives apart: DictTable, Blocks, RedoLog, TableView, Encoded.

    private static final long serialVersionUID = 1L;

    private final transient ObjectType type;
    private final transient Codec<K> keyCodec;
    private final transient Codec<V> valueCodec;
    private final transient DictTable table;
    private final transient TableView view;
    private final transient String description;

    private SharedDict(
        final SharedRegion region, final RegionEntry entry, final ObjectType type, final Codec<K> keyCodec,
        final Codec<V> valueCodec, final WaitStrategy waitStrategy)
    {
        this.type = type;
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
        this.description = TableView.describe(type == ObjectType.NAMESPACE ? "SharedNamespace" :
            type == ObjectType.SET ? "SharedSet" : type == ObjectType.OBJECT ? "ManagedObject" : "SharedDict",
            region, entry);
        this.table = new DictTable(region.buffer(), entry.offset(), description, region.path());
        this.view = new TableView(region, entry, description, table, waitStrategy);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Creating and opening

    /**
     * Creates an empty dict; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the dict's name in the region.
     * @param keys      encodes the keys.
     * @param values    encodes the values.
     * @param capacity  most entries, 1 to 2^26.
     * @param dataBytes bytes of the data area that holds the encoded entries.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the dict.
     */
    public static <K, V> SharedDict<K, V> create(
        final SharedRegion region, final String name, final Codec<K> keys, final Codec<V> values, final int capacity,
        final int dataBytes)
    {
        return of(region, TableObjects.create(region, name, ObjectType.DICT, capacity, dataBytes), keys, values);
    }

    /**
     * Creates an empty dict of mixed keys and values ({@link Codecs#standard()}: numbers, strings, byte arrays,
     * buffers, {@code BytesMarshallable}), Python's {@code Manager().dict()}; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the dict's name in the region.
     * @param capacity  most entries.
     * @param dataBytes bytes of the data area.
     * @return the dict.
     */
    public static SharedDict<Object, Object> create(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return create(region, name, Codecs.standard(), Codecs.standard(), capacity, dataBytes);
    }

    /**
     * Opens an existing dict.
     *
     * @param region the region.
     * @param name   the dict's name.
     * @param keys   decodes the keys (must match the creator's).
     * @param values decodes the values (must match the creator's).
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the dict.
     */
    public static <K, V> SharedDict<K, V> open(
        final SharedRegion region, final String name, final Codec<K> keys, final Codec<V> values)
    {
        return of(region, TableObjects.open(region, name, ObjectType.DICT), keys, values);
    }

    /**
     * Opens an existing dict of mixed keys and values ({@link Codecs#standard()}).
     *
     * @param region the region.
     * @param name   the dict's name.
     * @return the dict.
     */
    public static SharedDict<Object, Object> open(final SharedRegion region, final String name)
    {
        return open(region, name, Codecs.standard(), Codecs.standard());
    }

    /**
     * Opens the dict, or creates it empty; the sizes apply only when creating.
     *
     * @param region    the region.
     * @param name      the dict's name.
     * @param keys      encodes the keys.
     * @param values    encodes the values.
     * @param capacity  most entries, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the dict.
     */
    public static <K, V> SharedDict<K, V> openOrCreate(
        final SharedRegion region, final String name, final Codec<K> keys, final Codec<V> values, final int capacity,
        final int dataBytes)
    {
        return of(region, TableObjects.openOrCreate(region, name, ObjectType.DICT, capacity, dataBytes), keys, values);
    }

    /**
     * Opens the dict of mixed keys and values, or creates it empty; the sizes apply only when creating.
     *
     * @param region    the region.
     * @param name      the dict's name.
     * @param capacity  most entries, when creating.
     * @param dataBytes bytes of the data area, when creating.
     * @return the dict.
     */
    public static SharedDict<Object, Object> openOrCreate(
        final SharedRegion region, final String name, final int capacity, final int dataBytes)
    {
        return openOrCreate(region, name, Codecs.standard(), Codecs.standard(), capacity, dataBytes);
    }

    private static <K, V> SharedDict<K, V> of(
        final SharedRegion region, final RegionEntry entry, final Codec<K> keys, final Codec<V> values)
    {
        return new SharedDict<>(region, entry, ObjectType.DICT, keys, values, WaitStrategy.backoff());
    }

    /** The dict under a set: the set's element codec for keys, {@code true} for every value, the SET type. */
    static <E> SharedDict<E, Boolean> set(final SharedRegion region, final RegionEntry entry, final Codec<E> elements)
    {
        return new SharedDict<>(region, entry, ObjectType.SET, elements, MemberCodec.INSTANCE, WaitStrategy.backoff());
    }

    /** The key codec, for the handle of a set. */
    Codec<K> keyCodec()
    {
        return keyCodec;
    }

    /** The dict under a managed object: one entry, the type id and the state in the type's codec; the OBJECT type. */
    static <V> SharedDict<String, V> object(final SharedRegion region, final RegionEntry entry, final Codec<V> state)
    {
        return new SharedDict<>(region, entry, ObjectType.OBJECT, Codecs.string(), state, WaitStrategy.backoff());
    }

    static SharedDict<String, Object> namespace(final SharedRegion region, final RegionEntry entry)
    {
        return new SharedDict<>(region, entry, ObjectType.NAMESPACE, Codecs.string(), Codecs.standard(),
            WaitStrategy.backoff());
    }

    /**
     * The same dict, waiting for its lock with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same dict.
     */
    public SharedDict<K, V> withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedDict<>(view.region, view.entry, type, keyCodec, valueCodec, strategy);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    @Override
    public V get(final Object key)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.key, keyCodec, key, "key"))
        {
            return null;
        }
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0)
            {
                return null;
            }
            table.readValue(found, scratch.out);
        }
        finally
        {
            view.release();
        }
        return scratch.out.decode(valueCodec, description);
    }

    @Override
    public boolean containsKey(final Object key)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.key, keyCodec, key, "key"))
        {
            return false;
        }
        acquire();
        try
        {
            return table.find(scratch.key) != 0;
        }
        finally
        {
            view.release();
        }
    }

    /**
     * Whether some key maps to a value whose encoding is {@code value}'s: a scan of every entry.
     *
     * @param value the value.
     * @return true when found.
     */
    @Override
    public boolean containsValue(final Object value)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.value, valueCodec, value, "value"))
        {
            return false;
        }
        acquire();
        try
        {
            for (int at = table.first(); at != 0; at = table.next(at))
            {
                if (table.valueEquals(at, scratch.value))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            view.release();
        }
    }

    /**
     * The number of entries, read without the lock.
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

    // ---------------------------------------------------------------------------------------------------------------
    // Writing

    /**
     * Maps {@code key} to {@code value}.
     *
     * @return the previous value, or null.
     * @throws IllegalArgumentException when a codec cannot encode the key or value.
     * @throws IllegalStateException    when the dict or its data area is full (the dict is unchanged).
     */
    @Override
    public V put(final K key, final V value)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, key, value);
        final boolean replaced;
        acquire();
        try
        {
            replaced = store(scratch, true, "put");
        }
        finally
        {
            view.release();
        }
        return replaced ? scratch.out.decode(valueCodec, description) : null;
    }

    /**
     * Maps {@code key} to {@code value} without reading the previous value: Python's {@code d[key] = value}, the
     * cheaper {@link #put}.
     *
     * @param key   the key.
     * @param value the value.
     * @throws IllegalArgumentException when a codec cannot encode the key or value.
     * @throws IllegalStateException    when the dict or its data area is full (the dict is unchanged).
     */
    public void set(final K key, final V value)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, key, value);
        acquire();
        try
        {
            store(scratch, false, "set");
        }
        finally
        {
            view.release();
        }
    }

    /**
     * Copies every mapping of {@code map} in, under one hold of the lock: other processes see all of them or
     * none, unless one does not fit (the ones before it stay) or this process dies in the middle.
     */
    @Override
    public void putAll(final Map<? extends K, ? extends V> map)
    {
        final Scratch scratch = Scratch.current();
        acquire();
        try
        {
            for (final Map.Entry<? extends K, ? extends V> mapping : map.entrySet())
            {
                encode(scratch, mapping.getKey(), mapping.getValue());
                store(scratch, false, "putAll");
            }
        }
        finally
        {
            view.release();
        }
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, key, value);
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0)
            {
                table.stageInsert(scratch.key, scratch.value, "putIfAbsent");
                table.commit();
                return null;
            }
            table.readValue(found, scratch.out);
        }
        finally
        {
            view.release();
        }
        return scratch.out.decode(valueCodec, description);
    }

    @Override
    public V remove(final Object key)
    {
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.key, keyCodec, key, "key"))
        {
            return null;
        }
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0)
            {
                return null;
            }
            table.readValue(found, scratch.out);
            table.stageRemove(found);
            table.commit();
        }
        finally
        {
            view.release();
        }
        return scratch.out.decode(valueCodec, description);
    }

    /**
     * Removes the entry if {@code key} maps to a value encoded as {@code value} is.
     */
    @Override
    public boolean remove(final Object key, final Object value)
    {
        Objects.requireNonNull(key, "key");
        if (value == null)
        {
            return false;
        }
        final Scratch scratch = Scratch.current();
        if (!tryEncode(scratch.key, keyCodec, key, "key") || !tryEncode(scratch.value, valueCodec, value, "value"))
        {
            return false;
        }
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0 || !table.valueEquals(found, scratch.value))
            {
                return false;
            }
            table.stageRemove(found);
            table.commit();
            return true;
        }
        finally
        {
            view.release();
        }
    }

    @Override
    public V replace(final K key, final V value)
    {
        final Scratch scratch = Scratch.current();
        encode(scratch, key, value);
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0)
            {
                return null;
            }
            table.readValue(found, scratch.out);
            table.stageReplace(found, scratch.key, scratch.value, "replace");
            table.commit();
        }
        finally
        {
            view.release();
        }
        return scratch.out.decode(valueCodec, description);
    }

    /**
     * Replaces the value if {@code key} maps to a value encoded as {@code oldValue} is.
     */
    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        Objects.requireNonNull(oldValue, "oldValue");
        final Scratch scratch = Scratch.current();
        encode(scratch, key, newValue);
        if (!tryEncode(scratch.out, valueCodec, oldValue, "value"))
        {
            return false;
        }
        acquire();
        try
        {
            final int found = table.find(scratch.key);
            if (found == 0 || !table.valueEquals(found, scratch.out))
            {
                return false;
            }
            table.stageReplace(found, scratch.key, scratch.value, "replace");
            table.commit();
            return true;
        }
        finally
        {
            view.release();
        }
    }

    /**
     * Removes every entry.
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
            view.release();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Read-modify-write under the lock: the function runs in this process while other processes wait

    @Override
    public V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> remapping)
    {
        Objects.requireNonNull(remapping, "remapping");
        acquire();
        try
        {
            final V old = getLocked(key);
            return settle(key, old, remapping.apply(key, old), "compute");
        }
        finally
        {
            view.release();
        }
    }

    @Override
    public V computeIfAbsent(final K key, final Function<? super K, ? extends V> mapping)
    {
        Objects.requireNonNull(mapping, "mapping");
        acquire();
        try
        {
            final V old = getLocked(key);
            return old != null ? old : settle(key, null, mapping.apply(key), "computeIfAbsent");
        }
        finally
        {
            view.release();
        }
    }

    @Override
    public V computeIfPresent(final K key, final BiFunction<? super K, ? super V, ? extends V> remapping)
    {
        Objects.requireNonNull(remapping, "remapping");
        acquire();
        try
        {
            final V old = getLocked(key);
            return old == null ? null : settle(key, old, remapping.apply(key, old), "computeIfPresent");
        }
        finally
        {
            view.release();
        }
    }

    @Override
    public V merge(final K key, final V value, final BiFunction<? super V, ? super V, ? extends V> remapping)
    {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remapping, "remapping");
        acquire();
        try
        {
            final V old = getLocked(key);
            return settle(key, old, old == null ? value : remapping.apply(old, value), "merge");
        }
        finally
        {
            view.release();
        }
    }

    /**
     * Replaces every value by the function's result, under one hold of the lock (the function runs in this process).
     */
    @Override
    public void replaceAll(final BiFunction<? super K, ? super V, ? extends V> function)
    {
        Objects.requireNonNull(function, "function");
        acquire();
        try
        {
            for (final Map.Entry<K, V> mapping : snapshotLocked().entrySet())
            {
                final V value = Objects.requireNonNull(
                    function.apply(mapping.getKey(), mapping.getValue()), "replaceAll function result");
                final Scratch scratch = Scratch.current();
                encode(scratch, mapping.getKey(), value);
                store(scratch, false, "replaceAll");
            }
        }
        finally
        {
            view.release();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Snapshots

    /**
     * A copy of every mapping, in insertion order, taken under the lock: yours to change.
     *
     * @return a new map.
     */
    public Map<K, V> snapshot()
    {
        acquire();
        try
        {
            return snapshotLocked();
        }
        finally
        {
            view.release();
        }
    }

    /**
     * A copy of the keys, in insertion order, taken under the lock; unmodifiable, not a view.
     */
    @Override
    public Set<K> keySet()
    {
        return Collections.unmodifiableSet(new LinkedHashSet<>(snapshot().keySet()));
    }

    /**
     * A copy of the values, in insertion order, taken under the lock; unmodifiable, not a view.
     */
    @Override
    public Collection<V> values()
    {
        return Collections.unmodifiableList(new ArrayList<>(snapshot().values()));
    }

    /**
     * A copy of the mappings, in insertion order, taken under the lock; unmodifiable, not a view (its entries do not
     * support {@code setValue}).
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet()
    {
        final Set<Map.Entry<K, V>> entries = new LinkedHashSet<>();
        for (final Map.Entry<K, V> mapping : snapshot().entrySet())
        {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(mapping));
        }
        return Collections.unmodifiableSet(entries);
    }

    /**
     * Runs the action for each mapping of a snapshot, outside the lock.
     */
    @Override
    public void forEach(final BiConsumer<? super K, ? super V> action)
    {
        Objects.requireNonNull(action, "action");
        snapshot().forEach(action);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facts

    /**
     * The dict's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return view.name();
    }

    /**
     * The region that holds the dict.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return view.region;
    }

    /**
     * The dict's lock, a reentrant {@link SharedRLock}: hold it to make several operations one step for other
     * processes. Every operation takes it anyway.
     *
     * @return the lock.
     */
    public SharedRLock getLock()
    {
        return view.lock();
    }

    /**
     * The most entries the dict holds.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return table.capacity();
    }

    /**
     * Bytes of entry data the data area can still take (60 per free block), read under the lock.
     *
     * @return free data bytes.
     */
    public long freeDataBytes()
    {
        return view.freeDataBytes();
    }

    /**
     * Closes this view: later calls on it throw {@link IllegalStateException}. The dict itself stays in its region
     * for other views and processes; it goes when the region does.
     */
    @Override
    public void close()
    {
        view.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    /** Checks the table's invariants under the lock (see {@link DictTable#verify()}); for tests and tools. */
    String verify()
    {
        return view.verify();
    }

    DictTable table()
    {
        return table;
    }

    /** Takes the lock, completing a change a dead holder committed. */
    void acquire()
    {
        view.acquire();
    }

    void release()
    {
        view.release();
    }

    /** The keys, in insertion order, without decoding a value (a managed object reads its type id so). */
    List<K> keysOnly()
    {
        acquire();
        try
        {
            final Scratch scratch = Scratch.current();
            final List<K> keys = new ArrayList<>();
            for (int at = table.first(); at != 0; at = table.next(at))
            {
                table.readKey(at, scratch.out);
                keys.add(scratch.out.decode(keyCodec, description));
            }
            return keys;
        }
        finally
        {
            view.release();
        }
    }

    private Map<K, V> snapshotLocked()
    {
        final Scratch scratch = Scratch.current();
        final Map<K, V> copy = new LinkedHashMap<>();
        for (int at = table.first(); at != 0; at = table.next(at))
        {
            table.readKey(at, scratch.out);
            final K key = scratch.out.decode(keyCodec, description);
            table.readValue(at, scratch.out);
            copy.put(key, scratch.out.decode(valueCodec, description));
        }
        return copy;
    }

    /** Under the lock: the value of {@code key}, decoded, or null. */
    private V getLocked(final K key)
    {
        final Scratch scratch = Scratch.current();
        scratch.key.encode(keyCodec, Objects.requireNonNull(key, "key"), description, "key");
        final int found = table.find(scratch.key);
        if (found == 0)
        {
            return null;
        }
        table.readValue(found, scratch.out);
        return scratch.out.decode(valueCodec, description);
    }

    /** Under the lock, after a function ran: stores {@code value}, or removes the key when it is null. */
    private V settle(final K key, final V old, final V value, final String request)
    {
        // The function may have used this thread's scratch buffers (through another dict): encode again.
        final Scratch scratch = Scratch.current();
        if (value == null)
        {
            if (old != null)
            {
                scratch.key.encode(keyCodec, key, description, "key");
                final int found = table.find(scratch.key);
                if (found != 0)
                {
                    table.stageRemove(found);
                    table.commit();
                }
            }
            return null;
        }
        encode(scratch, key, value);
        store(scratch, false, request);
        return value;
    }

    /**
     * Under the lock: maps the encoded key to the encoded value.
     *
     * @param keepOld whether to copy a replaced value into {@code scratch.out}.
     * @return whether a value was replaced.
     */
    private boolean store(final Scratch scratch, final boolean keepOld, final String request)
    {
        final int found = table.find(scratch.key);
        if (found == 0)
        {
            table.stageInsert(scratch.key, scratch.value, request);
            table.commit();
            return false;
        }
        if (keepOld)
        {
            table.readValue(found, scratch.out);
        }
        table.stageReplace(found, scratch.key, scratch.value, request);
        table.commit();
        return true;
    }

    private void encode(final Scratch scratch, final K key, final V value)
    {
        scratch.key.encode(keyCodec, Objects.requireNonNull(key, "key"), description, "key");
        scratch.value.encode(valueCodec, Objects.requireNonNull(value, "value"), description, "value");
    }

    /** Encodes a key or value to look for; false when the codec cannot encode it (so it cannot be in the dict). */
    private boolean tryEncode(final Encoded into, final Codec<?> codec, final Object value, final String what)
    {
        return view.tryEncode(into, codec, value, what);
    }

    private Object writeReplace() throws ObjectStreamException
    {
        if (type != ObjectType.DICT)
        {
            throw new NotSerializableException("the dict under a " + (type == ObjectType.SET ?
                "SharedSet travels as the set" : type == ObjectType.OBJECT ? "ManagedObject travels as the object" :
                "SharedNamespace travels as the namespace"));
        }
        return view.handle(ManagedHandle.Kind.DICT, keyCodec, valueCodec);
    }
}
