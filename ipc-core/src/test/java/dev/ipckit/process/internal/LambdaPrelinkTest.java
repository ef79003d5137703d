package dev.ipckit.process.internal;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableRunnable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaPrelinkTest
{
    @Test
    void aLinkedShapeMakesTheClassTheTasksOwnDeserializationThenUses() throws Exception
    {
        final long seed = 41;
        final int small = 2;
        final double ratio = 0.5;
        final boolean flag = true;
        final char letter = 'c';
        final String name = "n";
        final List<Object> tasks = List.of(
            (SerializableCallable<Integer>)() -> 1,
            (SerializableCallable<Long>)() -> seed + small,
            (SerializableCallable<String>)() -> name + ratio + flag + letter,
            new Receiver().task(name),
            (SerializableCallable<Integer>)name::length,
            (SerializableCallable<List<String>>)ArrayList::new,
            (SerializableCallable<Long>)System::nanoTime,
            (SerializableRunnable)() -> System.out.print(""));
        for (final Object task : tasks)
        {
            final String shape = LambdaPrelink.shapeOf(task);
            assertNotNull(shape, task.toString());
            final Object made = LambdaPrelink.make(shape);
            assertNotNull(made, shape);
            final Object read = Deserialization.fromBytes(Serialization.toBytes(task));
            assertSame(made.getClass(), read.getClass(),
                "the task's deserialization finds the class the link made: " + shape);
            assertTrue(LambdaPrelink.link(shape));
            assertTrue(LambdaPrelink.linked().contains(shape));
        }
        final Object read = Deserialization.fromBytes(Serialization.toBytes(tasks.get(1)));
        assertEquals(43L, ((SerializableCallable<?>)read).call(), "placeholders went to the link's lambda, not here");
    }

    @Test
    void aShapeIsMadeOncePerLambdaClassAndOnlyForSerializableLambdas()
    {
        final SerializableCallable<Integer> task = () -> 3;
        assertSame(LambdaPrelink.shapeOf(task), LambdaPrelink.shapeOf(task));
        assertTrue(LambdaPrelink.shapeOf(task).contains(LambdaPrelinkTest.class.getName().replace('.', '/')));
        assertNull(LambdaPrelink.shapeOf(new NamedTask()), "no lambda: the class preload covers it");
        final Runnable notSerializable = () -> { };
        assertNull(LambdaPrelink.shapeOf(notSerializable));
    }

    @Test
    void aShapeThatDoesNotParseOrFitsNoLambdaIsSkipped()
    {
        final String good = LambdaPrelink.shapeOf((SerializableCallable<Integer>)() -> 4);
        final String[] fields = good.split("\\.", -1);
        for (final String bad : List.of("", "x", good + ".extra", good.substring(good.indexOf('.')),
            "99" + good.substring(good.indexOf('.')), "x" + good.substring(good.indexOf('.')),
            good.replace(fields[1], "no/such/Capturer"),
            good.replace(fields[6], "lambda$noSuchLambda$9"),
            good.replace(fields[7], "(Lno/such/Type;)Ljava/lang/Integer;")))
        {
            assertNull(LambdaPrelink.make(bad), bad);
            assertFalse(LambdaPrelink.link(bad), bad);
            assertFalse(LambdaPrelink.linked().contains(bad), bad);
        }
    }

    /** Its lambda captures {@code this}: an instance's implementation method, the receiver first. */
    private static final class Receiver implements java.io.Serializable
    {
        private static final long serialVersionUID = 1L;
        private final String text = "kept";

        SerializableCallable<String> task(final String name)
        {
            return () -> text + name;
        }
    }

    private static final class NamedTask implements SerializableCallable<Integer>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call()
        {
            return 5;
        }
    }
}
