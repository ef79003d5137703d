package dev.ipckit.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.ipckit.platform.internal.ClassCache;
import dev.ipckit.platform.internal.LambdaForms;

/**
 * The one way ipckit turns bytes into objects by Java serialization: barrier actions, pool tasks, functions, items
 * and results, child tasks, results and failures, and the Java-serialization codecs of queues, pipes and managers all
 * read through here, and so do lambdas that crossed as their serialized form's parts ({@link #lambda}). Every read
 * applies an {@link ObjectInputFilter} that rejects the stream when
 * <ul>
 *   <li>objects nest deeper than {@value #MAX_DEPTH_PROPERTY} (default {@value #DEFAULT_MAX_DEPTH});</li>
 *   <li>it holds more than {@value #MAX_REFERENCES_PROPERTY} object references (default
 *       {@value #DEFAULT_MAX_REFERENCES});</li>
 *   <li>an array is longer than {@value #MAX_ARRAY_LENGTH_PROPERTY} (default: no limit of its own), or longer than
 *       the input has bytes (each element takes at least one byte, so only crafted or damaged bytes declare more;
 *       this bounds what a small input can make the reader allocate);</li>
 *   <li>the input is longer than {@value #MAX_BYTES_PROPERTY} (default: no limit of its own);</li>
 *   <li>a class filter rejects a class: the user's ({@value #CLASS_FILTER_PROPERTY} or {@link #setClassFilter}),
 *       the JVM-wide {@code jdk.serialFilter}, and the reading site's own (a codec's allow-list), all of them.</li>
 * </ul>
 * A class that no filter rejects is read, as the JDK does: for an allow-list end the pattern with {@code !*}.
 * Rejected bytes throw {@link DeserializationRejectedException}, naming the limit or class. The limits are system
 * properties read once, when ipckit first deserializes; an invalid value (not a positive number, a malformed
 * pattern) makes every read fail with that message instead of reading unfiltered.
 * <p>
 * Child JVMs that ipckit starts get the same settings ({@link #childJvmOptions()}).
 * <p>
 * With a JVM-wide filter factory ({@code jdk.serialFilterFactory}), that factory receives this filter as the stream's
 * filter and decides what applies.
 */
public final class Deserialization
{
    /** System property: the deepest nesting of objects a stream may have. */
    public static final String MAX_DEPTH_PROPERTY = "ipckit.serial.maxDepth";
    /** System property: the most object references (new objects and back-references) a stream may hold. */
    public static final String MAX_REFERENCES_PROPERTY = "ipckit.serial.maxRefs";
    /** System property: the longest array a stream may hold. */
    public static final String MAX_ARRAY_LENGTH_PROPERTY = "ipckit.serial.maxArrayLength";
    /** System property: the most bytes one serialized object may take. */
    public static final String MAX_BYTES_PROPERTY = "ipckit.serial.maxBytes";
    /**
     * System property: a class filter applied to every read, in {@link ObjectInputFilter.Config#createFilter} syntax,
     * for example {@code com.example.**;java.**;dev.ipckit.**;!*}.
     */
    public static final String CLASS_FILTER_PROPERTY = "ipckit.serialFilter";

    /** Default of {@value #MAX_DEPTH_PROPERTY}. */
    public static final long DEFAULT_MAX_DEPTH = 64;
    /** Default of {@value #MAX_REFERENCES_PROPERTY}. */
    public static final long DEFAULT_MAX_REFERENCES = 10_000_000;

    private static final String JDK_FILTER_PROPERTY = "jdk.serialFilter";
    private static final String[] LIMIT_PROPERTIES =
        {MAX_DEPTH_PROPERTY, MAX_REFERENCES_PROPERTY, MAX_ARRAY_LENGTH_PROPERTY, MAX_BYTES_PROPERTY};

    private static final long MAX_DEPTH;
    private static final long MAX_REFERENCES;
    private static final long MAX_ARRAY_LENGTH;
    private static final long MAX_BYTES;
    /** The limit properties as given, for children; null where not given. */
    private static final String[] GIVEN_LIMITS = new String[LIMIT_PROPERTIES.length];
    /** Why nothing can be read (an invalid setting), or null. */
    private static final String CONFIGURATION_ERROR;

    private static final Object LOCK = new Object();
    /** The user's class filter, or null; set once (see {@link #setClassFilter}). */
    private static volatile ClassFilter classFilter;

    static
    {
        final StringBuilder errors = new StringBuilder();
        MAX_DEPTH = limit(0, DEFAULT_MAX_DEPTH, errors);
        MAX_REFERENCES = limit(1, DEFAULT_MAX_REFERENCES, errors);
        MAX_ARRAY_LENGTH = limit(2, Long.MAX_VALUE, errors);
        MAX_BYTES = limit(3, Long.MAX_VALUE, errors);
        final String pattern = System.getProperty(CLASS_FILTER_PROPERTY);
        if (pattern != null)
        {
            try
            {
                classFilter = ClassFilter.of(pattern, "the class filter " + CLASS_FILTER_PROPERTY + "=\"" + pattern + "\"");
            }
            catch (final IllegalArgumentException ex)
            {
                errors.append("-D").append(CLASS_FILTER_PROPERTY).append("=\"").append(pattern)
                    .append("\" is not a valid filter pattern: ").append(ex.getMessage()).append("; ");
            }
        }
        CONFIGURATION_ERROR = errors.length() == 0 ? null :
            "nothing is deserialized while the filter settings are invalid: " + errors.substring(0, errors.length() - 2);
    }

    private Deserialization()
    {
    }

    /** Finds the classes a stream's class descriptors name, before the JDK's own lookup. */
    @FunctionalInterface
    public interface ClassResolver
    {
        /**
         * The class of that name.
         *
         * @param name a binary class name as a class descriptor carries it.
         * @return the class.
         * @throws ClassNotFoundException when this resolver does not know it (the JDK's lookup is tried next).
         */
        Class<?> resolve(String name) throws ClassNotFoundException;
    }

    /**
     * Reads an object.
     *
     * @param bytes a whole serialized object.
     * @return the object.
     * @throws DeserializationRejectedException when the filter rejects the bytes.
     * @throws IOException                      when the bytes are not a serialized object.
     * @throws ClassNotFoundException           when a class is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes) throws IOException, ClassNotFoundException
    {
        return fromBytes(bytes, 0, bytes.length, null);
    }

    /**
     * Reads an object from part of an array.
     *
     * @param bytes   holds a serialized object.
     * @param offset  where it starts.
     * @param length  its length.
     * @param classes resolves classes first (a worker's {@link ClassCache}), or null.
     * @return the object.
     * @throws DeserializationRejectedException when the filter rejects the bytes.
     * @throws IOException                      when the bytes are not a serialized object.
     * @throws ClassNotFoundException           when a class is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes, final int offset, final int length, final ClassResolver classes)
        throws IOException, ClassNotFoundException
    {
        return fromStream(new ByteArrayInputStream(bytes, offset, length), length, classes, null, null);
    }

    /**
     * Reads an object from a stream, with the reading site's own filter besides the global ones.
     *
     * @param in             the stream, not closed here.
     * @param length         how many bytes it holds: the bound for arrays and bytes.
     * @param classes        resolves classes first, or null.
     * @param siteFilter     a further filter (a codec's allow-list), or null.
     * @param siteFilterName what to call it in a rejection, for example {@code the codec's filter "java.util.*"}.
     * @return the object.
     * @throws DeserializationRejectedException when a filter rejects the bytes.
     * @throws IOException                      when the bytes are not a serialized object.
     * @throws ClassNotFoundException           when a class is not on this process's class path.
     */
    public static Object fromStream(
        final InputStream in, final long length, final ClassResolver classes, final ObjectInputFilter siteFilter,
        final String siteFilterName) throws IOException, ClassNotFoundException
    {
        if (CONFIGURATION_ERROR != null)
        {
            throw new DeserializationRejectedException(CONFIGURATION_ERROR);
        }
        if (length > MAX_BYTES)
        {
            throw new DeserializationRejectedException(
                "the input is " + length + " bytes, over the limit " + MAX_BYTES_PROPERTY + "=" + MAX_BYTES);
        }
        final Filter filter = new Filter(length, siteFilter, siteFilterName);
        final ObjectInputStream stream = new ObjectInputStream(in)
        {
            @Override
            protected Class<?> resolveClass(final ObjectStreamClass descriptor)
                throws IOException, ClassNotFoundException
            {
                if (classes != null)
                {
                    try
                    {
                        return classes.resolve(descriptor.getName());
                    }
                    catch (final ClassNotFoundException ex)
                    {
                        // primitive type names, and the JDK's own lookup and error message
                    }
                }
                return super.resolveClass(descriptor);
            }
        };
        // The JDK's default filter factory puts this in place of the JVM-wide filter, which the filter applies too.
        stream.setObjectInputFilter(filter);
        try
        {
            return stream.readObject();
        }
        catch (final InvalidClassException ex)
        {
            if (filter.rejection != null)
            {
                throw new DeserializationRejectedException(filter.rejection, ex);
            }
            throw ex;
        }
    }

    /**
     * Makes a lambda from its serialized form as reading its serialization stream would: through the capturing
     * class's {@code $deserializeLambda$}, which refuses a form that matches none of the class's serializable lambda
     * expressions, behind the same class filters as a stream (checked for {@link SerializedLambda}, the capturing class,
     * the captured values' array and each captured value's class) and within the same limits. For senders that
     * send a lambda's shape once and its captured values each time (a pool's tasks).
     *
     * @param form    the form; its captured values are used as they are (they came through their own reading).
     * @param classes resolves the capturing class first, or null for the JDK's lookup from ipckit's class loader.
     * @return the lambda.
     * @throws DeserializationRejectedException when a filter rejects a class or a limit is exceeded.
     * @throws InvalidObjectException           when the class has no such lambda, or it cannot be reached.
     * @throws ClassNotFoundException           when the capturing class is not on this process's class path.
     */
    public static Object lambda(final SerializedLambda form, final ClassResolver classes)
        throws IOException, ClassNotFoundException
    {
        Objects.requireNonNull(form, "form");
        if (CONFIGURATION_ERROR != null)
        {
            throw new DeserializationRejectedException(CONFIGURATION_ERROR);
        }
        final String name = form.getCapturingClass().replace('/', '.');
        final Class<?> capturingClass = classes != null ?
            classes.resolve(name) : Class.forName(name, false, Deserialization.class.getClassLoader());
        final int captured = form.getCapturedArgCount();
        final Filter filter = new Filter(Long.MAX_VALUE, null, null);
        long references = 1;
        check(filter, new Check(SerializedLambda.class, -1, 1, references));
        check(filter, new Check(capturingClass, -1, 2, ++references));
        check(filter, new Check(Object[].class, captured, 2, ++references));
        for (int i = 0; i < captured; i++)
        {
            final Object value = form.getCapturedArg(i);
            if (value != null)
            {
                check(filter, new Check(value.getClass(), -1, 3, ++references));
            }
        }
        final Object lambda;
        try
        {
            lambda = LambdaForms.deserializer(capturingClass).invokeExact(form);
        }
        catch (final NotSerializableException ex)
        {
            throw new InvalidObjectException(ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            // $deserializeLambda$ throws IllegalArgumentException for a form it has no lambda for
            throw (InvalidObjectException)new InvalidObjectException("no lambda of " + capturingClass.getName() +
                " matches the form " + form + ": " + ex.getMessage()).initCause(ex);
        }
        catch (final Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw (InvalidObjectException)new InvalidObjectException("making a lambda of " + capturingClass.getName() +
                " failed: " + ex).initCause(ex);
        }
        return lambda;
    }

    private static void check(final Filter filter, final Check info) throws DeserializationRejectedException
    {
        if (filter.checkInput(info) == ObjectInputFilter.Status.REJECTED)
        {
            throw new DeserializationRejectedException(filter.rejection);
        }
    }

    /**
     * Adds a class filter to every read in this JVM, once; it is also given to child JVMs that ipckit starts
     * afterwards, as {@value #CLASS_FILTER_PROPERTY}. Thread-safe; reads already running finish with the filters
     * they started with.
     *
     * @param pattern the filter in {@link ObjectInputFilter.Config#createFilter} syntax.
     * @throws IllegalArgumentException when the pattern is malformed.
     * @throws IllegalStateException    when a class filter was already set (by this method or the property).
     */
    public static void setClassFilter(final String pattern)
    {
        Objects.requireNonNull(pattern, "pattern");
        install(ClassFilter.of(pattern, "the class filter \"" + pattern + "\" (Deserialization.setClassFilter)"));
    }

    /**
     * Adds a class filter to every read in this JVM, once. A filter object cannot cross to other JVMs: child JVMs
     * get only {@value #CLASS_FILTER_PROPERTY} (use {@link #setClassFilter(String)} or the property for them).
     * Thread-safe; reads already running finish with the filters they started with. The filter is called for every
     * class, array and reference of every read: keep it fast and free of side effects.
     *
     * @param filter the filter; {@code REJECTED} rejects the stream, anything else lets the other checks decide.
     * @throws IllegalStateException when a class filter was already set (by this method or the property).
     */
    public static void setClassFilter(final ObjectInputFilter filter)
    {
        Objects.requireNonNull(filter, "filter");
        install(new ClassFilter(filter, null, "the class filter " + filter + " (Deserialization.setClassFilter)"));
    }

    /**
     * The user's class filter.
     *
     * @return the filter set by {@value #CLASS_FILTER_PROPERTY} or {@link #setClassFilter}, or null.
     */
    public static ObjectInputFilter classFilter()
    {
        final ClassFilter current = classFilter;
        return current == null ? null : current.filter;
    }

    /**
     * The JVM options that give a child JVM this JVM's deserialization settings: the limit properties given to this
     * JVM, the class filter pattern (from the property or {@link #setClassFilter(String)}) and {@code jdk.serialFilter}.
     *
     * @return {@code -D} options, one per element; empty when nothing was set.
     */
    public static List<String> childJvmOptions()
    {
        final List<String> options = new ArrayList<>(LIMIT_PROPERTIES.length + 2);
        for (int i = 0; i < LIMIT_PROPERTIES.length; i++)
        {
            if (GIVEN_LIMITS[i] != null)
            {
                options.add("-D" + LIMIT_PROPERTIES[i] + "=" + GIVEN_LIMITS[i]);
            }
        }
        final ClassFilter current = classFilter;
        final String pattern = current != null ? current.pattern : System.getProperty(CLASS_FILTER_PROPERTY);
        if (pattern != null)
        {
            options.add("-D" + CLASS_FILTER_PROPERTY + "=" + pattern);
        }
        final String jdkFilter = System.getProperty(JDK_FILTER_PROPERTY);
        if (jdkFilter != null)
        {
            options.add("-D" + JDK_FILTER_PROPERTY + "=" + jdkFilter);
        }
        return options;
    }

    private static void install(final ClassFilter filter)
    {
        synchronized (LOCK)
        {
            final ClassFilter current = classFilter;
            if (current != null || System.getProperty(CLASS_FILTER_PROPERTY) != null)
            {
                throw new IllegalStateException("a class filter is already set (" +
                    (current != null ? current.description : "-D" + CLASS_FILTER_PROPERTY + ", which is invalid") +
                    "); it can be set once per JVM");
            }
            classFilter = filter;
        }
    }

    private static long limit(final int index, final long defaultValue, final StringBuilder errors)
    {
        final String name = LIMIT_PROPERTIES[index];
        final String given = System.getProperty(name);
        GIVEN_LIMITS[index] = given;
        if (given == null)
        {
            return defaultValue;
        }
        try
        {
            final long value = Long.parseLong(given.trim());
            if (value > 0)
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        errors.append("-D").append(name).append("=\"").append(given).append("\" is not a positive whole number; ");
        return defaultValue;
    }

    /** The user's class filter, with the pattern children get (null for a filter object) and its name in messages. */
    private record ClassFilter(ObjectInputFilter filter, String pattern, String description)
    {
        static ClassFilter of(final String pattern, final String description)
        {
            if (pattern.isBlank())
            {
                throw new IllegalArgumentException("the class filter pattern is empty");
            }
            return new ClassFilter(ObjectInputFilter.Config.createFilter(pattern), pattern, description);
        }
    }

    /**
     * The filter of one read: it knows the input's length and remembers why it rejected, so that the message can say.
     * The JDK calls {@link #checkInput} for every class descriptor, array, new object and back-reference; it
     * allocates nothing unless it rejects.
     */
    private static final class Filter implements ObjectInputFilter
    {
        private final long length;
        private final ObjectInputFilter siteFilter;
        private final String siteFilterName;
        private final ObjectInputFilter jvmFilter = ObjectInputFilter.Config.getSerialFilter();
        private final ClassFilter userFilter = classFilter;
        String rejection;

        Filter(final long length, final ObjectInputFilter siteFilter, final String siteFilterName)
        {
            this.length = length;
            this.siteFilter = siteFilter;
            this.siteFilterName = siteFilterName;
        }

        @Override
        public Status checkInput(final FilterInfo info)
        {
            final long depth = info.depth();
            if (depth > MAX_DEPTH)
            {
                return reject("objects nest " + depth + " deep, over the limit " + MAX_DEPTH_PROPERTY + "=" + MAX_DEPTH +
                    " (at " + describe(info) + ")");
            }
            final long references = info.references();
            if (references > MAX_REFERENCES)
            {
                return reject("the stream holds " + references + " object references, over the limit " +
                    MAX_REFERENCES_PROPERTY + "=" + MAX_REFERENCES);
            }
            final long arrayLength = info.arrayLength();
            if (arrayLength > MAX_ARRAY_LENGTH)
            {
                return reject("an array of length " + arrayLength + " (" + describe(info) + "), over the limit " +
                    MAX_ARRAY_LENGTH_PROPERTY + "=" + MAX_ARRAY_LENGTH);
            }
            if (arrayLength > length)
            {
                return reject("an array of length " + arrayLength + " (" + describe(info) + ") in an input of " + length +
                    " bytes: each element takes at least one byte, so the bytes are crafted or damaged");
            }
            final long bytes = info.streamBytes();
            if (bytes > MAX_BYTES)
            {
                return reject("the stream is over the limit " + MAX_BYTES_PROPERTY + "=" + MAX_BYTES + " bytes");
            }
            boolean allowed = false;
            if (siteFilter != null)
            {
                final Status status = check(siteFilter, siteFilterName, info);
                if (status == Status.REJECTED)
                {
                    return status;
                }
                allowed = status == Status.ALLOWED;
            }
            if (jvmFilter != null)
            {
                final Status status = check(jvmFilter, "the JVM-wide filter (" + JDK_FILTER_PROPERTY + ")", info);
                if (status == Status.REJECTED)
                {
                    return status;
                }
                allowed |= status == Status.ALLOWED;
            }
            if (userFilter != null)
            {
                final Status status = check(userFilter.filter, userFilter.description, info);
                if (status == Status.REJECTED)
                {
                    return status;
                }
                allowed |= status == Status.ALLOWED;
            }
            return allowed ? Status.ALLOWED : Status.UNDECIDED;
        }

        private Status check(final ObjectInputFilter filter, final String name, final FilterInfo info)
        {
            final Status status;
            try
            {
                status = filter.checkInput(info);
            }
            catch (final RuntimeException ex)
            {
                return reject(name + " threw " + ex + " at " + describe(info));
            }
            if (status != Status.REJECTED)
            {
                return status;
            }
            final Class<?> type = info.serialClass();
            if (type != null && filter.checkInput(new Check(type, -1, 1, 0)) == Status.REJECTED)
            {
                return reject(name + " rejected class " + type.getTypeName());
            }
            return reject(name + " rejected the stream for exceeding a limit of the pattern (at depth " + info.depth() +
                ", " + info.references() + " references, " + info.streamBytes() + " bytes, array length " +
                info.arrayLength() + (type == null ? ")" : ", reading " + type.getTypeName() + ")"));
        }

        private Status reject(final String reason)
        {
            if (rejection == null)
            {
                rejection = reason;
            }
            return Status.REJECTED;
        }

        private static String describe(final FilterInfo info)
        {
            final Class<?> type = info.serialClass();
            return type == null ? "a reference" : type.getTypeName();
        }
    }

    /** What a filter is asked about one class, outside a stream; {@code new Check(type, -1, 1, 0)} is the class alone. */
    private record Check(Class<?> serialClass, long arrayLength, long depth, long references)
        implements ObjectInputFilter.FilterInfo
    {
        @Override
        public long streamBytes()
        {
            return 0;
        }
    }
}
