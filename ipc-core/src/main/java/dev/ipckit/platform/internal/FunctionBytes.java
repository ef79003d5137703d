package dev.ipckit.platform.internal;

import dev.ipckit.platform.Deserialization;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a task or a function travels from a pool to its workers (a TASK message, and the function of CALL and CHUNK
 * messages), and an {@code IpcProcess}'s task to its child JVM. A lambda whose captured values are all plain ({@code null}, {@link Integer}, {@link Long},
 * {@link Double}, {@link Boolean}, {@link String}) goes as its shape and its values: writing it takes a fraction of a
 * microsecond, and a worker that has the shape already reads it as fast, where a Java serialization stream of the
 * same lambda is ~700 bytes of class descriptors and strings costing microseconds at each end. Anything else goes by
 * Java serialization.
 * <pre>
 * byte FORMAT, then
 *   SERIALIZED  the Java serialization bytes, to the end
 *   LAMBDA      int shape length, the shape, int captured count, that many values in PlainValues form
 * shape: int implementation method kind, then eight strings as int length + UTF-8: capturing class, functional
 *        interface class, its method's name, its signature, implementation class, its method's name, its
 *        signature, instantiated method type ({@link SerializedLambda}'s fields, '/'-separated names)
 * </pre>
 * A plain value arrives as a copy, as in a stream; one object captured twice would arrive as two (a stream keeps it
 * one), which is why only lambdas whose values are all plain take the short form. The worker makes the lambda with
 * {@link Deserialization#lambda}: the capturing class's own {@code $deserializeLambda$}, behind the class filters,
 * so the short form reaches no lambda the stream could not.
 */
public final class FunctionBytes
{
    static final byte SERIALIZED = 0;
    static final byte LAMBDA = 1;

    private static final int STRINGS = 8;
    private static final byte[] NO_SHAPE = new byte[0];

    /** Each lambda class's shape bytes, written for its first instance; {@link #NO_SHAPE} when it cannot have one. */
    private static final ClassValue<ShapeOfClass> SHAPES = new ClassValue<>()
    {
        @Override
        protected ShapeOfClass computeValue(final Class<?> type)
        {
            return new ShapeOfClass();
        }
    };

    private FunctionBytes()
    {
    }

    /**
     * Writes a task or function.
     *
     * @param function a serializable task or function.
     * @return its bytes.
     * @throws IOException when it must be serialized and part of it cannot be.
     */
    public static byte[] encode(final Object function) throws IOException
    {
        final SerializedLambda form = LambdaForms.formOf(function);
        if (form != null && allPlain(form))
        {
            final byte[] shape = shapeOf(function.getClass(), form);
            if (shape != NO_SHAPE)
            {
                final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(shape.length + 64);
                buffer.putByte(0, LAMBDA);
                buffer.putInt(1, shape.length);
                buffer.putBytes(1 + Integer.BYTES, shape);
                int position = 1 + Integer.BYTES + shape.length;
                final int captured = form.getCapturedArgCount();
                buffer.putInt(position, captured);
                position += Integer.BYTES;
                for (int i = 0; i < captured; i++)
                {
                    position = PlainValues.write(buffer, position, form.getCapturedArg(i));
                }
                return Arrays.copyOf(buffer.byteArray(), position);
            }
        }
        final byte[] serialized = Serialization.toBytes(function);
        final byte[] bytes = new byte[1 + serialized.length];
        bytes[0] = SERIALIZED;
        System.arraycopy(serialized, 0, bytes, 1, serialized.length);
        return bytes;
    }

    private static boolean allPlain(final SerializedLambda form)
    {
        for (int i = 0, n = form.getCapturedArgCount(); i < n; i++)
        {
            final Object value = form.getCapturedArg(i);
            if (value != null)
            {
                final Class<?> type = value.getClass();
                if (type != Integer.class && type != Long.class && type != Double.class && type != Boolean.class &&
                    type != String.class)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] shapeOf(final Class<?> lambdaClass, final SerializedLambda form)
    {
        final ShapeOfClass kept = SHAPES.get(lambdaClass);
        byte[] shape = kept.bytes;
        if (shape == null)
        {
            // A worker can make the lambda only through its capturing class's $deserializeLambda$, which must be
            // reachable here as it will be there. A lambda's class is a nestmate of the class its expression is in.
            shape = NO_SHAPE;
            try
            {
                final Class<?> capturing =
                    Class.forName(form.getCapturingClass().replace('/', '.'), false, lambdaClass.getClassLoader());
                if (capturing.getNestHost() == lambdaClass.getNestHost() && LambdaForms.hasDeserializer(capturing))
                {
                    shape = writeShape(form);
                }
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                // not reachable by name from the lambda's loader: Java serialization will say what is wrong
            }
            kept.bytes = shape; // racing writers write equal bytes
        }
        return shape;
    }

    private static byte[] writeShape(final SerializedLambda form)
    {
        final String[] strings = {form.getCapturingClass(), form.getFunctionalInterfaceClass(),
            form.getFunctionalInterfaceMethodName(), form.getFunctionalInterfaceMethodSignature(), form.getImplClass(),
            form.getImplMethodName(), form.getImplMethodSignature(), form.getInstantiatedMethodType()};
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        buffer.putInt(0, form.getImplMethodKind());
        int position = Integer.BYTES;
        for (final String string : strings)
        {
            final byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            buffer.putInt(position, utf8.length);
            buffer.putBytes(position + Integer.BYTES, utf8);
            position += Integer.BYTES + utf8.length;
        }
        return Arrays.copyOf(buffer.byteArray(), position);
    }

    /** A lambda class's shape bytes; null until written. */
    private static final class ShapeOfClass
    {
        volatile byte[] bytes;
    }

    /** A shape as a worker read it, with its capturing class resolved. */
    private record Shape(Class<?> capturingClass, int implMethodKind, String[] strings)
    {
        SerializedLambda form(final Object[] captured)
        {
            return new SerializedLambda(capturingClass, strings[1], strings[2], strings[3], implMethodKind, strings[4],
                strings[5], strings[6], strings[7], captured);
        }
    }

    /** A reader of tasks and functions (a worker's, a child's): it keeps the shapes it has read. Not thread-safe. */
    public static final class Reader
    {
        private final ClassCache classes;
        private final PlainValues.Reader values;
        private final RecentByBytes<Shape> shapes = new RecentByBytes<>();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        /**
         * @param classes resolves the classes of a worker's messages, or null to resolve as {@link Deserialization}
         *                does by default (the parent running what {@code shutdownNow} returned).
         */
        public Reader(final ClassCache classes)
        {
            this.classes = classes;
            this.values = new PlainValues.Reader(classes);
        }

        /**
         * Reads a task or function: a fresh object each time (a kept shape is no kept lambda).
         *
         * @throws dev.ipckit.platform.DeserializationRejectedException when a filter rejects it.
         * @throws IOException            when the bytes are not a task or function.
         * @throws ClassNotFoundException when a class is not on this process's class path.
         */
        public Object read(final byte[] bytes, final int offset, final int length)
            throws IOException, ClassNotFoundException
        {
            if (length < 1)
            {
                throw new StreamCorruptedException("a function of no bytes");
            }
            final byte format = bytes[offset];
            if (format == SERIALIZED)
            {
                return Deserialization.fromBytes(bytes, offset + 1, length - 1, classes);
            }
            if (format != LAMBDA)
            {
                throw new StreamCorruptedException("unknown function format " + format);
            }
            view.wrap(bytes, offset, length);
            int position = 1;
            final int shapeLength = lengthAt(position, length, "shape");
            position += Integer.BYTES;
            Shape shape = shapes.find(bytes, offset + position, shapeLength);
            if (shape == null)
            {
                shape = readShape(position, shapeLength);
                shapes.put(bytes, offset + position, shapeLength, shape);
            }
            position += shapeLength;
            // each value takes at least one byte
            final int count = lengthAt(position, length, "captured values");
            position += Integer.BYTES;
            final Object[] captured = new Object[count];
            values.wrap(view, position);
            for (int i = 0; i < count; i++)
            {
                captured[i] = values.read();
            }
            if (values.offset() != length)
            {
                throw new StreamCorruptedException("a lambda's captured values end at " + values.offset() +
                    ", not at the end of its " + length + " bytes");
            }
            return Deserialization.lambda(shape.form(captured), classes);
        }

        private Shape readShape(final int start, final int shapeLength) throws IOException, ClassNotFoundException
        {
            final int end = start + shapeLength;
            if (shapeLength < Integer.BYTES)
            {
                throw new StreamCorruptedException("a lambda shape of " + shapeLength + " bytes");
            }
            final int kind = view.getInt(start);
            int position = start + Integer.BYTES;
            final String[] strings = new String[STRINGS];
            for (int i = 0; i < STRINGS; i++)
            {
                final int stringLength = lengthAt(position, end, "shape string");
                position += Integer.BYTES;
                strings[i] = view.getStringWithoutLengthUtf8(position, stringLength);
                position += stringLength;
            }
            if (position != end)
            {
                throw new StreamCorruptedException("a lambda shape's strings end at " + position + ", not at " + end);
            }
            final String capturingClass = strings[0].replace('/', '.');
            return new Shape(classes != null ? classes.resolve(capturingClass) :
                Class.forName(capturingClass, false, FunctionBytes.class.getClassLoader()), kind, strings);
        }

        /** An int length at {@code position} that fits in the bytes after it, before {@code end}. */
        private int lengthAt(final int position, final int end, final String what) throws StreamCorruptedException
        {
            if (position + Integer.BYTES > end)
            {
                throw new StreamCorruptedException("the " + what + " length at " + position + " is past the end, " +
                    end);
            }
            final int length = view.getInt(position);
            if (length < 0 || length > end - position - Integer.BYTES)
            {
                throw new StreamCorruptedException("the " + what + " length " + length + " at " + position +
                    " does not fit in the " + (end - position - Integer.BYTES) + " bytes after it");
            }
            return length;
        }
    }
}
