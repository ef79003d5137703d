package dev.ipckit.pool;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A pool task whose result, job or function the deserialization filter rejects fails alone; the pool goes on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolFilterTest
{
    private static final String[] JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    @TempDir
    Path dir;

    @Test
    void aResultTheParentRejectsFailsThatTaskAndTheNextOneSucceeds() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(
            PoolOptions.defaults().withWorkers(1).withDirectory(dir).withJvmOptions(JVM));
        try
        {
            final ExecutionException failure =
                assertThrows(ExecutionException.class, () -> pool.applyAsync(() -> nested(100)).get(60, TimeUnit.SECONDS));
            assertContains(failure.getCause().getMessage(), "cannot be read in this process",
                "a value from another process was rejected by the deserialization filter", "objects nest 65 deep",
                "ipckit.serial.maxDepth=64");
            assertEquals(42, pool.apply(() -> 42));
            assertEquals(1, ((Object[])pool.apply(() -> nested(20))).length, "a result within the limits");
        }
        finally
        {
            pool.terminate();
        }
    }

    @Test
    void aJobOrFunctionTheWorkersFilterRejectsFailsThatTaskAndThePoolGoesOn() throws Exception
    {
        final String directory = dir.toString();
        // The whole pool runs in a child JVM with the filter; its workers get it from there.
        final IpcProcess<String> child = IpcProcess.of((SerializableCallable<String>)() ->
        {
            final ProcessPool pool = ProcessPool.create(
                PoolOptions.defaults().withWorkers(1).withDirectory(Path.of(directory)).withJvmOptions(JVM));
            final StringBuilder outcome = new StringBuilder();
            try
            {
                try
                {
                    pool.apply(new DeniedJob());
                    outcome.append("job ran");
                }
                catch (final ExecutionException ex)
                {
                    outcome.append(ex.getCause().getMessage());
                }
                outcome.append('\n').append(pool.apply(() -> 6 * 7)).append('\n');
                try
                {
                    pool.apply(new DeniedFunction(), 1);
                    outcome.append("function ran");
                }
                catch (final ExecutionException ex)
                {
                    outcome.append(ex.getCause().getMessage());
                }
                outcome.append('\n').append(pool.apply((Integer x) -> x + 1, 6));
                // Lambdas of a denied class, capturing plain values: they travel as their shape, not as a stream.
                for (final SerializableCallable<?> denied :
                    List.<SerializableCallable<?>>of(DeniedLambdas.task(1), () -> DeniedLambdas.function(1).apply(2)))
                {
                    outcome.append('\n');
                    try
                    {
                        outcome.append(pool.apply(denied));
                    }
                    catch (final ExecutionException ex)
                    {
                        outcome.append(ex.getCause().getMessage());
                    }
                }
                try
                {
                    pool.apply(DeniedLambdas.function(3), 1);
                    outcome.append("\nfunction ran");
                }
                catch (final ExecutionException ex)
                {
                    outcome.append('\n').append(ex.getCause().getMessage());
                }
            }
            finally
            {
                pool.terminate();
            }
            return outcome.toString();
        }).jvmOptions(options("-Dipckit.serialFilter=!" + DeniedJob.class.getName() + ";!" +
            DeniedFunction.class.getName() + ";!" + DeniedLambdas.class.getName())).start();
        assertTrue(child.join(150, TimeUnit.SECONDS));
        final String[] lines = child.result().split("\n");
        assertContains(lines[0], "the task was rejected by the deserialization filter in worker",
            "rejected class " + DeniedJob.class.getName());
        assertEquals("42", lines[1]);
        assertContains(lines[2], "the function was rejected by the deserialization filter in worker",
            "rejected class " + DeniedFunction.class.getName());
        assertEquals("7", lines[3]);
        assertContains(lines[4], "the task was rejected by the deserialization filter in worker",
            "rejected class " + DeniedLambdas.class.getName());
        assertEquals("3", lines[5], "a lambda of an allowed class calling into the denied one: only the lambda's class" +
            " is read");
        assertContains(lines[6], "the function was rejected by the deserialization filter in worker",
            "rejected class " + DeniedLambdas.class.getName());
    }

    /** Lambdas whose capturing class the workers' filter denies. */
    static final class DeniedLambdas
    {
        private DeniedLambdas()
        {
        }

        static SerializableCallable<Integer> task(final int value)
        {
            return () -> value + 1;
        }

        static TaskFunction<Integer, Integer> function(final int addend)
        {
            return x -> x + addend;
        }
    }

    /** A job the workers' filter denies. */
    static final class DeniedJob implements SerializableCallable<String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public String call()
        {
            return "ran";
        }
    }

    /** A function the workers' filter denies. */
    static final class DeniedFunction implements TaskFunction<Integer, Integer>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer apply(final Integer value)
        {
            return value;
        }
    }

    static Object[] nested(final int depth)
    {
        Object[] value = new Object[0];
        for (int i = 1; i < depth; i++)
        {
            value = new Object[] {value};
        }
        return value;
    }

    private static String[] options(final String... more)
    {
        final String[] all = new String[JVM.length + more.length];
        System.arraycopy(JVM, 0, all, 0, JVM.length);
        System.arraycopy(more, 0, all, JVM.length, more.length);
        return all;
    }

    private static void assertContains(final String text, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(text != null && text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }
}
