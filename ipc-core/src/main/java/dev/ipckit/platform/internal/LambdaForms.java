package dev.ipckit.platform.internal;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;

/**
 * A serializable lambda's serialized form ({@link SerializedLambda}) taken without writing a stream, and the capturing
 * class's {@code $deserializeLambda$}, the method Java serialization calls to turn such a form back into a lambda.
 * With them a lambda crosses to another process as its shape (the same for every instance of one lambda expression)
 * and its captured values, instead of a ~700-byte serialization stream whose class descriptors and strings cost
 * microseconds to write and read. {@link dev.ipckit.platform.Deserialization#lambda} is the reading side.
 * <p>
 * The form is what the lambda's own {@code writeReplace} returns; an {@link ObjectOutputStream} asks for it and hands
 * it to {@code replaceObject}, where it is kept and nothing is written. Each thread reuses one such stream.
 */
public final class LambdaForms
{
    private static final MethodType DESERIALIZER_TYPE = MethodType.methodType(Object.class, SerializedLambda.class);

    private static final ThreadLocal<FormCapture> CAPTURES = new ThreadLocal<>();

    /**
     * Each class's {@code $deserializeLambda$}, found once through a lookup with the class's private access: the
     * access serialization itself takes. A class in a named module must open its package to ipckit for it.
     */
    private static final ClassValue<Deserializer> DESERIALIZERS = new ClassValue<>()
    {
        @Override
        protected Deserializer computeValue(final Class<?> type)
        {
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                return new Deserializer(lookup.findStatic(type, "$deserializeLambda$", DESERIALIZER_TYPE), null);
            }
            catch (final NoSuchMethodException ex)
            {
                return new Deserializer(null, type.getName() + " has no serializable lambdas");
            }
            catch (final IllegalAccessException | SecurityException ex)
            {
                return new Deserializer(null, "ipckit cannot reach " + type.getName() + "'s lambdas (" + ex.getMessage() +
                    "); a named module must open the package to ipckit");
            }
        }
    };

    private LambdaForms()
    {
    }

    /**
     * The serialized form of a serializable lambda.
     *
     * @param function any object.
     * @return its form, or null when it is not a serializable lambda.
     */
    public static SerializedLambda formOf(final Object function)
    {
        if (!(function instanceof Serializable) || !function.getClass().isHidden())
        {
            return null;
        }
        FormCapture capture = CAPTURES.get();
        if (capture == null)
        {
            capture = FormCapture.create();
            CAPTURES.set(capture);
        }
        try
        {
            return capture.formOf(function);
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not a lambda (another hidden class), or a writeReplace that failed: a stream that threw is not reused.
            CAPTURES.remove();
            return null;
        }
    }

    /**
     * The method that makes a lambda of {@code capturingClass} from its form: it refuses a form that matches none of
     * the class's serializable lambda expressions.
     *
     * @param capturingClass the class the lambda expression is in.
     * @return the method, taking a {@link SerializedLambda} and returning the lambda.
     * @throws NotSerializableException when the class has no serializable lambdas or ipckit may not reach them.
     */
    public static MethodHandle deserializer(final Class<?> capturingClass) throws NotSerializableException
    {
        final Deserializer deserializer = DESERIALIZERS.get(capturingClass);
        if (deserializer.handle == null)
        {
            throw new NotSerializableException(deserializer.problem);
        }
        return deserializer.handle;
    }

    /**
     * @param capturingClass a class.
     * @return whether {@link #deserializer} finds the class's method.
     */
    public static boolean hasDeserializer(final Class<?> capturingClass)
    {
        return DESERIALIZERS.get(capturingClass).handle != null;
    }

    private record Deserializer(MethodHandle handle, String problem)
    {
    }

    /** A stream that writes nothing and keeps the form its first object is replaced with. */
    private static final class FormCapture extends ObjectOutputStream
    {
        private SerializedLambda form;
        private boolean first;

        private FormCapture() throws IOException
        {
            super(OutputStream.nullOutputStream());
            enableReplaceObject(true);
        }

        static FormCapture create()
        {
            try
            {
                return new FormCapture();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("an object stream over no output failed to start", ex);
            }
        }

        SerializedLambda formOf(final Object function) throws IOException
        {
            form = null;
            first = true;
            try
            {
                writeObject(function);
                return form;
            }
            finally
            {
                form = null;
                reset();
            }
        }

        @Override
        protected Object replaceObject(final Object object) throws IOException
        {
            // Called once per object after its writeReplace: the first call is the function's replacement.
            if (first)
            {
                first = false;
                if (object instanceof SerializedLambda)
                {
                    form = (SerializedLambda)object;
                    return null;
                }
                throw new NotSerializableException("not a lambda: " + object.getClass().getName());
            }
            return object;
        }
    }
}
