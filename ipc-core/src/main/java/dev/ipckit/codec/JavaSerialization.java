package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.Objects;

/**
 * Java serialization behind an allow-list, for {@link Codecs#javaSerialization} and
 * {@link Codecs.Standard#withJavaSerialization}. Reading applies the filter made from the pattern followed by
 * {@code !*}, so a class that matches no pattern is rejected. Classes resolve through the thread's context class
 * loader first. The filter is not serializable: the pattern travels and the filter is made again on arrival.
 */
final class JavaSerialization implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String pattern;
    private final transient ObjectInputFilter filter;

    /**
     * Makes the filter.
     *
     * @param pattern the allowed classes and limits, in {@link ObjectInputFilter.Config#createFilter} syntax.
     * @throws IllegalArgumentException when the pattern is empty or malformed.
     */
    JavaSerialization(final String pattern)
    {
        Objects.requireNonNull(pattern, "filterPattern");
        if (pattern.isBlank())
        {
            throw new IllegalArgumentException("the filter pattern is empty: it would reject every class");
        }
        this.pattern = pattern;
        this.filter = ObjectInputFilter.Config.createFilter(pattern + ";!*");
    }

    String pattern()
    {
        return pattern;
    }

    /**
     * Serializes a message.
     *
     * @param message the message.
     * @param out     where to write.
     * @param codec   the codec, for the error message.
     * @throws IllegalArgumentException when the message, or an object it holds, is not serializable.
     */
    static void write(final Object message, final BytesOut<?> out, final Object codec)
    {
        final String type = message.getClass().getTypeName();
        if (!(message instanceof Serializable))
        {
            throw new IllegalArgumentException(codec + " cannot encode a " + type + ": it is not Serializable. " +
                "Implement Serializable (or BytesMarshallable), or use a typed codec");
        }
        try
        {
            final ObjectOutputStream stream = new ObjectOutputStream(out.outputStream());
            stream.writeObject(message);
            stream.flush();
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException(
                codec + " cannot encode a " + type + ": it holds a " + ex.getMessage() + ", which is not Serializable",
                ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(codec + " cannot serialize a " + type + ": " + ex, ex);
        }
    }

    /**
     * Deserializes a message through the filter.
     *
     * @param in the message's bytes.
     * @return the message, not null.
     * @throws Malformed when the filter rejects a class, a class is missing, or the bytes are not a whole object.
     */
    Object read(final BytesIn<?> in)
    {
        final Recorder recorder = new Recorder(filter);
        final Object message;
        try
        {
            final ObjectInputStream stream = new ContextObjectInputStream(in.inputStream());
            stream.setObjectInputFilter(recorder);
            message = stream.readObject();
        }
        catch (final InvalidClassException ex)
        {
            if (recorder.rejected != null)
            {
                throw new Malformed("the Java serialization filter \"" + pattern + "\" rejected " + recorder.rejected +
                    "; add it to the pattern if it is trusted", ex);
            }
            throw new Malformed("cannot deserialize " + ex.getMessage(), ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new Malformed("the serialized class " + ex.getMessage() + " is not on this process's class path", ex);
        }
        catch (final EOFException ex)
        {
            throw new Malformed("truncated: the Java serialization data ends early", ex);
        }
        catch (final IOException ex)
        {
            throw new Malformed("not Java serialization data: " + ex, ex);
        }
        if (message == null)
        {
            throw new Malformed("the message is a serialized null");
        }
        return message;
    }

    private Object readResolve()
    {
        return new JavaSerialization(pattern);
    }

    /**
     * The filter, remembering what it rejected first: the JDK's exception says only "REJECTED".
     */
    private static final class Recorder implements ObjectInputFilter
    {
        private final ObjectInputFilter filter;
        String rejected;

        Recorder(final ObjectInputFilter filter)
        {
            this.filter = filter;
        }

        @Override
        public Status checkInput(final FilterInfo info)
        {
            final Status status = filter.checkInput(info);
            if (status == Status.REJECTED && rejected == null)
            {
                rejected = describe(info);
            }
            return status;
        }

        private String describe(final FilterInfo info)
        {
            final Class<?> type = info.serialClass();
            if (type != null && filter.checkInput(new ClassOnly(type)) == Status.REJECTED)
            {
                return "class " + type.getTypeName();
            }
            return "the stream for exceeding a limit of the pattern (at depth " + info.depth() + ", " +
                info.references() + " references, " + info.streamBytes() + " bytes, array length " +
                info.arrayLength() + (type == null ? ")" : ", reading " + type.getTypeName() + ")");
        }
    }

    /**
     * A check of the class alone, to tell a rejected class from an exceeded limit.
     */
    private static final class ClassOnly implements ObjectInputFilter.FilterInfo
    {
        private final Class<?> type;

        ClassOnly(final Class<?> type)
        {
            this.type = type;
        }

        @Override
        public Class<?> serialClass()
        {
            return type;
        }

        @Override
        public long arrayLength()
        {
            return -1;
        }

        @Override
        public long depth()
        {
            return 1;
        }

        @Override
        public long references()
        {
            return 0;
        }

        @Override
        public long streamBytes()
        {
            return 0;
        }
    }

    /**
     * Resolves classes through the thread's context class loader first, as {@link MarshallableClasses} does.
     */
    private static final class ContextObjectInputStream extends ObjectInputStream
    {
        ContextObjectInputStream(final InputStream in) throws IOException
        {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            final ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null)
            {
                try
                {
                    return Class.forName(desc.getName(), false, context);
                }
                catch (final ClassNotFoundException ex)
                {
                    // primitive types and classes only ipckit's loader sees
                }
            }
            return super.resolveClass(desc);
        }
    }
}
