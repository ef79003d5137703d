package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.WaitStrategy;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What a dict, list, namespace, set or managed object becomes when serialized: its region (itself a handle), name,
 * kind, codecs, wait strategy and, for a managed object, its type. Deserializing re-attaches to the same object in
 * the receiving process.
 * <p>
 * A plain class, not a record, for the start-time reason memory.RegionHandle gives.
 */
final class ManagedHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final SharedRegion region;
    private final String name;
    private final Kind kind;
    private final Codec<?> keys;
    private final Codec<?> values;
    private final WaitStrategy waitStrategy;
    /** A managed object's type; null for the other kinds. */
    private final TypeOf typeOf;

    ManagedHandle(
        final SharedRegion region, final String name, final Kind kind,
        final Codec<?> keys, final Codec<?> values, final WaitStrategy waitStrategy)
    {
        this(region, name, kind, keys, values, waitStrategy, null);
    }

    ManagedHandle(
        final SharedRegion region, final String name, final Kind kind,
        final Codec<?> keys, final Codec<?> values, final WaitStrategy waitStrategy, final TypeOf typeOf)
    {
        this.region = region;
        this.name = name;
        this.kind = kind;
        this.keys = keys;
        this.values = values;
        this.waitStrategy = waitStrategy;
        this.typeOf = typeOf;
    }

    /** A managed object's type id and state class (its codec is the handle's value codec). */
    record TypeOf(String id, Class<?> type) implements Serializable
    {
    }

    /** The kinds of managed object. */
    enum Kind
    {
        DICT, LIST, NAMESPACE, SET, OBJECT
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readResolve() throws ObjectStreamException
    {
        switch (kind)
        {
            case DICT: return SharedDict.open(region, name, (Codec)keys, (Codec)values).withWaitStrategy(waitStrategy);
            case LIST: return SharedList.open(region, name, (Codec)values).withWaitStrategy(waitStrategy);
            case NAMESPACE: return SharedNamespace.open(region, name).withWaitStrategy(waitStrategy);
            case SET: return SharedSet.open(region, name, (Codec)values).withWaitStrategy(waitStrategy);
            case OBJECT: return ManagedObject.reattach(region, name, typeOf.id(), (Class)typeOf.type(), (Codec)values,
                waitStrategy);
            default: throw new InvalidObjectException("unknown managed object kind " + kind);
        }
    }
}
