package dev.ipckit.pool;

import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.ClassCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class WorkerFunctionsTest
{
    private final WorkerFunctions functions = new WorkerFunctions(new FunctionBytes.Reader(new ClassCache(getClass().getClassLoader())));

    private static byte[] bytesOf(final int addend) throws Exception
    {
        final TaskFunction<Integer, Integer> add = x -> x + addend;
        return FunctionBytes.encode(add);
    }

    @SuppressWarnings("unchecked")
    private static int applyTo(final Object function, final int item) throws Exception
    {
        return ((TaskFunction<Integer, Integer>)function).apply(item);
    }

    @Test
    void theSameBytesGiveTheKeptFunctionAndOtherBytesAnother() throws Exception
    {
        final byte[] one = bytesOf(1);
        final Object first = functions.get(one, 0, one.length);
        assertSame(first, functions.get(one.clone(), 0, one.length));
        final byte[] two = bytesOf(2);
        final Object second = functions.get(two, 0, two.length);
        assertNotSame(first, second);
        assertEquals(11, applyTo(first, 10));
        assertEquals(12, applyTo(second, 10));
    }

    @Test
    void bytesInsideALargerArrayAreFound() throws Exception
    {
        final byte[] one = bytesOf(1);
        final byte[] framed = new byte[one.length + 7];
        System.arraycopy(one, 0, framed, 3, one.length);
        final Object framedFunction = functions.get(framed, 3, one.length);
        assertSame(framedFunction, functions.get(one, 0, one.length));
        assertEquals(6, applyTo(framedFunction, 5));
    }

    @Test
    void theOldestIsForgottenWhenMoreThanCapacityArrive() throws Exception
    {
        final byte[] first = bytesOf(0);
        final Object kept = functions.get(first, 0, first.length);
        for (int i = 1; i < WorkerFunctions.CAPACITY; i++)
        {
            final byte[] other = bytesOf(i);
            functions.get(other, 0, other.length);
        }
        assertSame(kept, functions.get(first, 0, first.length), "still among the last " + WorkerFunctions.CAPACITY);
        final byte[] oneMore = bytesOf(WorkerFunctions.CAPACITY);
        functions.get(oneMore, 0, oneMore.length);
        assertNotSame(kept, functions.get(first, 0, first.length), "forgotten, read afresh");
    }
}
