package dev.ipckit.manager;

import dev.ipckit.codec.Codec;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A type of the application's registered for {@linkplain ManagedObject managed objects}: Python's
 * {@code BaseManager.register(typeid, callable)}. It names the type (the id is stored with every object of it, so
 * that another process opening the object with another type gets a clear error), says how its state is encoded, and
 * makes the first state of a new object.
 * <pre>{@code
 * static final ManagedType<Counter> COUNTER =
 *     ManagedType.of("Counter", Counter.class, Codecs.marshallable(Counter::new), Counter::new);
 * }</pre>
 * Any codec of the type works: {@link dev.ipckit.codec.Codecs#marshallable} for a mutable class,
 * {@code Codecs.standard().withTypes(MyRecord.class)} for a record or an enum, {@link
 * dev.ipckit.codec.Codecs#javaSerialization} for a {@code Serializable} class (under its filter).
 *
 * @param id      the type's name (1 to 64 bytes of UTF-8).
 * @param type    the state's class: what is read back is checked against it.
 * @param codec   encodes and decodes the state.
 * @param factory makes the state of a new object.
 * @param <T>     the state type.
 */
public record ManagedType<T>(String id, Class<T> type, Codec<? super T> codec, Supplier<? extends T> factory)
{
    /** The longest id, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 64;

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException when the id is empty or longer than {@link #MAX_ID_BYTES}.
     */
    public ManagedType
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(factory, "factory");
        final int length = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (length < 1 || length > MAX_ID_BYTES)
        {
            throw new IllegalArgumentException(
                "managed type id '" + id + "' must be 1 to " + MAX_ID_BYTES + " bytes of UTF-8, not " + length);
        }
    }

    /**
     * A managed type.
     *
     * @param id      the type's name.
     * @param type    the state's class.
     * @param codec   encodes and decodes the state.
     * @param factory makes the state of a new object.
     * @param <T>     the state type.
     * @return the type.
     */
    public static <T> ManagedType<T> of(
        final String id, final Class<T> type, final Codec<? super T> codec, final Supplier<? extends T> factory)
    {
        return new ManagedType<>(id, type, codec, factory);
    }
}
