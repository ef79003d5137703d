package dev.ipckit.platform;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.RemoteException;
import dev.ipckit.process.SerializableCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import dev.ipckit.platform.internal.LambdaForms;
import dev.ipckit.platform.internal.Serialization;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The one filtered way from bytes to objects: each limit, the class filters (property, API, jdk.serialFilter), and
 * the settings reaching child JVMs. Settings other than the defaults are tried in child JVMs, since they are
 * per JVM and set once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeserializationTest
{
    private static final String[] CHILD = {"-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    @Test
    void objectsNestedDeeperThanTheDefaultLimitAreRejected() throws Exception
    {
        assertEquals(60, depth(Deserialization.fromBytes(Serialization.toBytes(nested(60)))));
        final DeserializationRejectedException rejected = assertThrows(DeserializationRejectedException.class,
            () -> Deserialization.fromBytes(Serialization.toBytes(nested(100))));
        assertContains(rejected.getMessage(), "objects nest 65 deep", "ipckit.serial.maxDepth=64");
        assertInstanceOf(InvalidClassException.class, rejected.getCause(), "the JDK's rejection is the cause");
    }

    @Test
    void anArrayDeclaringMoreElementsThanTheInputHasBytesIsRejectedBeforeItIsAllocated() throws Exception
    {
        final byte[] bytes = Serialization.toBytes(new int[] {1, 2, 3});
        assertArrayEquals(new int[] {1, 2, 3}, (int[])Deserialization.fromBytes(bytes));
        // TC_ENDBLOCKDATA, TC_NULL (no superclass), then the array's length: 3 becomes 2^30.
        final int at = indexOf(bytes, new byte[] {0x78, 0x70, 0, 0, 0, 3}) + 2;
        bytes[at] = 0x40;
        bytes[at + 3] = 0;
        final DeserializationRejectedException rejected =
            assertThrows(DeserializationRejectedException.class, () -> Deserialization.fromBytes(bytes));
        assertContains(rejected.getMessage(), "an array of length 1073741824 (int[])", "input of " + bytes.length);
    }

    @Test
    void configuredLimitsAndTheFilterApiRejectInAChildJvm() throws Exception
    {
        final String outcome = inChild(() ->
        {
            final Object[] references = new Object[20];
            for (int i = 0; i < references.length; i++)
            {
                references[i] = filled(new Object[90], "same");
            }
            final Object[] bulky = new Object[30];
            for (int i = 0; i < bulky.length; i++)
            {
                bulky[i] = filled(new Object[30], null);
                Arrays.setAll((Object[])bulky[i], j -> new byte[90]);
            }
            final StringBuilder result = new StringBuilder();
            result.append(outcome(nested(20))).append('\n');
            result.append(outcome(references)).append('\n');
            result.append(outcome(new byte[500])).append('\n');
            result.append(outcome(bulky)).append('\n');
            result.append(outcome(nested(9))).append('\n');
            Deserialization.setClassFilter(info -> info.serialClass() == TreeMap.class ?
                ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED);
            result.append(outcome(new TreeMap<>())).append('\n');
            try
            {
                Deserialization.setClassFilter("java.**");
                result.append("set twice");
            }
            catch (final IllegalStateException ex)
            {
                result.append(ex.getMessage());
            }
            return result.toString();
        }, "-Dipckit.serial.maxDepth=10", "-Dipckit.serial.maxRefs=1000", "-Dipckit.serial.maxArrayLength=100",
            "-Dipckit.serial.maxBytes=20000");
        final String[] lines = outcome.split("\n");
        assertContains(lines[0], "rejected", "objects nest 11 deep", "ipckit.serial.maxDepth=10");
        assertContains(lines[1], "rejected", "object references, over the limit ipckit.serial.maxRefs=1000");
        assertContains(lines[2], "rejected", "an array of length 500 (byte[])", "ipckit.serial.maxArrayLength=100");
        assertContains(lines[3], "rejected", "bytes, over the limit ipckit.serial.maxBytes=20000");
        assertEquals("read", lines[4], "within every limit");
        assertContains(lines[5], "rejected", "(Deserialization.setClassFilter) rejected class java.util.TreeMap");
        assertContains(lines[6], "a class filter is already set", "once per JVM");
    }

    @Test
    void anInvalidSettingRejectsEveryReadInsteadOfReadingUnfiltered() throws Exception
    {
        final IpcProcess<String> child =
            IpcProcess.of((SerializableCallable<String>)() -> "read").jvmOptions(options("-Dipckit.serial.maxDepth=deep"))
                .start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(1, child.exitCode().orElseThrow());
        final RemoteException failure = assertThrows(RemoteException.class, child::result);
        assertContains(failure.getMessage(), "its task was rejected by the deserialization filter",
            "-Dipckit.serial.maxDepth=\"deep\" is not a positive whole number");
    }

    @Test
    void aChildsClassFilterAppliesToATaskSentAsALambdasShapeAndValues() throws Exception
    {
        // A lambda capturing only plain values goes to a child without an object stream: the filter still sees it.
        final String word = String.valueOf(new char[]{'r', 'e', 'a', 'd'}); // not a constant: captured
        final int count = word.length();
        for (final String filter : List.of(DeserializationTest.class.getName(), "java.lang.Integer"))
        {
            final IpcProcess<String> child = IpcProcess.of((SerializableCallable<String>)() -> word + count)
                .jvmOptions(options("-Dipckit.serialFilter=!" + filter)).start();
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals(1, child.exitCode().orElseThrow(), filter);
            final RemoteException failure = assertThrows(RemoteException.class, child::result);
            assertContains(failure.getMessage(), "its task was rejected by the deserialization filter",
                "rejected class " + filter);
        }
    }

    @Test
    void theClassFilterPropertyAndJdkSerialFilterBothApplyInAChildJvm() throws Exception
    {
        final String outcome = inChild(() -> outcome(new ArrayList<>(List.of(1))) + "\n" + outcome(new TreeMap<>()) +
                "\n" + outcome(new LinkedList<>(List.of(1))) + "\n" + Deserialization.childJvmOptions() + "\n" +
                lambdaOutcome(returning(new ArrayList<>())) + "\n" + lambdaOutcome(returning(new TreeMap<>())) +
                "\n" + lambdaOutcome(returning(new LinkedList<>())),
            "-Dipckit.serialFilter=!java.util.ArrayList", "-Djdk.serialFilter=!java.util.TreeMap");
        final String[] lines = outcome.split("\n");
        assertContains(lines[0], "rejected", "ipckit.serialFilter=\"!java.util.ArrayList\" rejected class java.util.ArrayList");
        assertContains(lines[1], "rejected", "the JVM-wide filter (jdk.serialFilter) rejected class java.util.TreeMap");
        assertEquals("read", lines[2]);
        assertContains(lines[3], "-Dipckit.serialFilter=!java.util.ArrayList", "-Djdk.serialFilter=!java.util.TreeMap");
        assertContains(lines[4], "rejected", "rejected class java.util.ArrayList");
        assertContains(lines[5], "rejected", "the JVM-wide filter (jdk.serialFilter) rejected class java.util.TreeMap");
        assertEquals("read", lines[6], "a lambda from its form, behind the same filters as a stream");
    }

    @Test
    void aLambdaIsMadeFromItsFormByItsOwnClassWhichRefusesAFormItHasNoLambdaFor() throws Exception
    {
        final SerializedLambda form = LambdaForms.formOf(returning("value"));
        assertNotNull(form);
        assertEquals("value", ((SerializableCallable<?>)Deserialization.lambda(form, null)).call());

        final SerializedLambda renamed = new SerializedLambda(DeserializationTest.class,
            form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
            form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(), form.getImplClass(),
            "lambda$none$0", form.getImplMethodSignature(), form.getInstantiatedMethodType(), new Object[] {"value"});
        assertContains(assertThrows(InvalidObjectException.class, () -> Deserialization.lambda(renamed, null))
            .getMessage(), "no lambda of " + DeserializationTest.class.getName() + " matches");

        final SerializedLambda elsewhere = new SerializedLambda(DeniedTask.class,
            form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
            form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(), form.getImplClass(),
            form.getImplMethodName(), form.getImplMethodSignature(), form.getInstantiatedMethodType(),
            new Object[] {"value"});
        assertEquals(DeniedTask.class.getName() + " has no serializable lambdas",
            assertThrows(InvalidObjectException.class, () -> Deserialization.lambda(elsewhere, null)).getMessage());
        assertNull(LambdaForms.formOf(new DeniedTask()), "no lambda");
        assertNull(LambdaForms.formOf((Runnable)() -> { }), "not serializable");
    }

    static SerializableCallable<Object> returning(final Object value)
    {
        return () -> value;
    }

    static String lambdaOutcome(final Object lambda)
    {
        try
        {
            Deserialization.lambda(LambdaForms.formOf(lambda), null);
            return "read";
        }
        catch (final DeserializationRejectedException ex)
        {
            return "rejected: " + ex.getMessage();
        }
        catch (final Exception ex)
        {
            return "failed: " + ex;
        }
    }

    @Test
    void aClassFilterSetByTheApiReachesTheChildrenStartedAfterwards() throws Exception
    {
        final String outcome = inChild(() ->
        {
            Deserialization.setClassFilter("!java.util.LinkedList");
            final String here = outcome(new LinkedList<>(List.of(1)));
            final IpcProcess<String> grandchild = IpcProcess.of(
                (SerializableCallable<String>)() -> outcome(new LinkedList<>(List.of(2)))).jvmOptions(CHILD).start();
            grandchild.join();
            return here + "\n" + grandchild.result();
        });
        final String[] lines = outcome.split("\n");
        assertContains(lines[0], "rejected", "the class filter \"!java.util.LinkedList\" (Deserialization.setClassFilter)",
            "rejected class java.util.LinkedList");
        assertContains(lines[1], "rejected", "ipckit.serialFilter=\"!java.util.LinkedList\" rejected class java.util.LinkedList");
    }

    @Test
    void aChildWhoseTaskTheFilterRejectsFailsWithAClearMessage() throws Exception
    {
        final IpcProcess<String> child = IpcProcess.of(new DeniedTask()).name("denied")
            .jvmOptions(options("-Dipckit.serialFilter=!" + DeniedTask.class.getName())).start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(1, child.exitCode().orElseThrow(), "the task never ran");
        final RemoteException failure = assertThrows(RemoteException.class, child::result);
        assertContains(failure.getMessage(), "child process 'denied': its task was rejected by the deserialization " +
            "filter: the class filter ipckit.serialFilter=\"!" + DeniedTask.class.getName() + "\" rejected class " +
            DeniedTask.class.getName());
    }

    @Test
    void aChildResultTheParentRejectsIsAClearError() throws Exception
    {
        final IpcProcess<Object[]> child =
            IpcProcess.of((SerializableCallable<Object[]>)() -> nested(100)).name("deep").jvmOptions(CHILD).start();
        assertTrue(child.join(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitCode().orElseThrow());
        final IllegalStateException rejected = assertThrows(IllegalStateException.class, child::result);
        assertContains(rejected.getMessage(), "the result of IpcProcess 'deep' was rejected by the deserialization " +
            "filter: objects nest 65 deep", "ipckit.serial.maxDepth=64");
    }

    /** A task the child's filter denies. */
    static final class DeniedTask implements SerializableCallable<String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public String call()
        {
            return "ran";
        }
    }

    static String outcome(final Object value)
    {
        try
        {
            Deserialization.fromBytes(Serialization.toBytes(value));
            return "read";
        }
        catch (final DeserializationRejectedException ex)
        {
            return "rejected: " + ex.getMessage();
        }
        catch (final Exception ex)
        {
            return "failed: " + ex;
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

    private static int depth(final Object value)
    {
        int depth = 0;
        for (Object[] array = (Object[])value; ; array = (Object[])array[0])
        {
            depth++;
            if (array.length == 0)
            {
                return depth;
            }
        }
    }

    private static Object[] filled(final Object[] array, final Object value)
    {
        Arrays.fill(array, value);
        return array;
    }

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            for (int j = 0; j < part.length; j++)
            {
                if (bytes[i + j] != part[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static String[] options(final String... more)
    {
        final List<String> all = new ArrayList<>(List.of(CHILD));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static String inChild(final SerializableCallable<String> task, final String... options) throws Exception
    {
        final IpcProcess<String> child = IpcProcess.of(task).jvmOptions(options(options)).start();
        assertTrue(child.join(90, TimeUnit.SECONDS), "the child finished");
        return child.result();
    }

    static void assertContains(final String text, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(text != null && text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }
}
