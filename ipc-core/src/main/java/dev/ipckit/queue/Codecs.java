package dev.ipckit.queue;

import net.openhft.chronicle.bytes.BytesMarshallable;
import org.agrona.DirectBuffer;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The codecs for queues and pipes. Every codec here is immutable, thread-safe and {@link Serializable}, and encodes
 * and decodes without Java serialization and without allocating beyond the decoded message, unless Java
 * serialization is asked for by name.
 * <p>
 * Typed codecs write the value alone, with no type tag:
 * <ul>
 *   <li>{@link #int32()}, {@link #int64()}, {@link #float64()}: 4, 8 and 8 bytes, little-endian.</li>
 *   <li>{@link #string()}: a stop-bit length, then UTF-8 (a string with a lone surrogate cannot be encoded).</li>
 *   <li>{@link #bytes()}, {@link #byteBuffer()}, {@link #directBuffer()}: a stop-bit length, then the bytes.</li>
 *   <li>{@link #marshallable}: the fields a Chronicle {@link BytesMarshallable} writes.</li>
 * </ul>
 * Decoding bytes that are not a message of the codec (cut short, malformed, or with bytes left over) throws an
 * {@link IllegalStateException} that says what was wrong; a codec never returns a wrong value silently.
 */
public final class Codecs
{
    private Codecs()
    {
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
}
