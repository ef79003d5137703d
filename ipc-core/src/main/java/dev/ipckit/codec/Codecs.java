package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesMarshallable;
import org.agrona.DirectBuffer;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The codecs for queues and pipes. Every codec here is immutable, thread-safe and {@link Serializable} (it travels
 * with its queue to other processes). Numbers, strings, byte arrays and buffers are encoded without allocating and
 * decoded without allocating beyond the decoded message.
 * <p>
 * Typed codecs write the value alone, with no type tag:
 * <ul>
 *   <li>{@link #int32()}, {@link #int64()}, {@link #float64()}: 4, 8 and 8 bytes, little-endian.</li>
 *   <li>{@link #string()}: a stop-bit length, then UTF-8 (a string with a lone surrogate cannot be encoded).</li>
 *   <li>{@link #bytes()}, {@link #byteBuffer()}, {@link #directBuffer()}: a stop-bit length, then the bytes.</li>
 *   <li>{@link #marshallable}: the fields a Chronicle {@link BytesMarshallable} writes.</li>
 * </ul>
 * {@link #standard()} takes a mix of those types, with a tag byte before each. Java serialization is never used
 * unless asked for, and then only behind an allow-list: {@link #javaSerialization} and
 * {@link Standard#withJavaSerialization}; the limits and class filters of
 * {@link dev.ipckit.platform.Deserialization} apply as well.
 * <p>
 * Decoding bytes that are not a message of the codec (cut short, malformed, an unknown tag, bytes left over) throws
 * an {@link IllegalStateException} that says what was wrong; a codec never returns a wrong value silently.
 */
public final class Codecs
{
    private Codecs()
    {
    }

    /**
     * The codec {@link Codecs#standard()} returns: mixed messages of the standard types and, when enabled, Java
     * serialization for other types.
     */
    public interface Standard extends Codec<Object>
    {
        /**
         * This codec with Java serialization as the fallback for {@link Serializable} messages of no standard type
         * (standard types still go without it). Decoding deserializes through an {@link java.io.ObjectInputFilter}
         * made from {@code filterPattern}; a class that matches no pattern is rejected, as if the pattern ended in
         * {@code !*}, and a rejected class fails the decode with an {@link IllegalStateException} naming it.
         * Encoding a message that is not {@code Serializable} throws {@link IllegalArgumentException}.
         *
         * @param filterPattern the classes that may be deserialized, and optional limits, in
         *                      {@link java.io.ObjectInputFilter.Config#createFilter} syntax, for example
         *                      {@code "com.example.model.*;java.util.*;java.lang.*"}.
         * @return a new codec.
         * @throws IllegalArgumentException when the pattern is empty or malformed.
         */
        Standard withJavaSerialization(String filterPattern);

        /**
         * This codec carrying the application's enums and records as well, without Java serialization: an enum as
         * its class and constant names, a record as its class name and components (each encoded by this codec, so
         * they may be any standard type, nested). Only the classes given here are ever made from a message's
         * bytes: a record by its canonical constructor (whose checks run), an enum by {@link Enum#valueOf}. Give the
         * same classes to the codec in every process that reads the messages.
         *
         * @param enumsAndRecords public enum and record classes (nested ones in public classes).
         * @return a new codec.
         * @throws IllegalArgumentException when a class is not an enum or a record, or is not public.
         */
        Standard withTypes(Class<?>... enumsAndRecords);
    }

    /**
     * Makes the instance a codec decodes into; a lambda or constructor reference ({@code Point::new}) whose target
     * type is this interface is serializable, so it travels with its codec.
     *
     * @param <T> the type made.
     */
    @FunctionalInterface
    public interface Factory<T> extends Supplier<T>, Serializable
    {
    }

    /**
     * Strings as UTF-8.
     *
     * @return the codec.
     */
    public static Codec<String> string()
    {
        return StringCodec.INSTANCE;
    }

    /**
     * Byte arrays; an array decodes to a new array.
     *
     * @return the codec.
     */
    public static Codec<byte[]> bytes()
    {
        return ByteArrayCodec.INSTANCE;
    }

    /**
     * Integers.
     *
     * @return the codec.
     */
    public static Codec<Integer> int32()
    {
        return Int32Codec.INSTANCE;
    }

    /**
     * Longs.
     *
     * @return the codec.
     */
    public static Codec<Long> int64()
    {
        return Int64Codec.INSTANCE;
    }

    /**
     * Doubles, bit for bit (NaN payloads and -0.0 included).
     *
     * @return the codec.
     */
    public static Codec<Double> float64()
    {
        return Float64Codec.INSTANCE;
    }

    /**
     * Byte buffers: encodes the bytes between the buffer's position and limit without moving its position; decodes
     * to a heap buffer holding just those bytes (position 0, big-endian order).
     *
     * @return the codec.
     */
    public static Codec<ByteBuffer> byteBuffer()
    {
        return ByteBufferCodec.INSTANCE;
    }

    /**
     * Agrona buffers: encodes all of the buffer's capacity; decodes to an
     * {@link org.agrona.concurrent.UnsafeBuffer} over a new array.
     *
     * @return the codec.
     */
    public static Codec<DirectBuffer> directBuffer()
    {
        return DirectBufferCodec.INSTANCE;
    }

    /**
     * Chronicle {@link BytesMarshallable} messages of one class: encodes with {@code writeMarshallable}; decodes into
     * a new instance from the factory with {@code readMarshallable}. No class name goes on the wire, so the message's
     * class must be the class the factory makes (encode refuses any other). Override both methods: Chronicle's
     * defaults work by reflection.
     *
     * @param factory makes an empty instance; called once here to learn the class, then once per decoded message.
     * @param <T>     the message type.
     * @return the codec.
     * @throws IllegalArgumentException when the factory returns null.
     */
    public static <T extends BytesMarshallable> Codec<T> marshallable(final Factory<T> factory)
    {
        return new MarshallableCodec<>(factory);
    }

    /**
     * Mixed messages, what a Python queue takes short of pickling: {@link Boolean}, {@link Byte}, {@link Short},
     * {@link Character}, {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link String}, {@code byte[]},
     * {@link ByteBuffer} (its remaining bytes; decodes to a heap buffer), {@link DirectBuffer} (all its capacity;
     * decodes to an {@link org.agrona.concurrent.UnsafeBuffer}) and {@link BytesMarshallable}. Each message is a tag
     * byte, then the payload the typed codec writes; a {@code BytesMarshallable} is preceded by its class name and
     * decodes through its public no-arg constructor (a named class is loaded, not initialized, and must be a
     * {@code BytesMarshallable} before it is instantiated). Encoding any other type throws
     * {@link IllegalArgumentException}, unless Java serialization is enabled with
     * {@link Standard#withJavaSerialization}.
     *
     * @return the codec.
     */
    public static Standard standard()
    {
        return StandardCodec.INSTANCE;
    }

    /**
     * Any {@link Serializable} type by Java serialization, decoded through an {@link java.io.ObjectInputFilter} made
     * from {@code filterPattern}; a class that matches no pattern is rejected, as if the pattern ended in {@code !*}.
     * A rejected class fails the decode with an {@link IllegalStateException} naming it; encoding a message that is
     * not {@code Serializable} throws {@link IllegalArgumentException}. Slower and larger than the other codecs:
     * for trusted classes that have no better encoding.
     *
     * @param filterPattern the classes that may be deserialized, and optional limits, in
     *                      {@link java.io.ObjectInputFilter.Config#createFilter} syntax, for example
     *                      {@code "com.example.model.*;java.util.*;java.lang.*"}.
     * @param <T>           the message type.
     * @return the codec.
     * @throws IllegalArgumentException when the pattern is empty or malformed.
     */
    public static <T> Codec<T> javaSerialization(final String filterPattern)
    {
        return new JavaSerializationCodec<>(new JavaSerialization(filterPattern));
    }
}
