package dev.ipckit.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization to and from byte arrays: tasks go to child processes, results and exceptions come back, and a
 * barrier's action is stored in its region. Only for objects this toolkit's own processes wrote.
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

    /**
     * Deserializes an object.
     *
     * @param bytes what {@link #toBytes} produced.
     * @return the object.
     * @throws IOException            when the bytes are not a serialized object.
     * @throws ClassNotFoundException when a class is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes) throws IOException, ClassNotFoundException
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readObject();
        }
    }

    /**
     * Deserializes an object part of an array, resolving its classes through a cache.
     *
     * @param bytes   holds what {@link #toBytes} produced.
     * @param offset  where it starts.
     * @param length  its length.
     * @param classes the process's class cache.
     * @return the object.
     * @throws IOException            when the bytes are not a serialized object.
     * @throws ClassNotFoundException when a class is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes, final int offset, final int length, final ClassCache classes)
        throws IOException, ClassNotFoundException
    {
        try (ObjectInputStream in = new CachedClassInputStream(new ByteArrayInputStream(bytes, offset, length), classes))
        {
            return in.readObject();
        }
    }

    /** An object stream resolving class descriptors through a {@link ClassCache}. */
    private static final class CachedClassInputStream extends ObjectInputStream
    {
        private final ClassCache classes;

        CachedClassInputStream(final InputStream in, final ClassCache classes) throws IOException
        {
            super(in);
            this.classes = classes;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass descriptor) throws IOException, ClassNotFoundException
        {
            try
            {
                return classes.resolve(descriptor.getName());
            }
            catch (final ClassNotFoundException ex)
            {
                return super.resolveClass(descriptor); // primitive type names, and the stream's own error message
            }
        }
    }
}
