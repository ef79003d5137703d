package dev.ipckit.codec;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.DeserializationRejectedException;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Objects;

/**
 * Java serialization behind an allow-list, for {@link Codecs#javaSerialization} and
 * {@link Codecs.Standard#withJavaSerialization}. Reading goes through {@link Deserialization} (its limits, the user's
 * class filter and {@code jdk.serialFilter}) with the filter made from the pattern followed by {@code !*} besides,
 * so a class that matches no pattern is rejected. Classes resolve through the thread's context class loader first.
 * The filter is not serializable: the pattern travels and the filter is made again on arrival.
 */
final class JavaSerialization implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * Resolves classes through the thread's context class loader first, as {@link MarshallableClasses} does; the
     * JDK's lookup follows (primitive types, classes only ipckit's loader sees).
     */
    private static final Deserialization.ClassResolver CONTEXT_CLASS_LOADER = name ->
    {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context == null)
        {
            throw new ClassNotFoundException(name);
        }
        return Class.forName(name, false, context);
    };

    private final String pattern;
    private final transient ObjectInputFilter filter;
    private final transient String filterName;

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
        this.filterName = "the Java serialization filter \"" + pattern + "\"";
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
     * Deserializes a message through {@link Deserialization}, with this codec's filter besides the global ones.
     *
     * @param in the message's bytes.
     * @return the message, not null.
     * @throws Malformed when a filter rejects the bytes, a class is missing, or the bytes are not a whole object.
     */
    Object read(final BytesIn<?> in)
    {
        final Object message;
        try
        {
            message = Deserialization.fromStream(
                in.inputStream(), in.readRemaining(), CONTEXT_CLASS_LOADER, filter, filterName);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new Malformed("rejected by the deserialization filter: " + ex.getMessage(), ex);
        }
        catch (final InvalidClassException ex)
        {
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
}
