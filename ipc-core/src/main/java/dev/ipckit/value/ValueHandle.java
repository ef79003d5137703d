package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.SharedRegion;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What a value or array becomes when serialized: its region (itself a handle) and its name and type. Deserializing
 * re-attaches to the same object in the receiving process.
 * <p>
 * A plain class, not a record, for the start-time reason memory.RegionHandle gives.
 */
final class ValueHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final SharedRegion region;
    private final String name;
    private final ObjectType type;

    ValueHandle(final SharedRegion region, final String name, final ObjectType type)
    {
        this.region = region;
        this.name = name;
        this.type = type;
    }

    private Object readResolve() throws ObjectStreamException
    {
        switch (type)
        {
            case INT: return SharedInt.open(region, name);
            case LONG: return SharedLong.open(region, name);
            case DOUBLE: return SharedDouble.open(region, name);
            case BYTE: return SharedByte.open(region, name);
            case BOOLEAN: return SharedBoolean.open(region, name);
            case INT_ARRAY: return SharedIntArray.open(region, name);
            case LONG_ARRAY: return SharedLongArray.open(region, name);
            case DOUBLE_ARRAY: return SharedDoubleArray.open(region, name);
            case BYTE_ARRAY: return SharedByteArray.open(region, name);
            case SHAREABLE_LIST: return ShareableList.open(region, name);
            default: throw new InvalidObjectException("no value type for " + type + " object '" + name + "'");
        }
    }
}
