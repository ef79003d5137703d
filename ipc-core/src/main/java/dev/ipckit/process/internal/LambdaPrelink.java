package dev.ipckit.process.internal;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.LambdaForms;
import dev.ipckit.platform.internal.Serialization;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Links a serializable lambda's deserialization before its task comes: what a spare JVM does for the lambdas that
 * earlier children of its spec ran. The first deserialization of a lambda in a JVM links the call site for it in the
 * capturing class's {@code $deserializeLambda$} and spins the lambda's class (1.3-3.6 ms in a spare on a 2-vCPU VM,
 * against 0.3-0.5 ms for the next one); done ahead, the task's own deserialization finds both made.
 * <p>
 * A lambda's <i>shape</i> travels as text on the spare's command line: its implementation method kind and the eight
 * names of its {@link SerializedLambda} (capturing class, functional interface class, method name and signature,
 * implementation class, method name and signature, instantiated method type), joined by {@code '.'}, which no
 * internal class name, method name or descriptor contains. The spare makes the lambda through
 * {@link Deserialization#lambda} (so the class filters apply, as to the task) with placeholder captured values (null,
 * or a primitive's zero), reads it back once from each form a task comes in, and drops it unused: nothing of the
 * user's runs but what the capturing class's {@code $deserializeLambda$} does for any task. A shape that does not
 * parse or fits no lambda is skipped.
 */
public final class LambdaPrelink
{
    private static final char SEPARATOR = '.';
    private static final int FIELDS = 9;

    /** Each lambda class's shape text, made for its first instance ("" when it has none). */
    private static final ClassValue<ShapeOfClass> SHAPES = new ClassValue<>()
    {
        @Override
        protected ShapeOfClass computeValue(final Class<?> type)
        {
            return new ShapeOfClass();
        }
    };

    /** How many lambdas {@link #remember} keeps. */
    static final int REMEMBERED_CAPACITY = 16;

    /** Shapes of the lambdas pools on spares ran, oldest first; guarded by itself. */
    private static final LinkedHashSet<String> REMEMBERED = new LinkedHashSet<>();

    /** The shapes this JVM linked, in order: what a test can ask a spare. */
    private static final List<String> LINKED = new CopyOnWriteArrayList<>();

    private LambdaPrelink()
    {
    }

    /**
     * @param task a task about to go to a child.
     * @return its shape text when it is a serializable lambda, else null; made once per lambda class.
     */
    public static String shapeOf(final Object task)
    {
        final Class<?> type = task.getClass();
        if (!type.isHidden())
        {
            return null;
        }
        final ShapeOfClass kept = SHAPES.get(type);
        String shape = kept.text;
        if (shape == null)
        {
            final SerializedLambda form = LambdaForms.formOf(task);
            shape = form == null ? "" : text(form);
            kept.text = shape; // racing writers write equal text
        }
        return shape.isEmpty() ? null : shape;
    }

    /**
     * Remembers a function a pool sends to workers started on spares, for every spare started from now on to link:
     * a worker started later (a replacement, a recycled one, the next pool's) then finds its class made. Cheap after
     * a lambda class's first call (a class-value lookup), so a pool calls it for every task.
     *
     * @param function a task or function; anything but a serializable lambda is ignored.
     */
    public static void remember(final Object function)
    {
        final Class<?> type = function.getClass();
        if (!type.isHidden())
        {
            return;
        }
        final ShapeOfClass kept = SHAPES.get(type);
        if (kept.remembered)
        {
            return;
        }
        final String shape = shapeOf(function);
        kept.remembered = true;
        if (shape != null)
        {
            synchronized (REMEMBERED)
            {
                REMEMBERED.add(shape);
                if (REMEMBERED.size() > REMEMBERED_CAPACITY)
                {
                    REMEMBERED.remove(REMEMBERED.iterator().next());
                }
            }
        }
    }

    /**
     * @return the shapes of {@link #remember}, oldest first.
     */
    public static List<String> remembered()
    {
        synchronized (REMEMBERED)
        {
            return List.copyOf(REMEMBERED);
        }
    }

    /**
     * Links the lambda of {@code shape} in this JVM, through the class path's class loader.
     *
     * @param shape a shape of {@link #shapeOf}.
     * @return whether a lambda was made; false when the shape does not parse, a class is missing, a filter refuses
     *         it or the capturing class has no such lambda.
     */
    public static boolean link(final String shape)
    {
        if (make(shape) == null)
        {
            return false;
        }
        LINKED.add(shape);
        return true;
    }

    /**
     * @return the lambda {@link #link} makes for {@code shape} (never to be called), or null when it makes none.
     */
    static Object make(final String shape)
    {
        final SerializedLambda form = placeholderForm(shape, ClassLoader.getSystemClassLoader());
        if (form == null)
        {
            return null;
        }
        try
        {
            // Made, then read once from each form a task of it comes in (FunctionBytes: the shape when its captured
            // values are plain, else an object stream): a first read costs more than the next even with the class
            // made (the stream's class descriptors and reflection data, the shape's parsing), which this pays ahead.
            final Object made = Deserialization.lambda(form, null);
            Deserialization.fromBytes(Serialization.toBytes(made));
            final byte[] bytes = FunctionBytes.encode(made);
            return new FunctionBytes.Reader(null).read(bytes, 0, bytes.length);
        }
        catch (final Exception | LinkageError ex)
        {
            return null;
        }
    }

    /**
     * @return the shapes {@link #link} linked in this JVM, oldest first.
     */
    public static List<String> linked()
    {
        return List.copyOf(LINKED);
    }

    static String text(final SerializedLambda form)
    {
        return String.join(String.valueOf(SEPARATOR), Integer.toString(form.getImplMethodKind()),
            form.getCapturingClass(), form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
            form.getFunctionalInterfaceMethodSignature(), form.getImplClass(), form.getImplMethodName(),
            form.getImplMethodSignature(), form.getInstantiatedMethodType());
    }

    /**
     * @return the form of {@code shape} with a placeholder for each captured value, or null when it does not parse or
     *         names a class {@code loader} cannot find.
     */
    static SerializedLambda placeholderForm(final String shape, final ClassLoader loader)
    {
        final String[] fields = shape.split(Pattern.quote(String.valueOf(SEPARATOR)), -1);
        if (fields.length != FIELDS)
        {
            return null;
        }
        try
        {
            final int kind = Integer.parseInt(fields[0]);
            if (kind < MethodHandleInfo.REF_invokeVirtual || kind > MethodHandleInfo.REF_invokeInterface)
            {
                return null;
            }
            // A lambda's implementation takes its captured values first, then the interface method's arguments; an
            // instance method's receiver counts as its first parameter.
            final MethodType implementation = MethodType.fromMethodDescriptorString(fields[7], loader);
            final MethodType instantiated = MethodType.fromMethodDescriptorString(fields[8], loader);
            final boolean hasReceiver = kind != MethodHandleInfo.REF_invokeStatic &&
                kind != MethodHandleInfo.REF_newInvokeSpecial;
            final int captured =
                implementation.parameterCount() + (hasReceiver ? 1 : 0) - instantiated.parameterCount();
            if (captured < 0)
            {
                return null;
            }
            final Object[] values = new Object[captured];
            for (int i = 0; i < captured; i++)
            {
                values[i] = placeholder(hasReceiver ?
                    (i == 0 ? Object.class : implementation.parameterType(i - 1)) : implementation.parameterType(i));
            }
            final Class<?> capturing = Class.forName(fields[1].replace('/', '.'), false, loader);
            return new SerializedLambda(capturing, fields[2], fields[3], fields[4], kind, fields[5], fields[6],
                fields[7], fields[8], values);
        }
        catch (final IllegalArgumentException | TypeNotPresentException | ClassNotFoundException | LinkageError ex)
        {
            // not a number, a class or descriptor that does not resolve here: nothing to link
            return null;
        }
    }

    /** A captured value's stand-in: a primitive's zero (the capturing code unboxes it), else null. */
    private static Object placeholder(final Class<?> type)
    {
        if (!type.isPrimitive())
        {
            return null;
        }
        if (type == boolean.class)
        {
            return Boolean.FALSE;
        }
        if (type == char.class)
        {
            return (char)0;
        }
        if (type == byte.class)
        {
            return (byte)0;
        }
        if (type == short.class)
        {
            return (short)0;
        }
        if (type == int.class)
        {
            return 0;
        }
        if (type == long.class)
        {
            return 0L;
        }
        return type == float.class ? (Object)0.0f : (Object)0.0d;
    }

    /** A lambda class's shape text (null until made), and whether {@link #remember} has it. */
    private static final class ShapeOfClass
    {
        volatile String text;
        volatile boolean remembered;
    }
}
