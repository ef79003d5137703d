package dev.ipckit.value;

import dev.ipckit.memory.ObjectType;
import dev.ipckit.memory.SharedRegion;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What a value or array becomes when serialized: its region (itself a handle) and its name and type. Deserializing
 * re-attaches to the same object in the receiving process.
 */
record ValueHandle(SharedRegion region, String name, ObjectType type) implements Serializable
{
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
            default: throw new InvalidObjectException("no value type for " + type + " object '" + name + "'");
        }
    }
}
