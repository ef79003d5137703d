package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

import java.util.Objects;

/**
 * {@link Codecs#marshallable}: the message's {@code writeMarshallable}; decoding asks the factory for an instance and
 * calls its {@code readMarshallable}. No class name on the wire and no reflection here (a type that does not override
 * the two methods gets Chronicle's reflective defaults). Only the factory's class is encoded: a subclass would come
 * back as the factory's class, so encode refuses it.
 *
 * @param <T> the message type.
 */
final class MarshallableCodec<T extends BytesMarshallable> extends AbstractCodec<T>
{
    private static final long serialVersionUID = 1L;

    private final Codecs.Factory<T> factory;
    private final Class<?> type;

    MarshallableCodec(final Codecs.Factory<T> factory)
    {
        this.factory = Objects.requireNonNull(factory, "factory");
        final T sample = factory.get();
        if (sample == null)
        {
            throw new IllegalArgumentException("the factory returned null");
        }
        this.type = sample.getClass();
    }

    @Override
    void write(final T message, final BytesOut<?> out)
    {
        if (message.getClass() != type)
        {
            throw new IllegalArgumentException(this + " cannot encode a " + message.getClass().getName() +
                ": it decodes every message into a new " + type.getName() + " from its factory");
        }
        message.writeMarshallable(out);
    }

    @Override
    T read(final BytesIn<?> in)
    {
        final T message = factory.get();
        if (message == null)
        {
            throw new Malformed("the factory returned null");
        }
        message.readMarshallable(in);
        return message;
    }

    @Override
    public String toString()
    {
        return "Codecs.marshallable(" + type.getName() + ")";
    }
}
