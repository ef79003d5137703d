package dev.ipckit.platform.internal;

import dev.ipckit.pool.TaskFunction;
import dev.ipckit.process.SerializableCallable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FunctionBytesTest
{
    private final FunctionBytes.Reader reader =
        new FunctionBytes.Reader(new ClassCache(FunctionBytesTest.class.getClassLoader()));

    private static SerializableCallable<String> task(final int i, final long l, final double d, final boolean b,
        final String s, final Object nothing)
    {
        return () -> i + "/" + l + "/" + d + "/" + b + "/" + s + "/" + nothing;
    }

    private Object read(final byte[] bytes) throws Exception
    {
        return reader.read(bytes, 0, bytes.length);
    }

    @Test
    void aLambdaOfPlainValuesTravelsAsItsShapeAndEachReadIsAFreshLambdaWithItsValues() throws Exception
    {
        final byte[] first = FunctionBytes.encode(task(1, 2L, 3.5, true, "é", null));
        final byte[] second = FunctionBytes.encode(task(-7, Long.MIN_VALUE, -0.0, false, "", null));
        assertEquals(FunctionBytes.LAMBDA, first[0]);
        assertEquals(FunctionBytes.LAMBDA, second[0]);
        assertTrue(first.length < 400, "a shape and five values, not a stream: " + first.length + " bytes");

        final Object one = read(first);
        final Object again = read(first);
        assertNotSame(one, again, "a task is read afresh every time");
        assertEquals("1/2/3.5/true/é/null", ((SerializableCallable<?>)one).call());
        assertEquals("1/2/3.5/true/é/null", ((SerializableCallable<?>)again).call());
        assertEquals("-7/-9223372036854775808/-0.0/false//null", ((SerializableCallable<?>)read(second)).call());
    }

    @Test
    void methodReferencesAndFunctionsTakeTheShortFormToo() throws Exception
    {
        final TaskFunction<String, String> concat = "ab"::concat;
        final TaskFunction<Object, String> valueOf = String::valueOf;
        final TaskFunction<Integer, Integer> increment = x -> x + 1;
        for (final Object function : List.of(concat, valueOf, increment, Nested.task(3)))
        {
            assertEquals(FunctionBytes.LAMBDA, FunctionBytes.encode(function)[0], function.toString());
        }
        assertEquals("abc", apply(read(FunctionBytes.encode(concat)), "c"));
        assertEquals("5", apply(read(FunctionBytes.encode(valueOf)), 5));
        assertEquals(6, apply(read(FunctionBytes.encode(increment)), 5));
        assertEquals(4, ((SerializableCallable<?>)read(FunctionBytes.encode(Nested.task(3)))).call(),
            "a lambda of a nested class (its capturing class is not its nest host)");
    }

    /** Lambdas of a nested class. */
    private static final class Nested
    {
        static SerializableCallable<Integer> task(final int value)
        {
            return () -> value + 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object apply(final Object function, final Object argument) throws Exception
    {
        return ((TaskFunction<Object, Object>)function).apply(argument);
    }

    @Test
    void whatALambdaSharesOrAnyOtherObjectGoesByJavaSerialization() throws Exception
    {
        final List<String> shared = new ArrayList<>(List.of("x"));
        final SerializableCallable<Boolean> sharing = () -> shared == shared;
        final SerializableCallable<Integer> named = new Named();
        final SerializableCallable<byte[]> bytes = bytesOf(new byte[] {1, 2});
        for (final Object function : List.of(sharing, named, bytes))
        {
            assertEquals(FunctionBytes.SERIALIZED, FunctionBytes.encode(function)[0], function.toString());
        }
        assertEquals(true, ((SerializableCallable<?>)read(FunctionBytes.encode(sharing))).call());
        assertEquals(42, ((SerializableCallable<?>)read(FunctionBytes.encode(named))).call());
        assertArrayEquals(new byte[] {1, 2}, (byte[])((SerializableCallable<?>)read(FunctionBytes.encode(bytes))).call());
    }

    private static SerializableCallable<byte[]> bytesOf(final byte[] value)
    {
        return () -> value;
    }

    @Test
    void aLambdaThatCannotBeSerializedFailsAsItDidBefore()
    {
        final Object notSerializable = new Object();
        final SerializableCallable<Object> capturing = () -> notSerializable;
        final NotSerializableException failure =
            assertThrows(NotSerializableException.class, () -> FunctionBytes.encode(capturing));
        assertEquals("java.lang.Object", failure.getMessage());
    }

    @Test
    void everyTruncationOfALambdaIsAnErrorNeverALambda() throws Exception
    {
        final byte[] whole = FunctionBytes.encode(task(1, 2L, 3.5, true, "text", null));
        for (int length = 0; length < whole.length; length++)
        {
            final int cut = length;
            final Exception failure = assertThrows(Exception.class, () -> reader.read(whole, 0, cut), "cut at " + cut);
            assertTrue(failure instanceof IOException || failure instanceof IllegalStateException ||
                failure instanceof IndexOutOfBoundsException, "cut at " + cut + ": " + failure);
        }
    }

    @Test
    void damagedLengthsAndFormatsAreNamed()
    {
        final byte[] whole = encodeUnchecked(task(1, 2L, 3.5, true, "text", null));

        final byte[] unknownFormat = whole.clone();
        unknownFormat[0] = 9;
        assertEquals("unknown function format 9",
            assertThrows(StreamCorruptedException.class, () -> read(unknownFormat)).getMessage());

        final byte[] hugeShape = whole.clone();
        putInt(hugeShape, 1, Integer.MAX_VALUE);
        assertTrue(assertThrows(StreamCorruptedException.class, () -> read(hugeShape)).getMessage()
            .startsWith("the shape length 2147483647 at 1 does not fit"));

        final byte[] negativeString = whole.clone();
        putInt(negativeString, 1 + 4 + 4, -1);
        assertTrue(assertThrows(StreamCorruptedException.class, () -> read(negativeString)).getMessage()
            .startsWith("the shape string length -1 at 9 does not fit"));

        final byte[] trailing = new byte[whole.length + 1];
        System.arraycopy(whole, 0, trailing, 0, whole.length);
        assertTrue(assertThrows(StreamCorruptedException.class, () -> read(trailing)).getMessage()
            .contains("captured values end at " + whole.length));

        assertEquals("a function of no bytes",
            assertThrows(StreamCorruptedException.class, () -> reader.read(whole, 0, 0)).getMessage());
    }

    @Test
    void aShapeNamingNoLambdaOfItsClassIsRefusedByThatClass() throws Exception
    {
        final byte[] whole = FunctionBytes.encode(task(1, 2L, 3.5, true, "text", null));
        final String text = new String(whole, StandardCharsets.ISO_8859_1);
        final int at = text.indexOf("lambda$task$");
        assertTrue(at > 0, "the implementation method's name is in the shape");
        final byte[] forged = whole.clone();
        forged[at] = 'L'; // another method name of the same length
        final InvalidObjectException failure = assertThrows(InvalidObjectException.class, () -> read(forged));
        assertTrue(failure.getMessage().startsWith("no lambda of " + FunctionBytesTest.class.getName() + " matches"),
            failure.getMessage());
    }

    private static byte[] encodeUnchecked(final Object function)
    {
        try
        {
            return FunctionBytes.encode(function);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void putInt(final byte[] bytes, final int at, final int value)
    {
        for (int i = 0; i < Integer.BYTES; i++)
        {
            bytes[at + i] = (byte)(value >>> (8 * i));
        }
    }

    /** A task that is no lambda. */
    private static final class Named implements SerializableCallable<Integer>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call()
        {
            return 42;
        }
    }
}
