package dev.ipckit.platform.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import dev.ipckit.platform.Deserialization;

/**
 * Java serialization to byte arrays: tasks go to child processes, results and exceptions come back, and a barrier's
 * action is stored in its region. {@link Deserialization} reads them back, behind its filter.
 */
public final class Serialization
{
    private Serialization()
    {
    }

    /**
     * Serializes an object.
     *
     * @param value a serializable object graph.
     * @return its bytes.
     * @throws IOException when part of the graph cannot be serialized.
     */
    public static byte[] toBytes(final Object value) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
