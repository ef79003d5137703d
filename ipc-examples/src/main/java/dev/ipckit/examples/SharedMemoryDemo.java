package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.value.SharedByte;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedDoubleArray;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedIntArray;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shared memory between processes, as Python's {@code Value} and {@code Array} lesson shows it: children change an
 * int, a double and a char value, and an int, a double and a char array, and the parent sees every change after join.
 */
public final class SharedMemoryDemo
{
    private static final int CHILDREN = 3;
    private static final int INCREMENTS = 10_000;

    private SharedMemoryDemo()
    {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored.
     * @throws Exception if a step fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(System.out);
    }

    static void run(final PrintStream out) throws Exception
    {
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("values"), 1 << 20))
        {
            final SharedInt counter = SharedInt.create(region, "counter", 0);                  // Value('i', 0)
            final SharedDouble total = SharedDouble.create(region, "total", 0.0);              // Value('d', 0.0)
            final SharedByte grade = SharedByte.create(region, "grade", (byte)'a');            // Value('c', b'a')
            final SharedIntArray perChild = SharedIntArray.create(region, "perChild", CHILDREN); // Array('i', 3)
            final SharedDoubleArray squares =
                SharedDoubleArray.create(region, "squares", new double[] {1, 2, 3, 4, 5});    // Array('d', [...])
            final SharedByteArray text = SharedByteArray.create(region, "text", 32);          // Array('c', 32)
            text.setString("hello");
            Lesson.say(out, "region " + region.name() + " at " + region.path());
            Lesson.say(out, "before: " + describe(counter, total, grade, perChild, squares, text));

            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int c = 0; c < CHILDREN; c++)
            {
                final int id = c;
                workers.add(IpcProcess.of(() ->
                {
                    for (int i = 0; i < INCREMENTS; i++)
                    {
                        counter.incrementAndGet();
                    }
                    total.getAndAdd(0.5);
                    perChild.set(id, (id + 1) * 100);
                    Lesson.say("added " + INCREMENTS + " to the int counter, 0.5 to the double total, set perChild[" +
                        id + "] = " + (id + 1) * 100);
                    if (id == 0)
                    {
                        for (int i = 0; i < squares.length(); i++)
                        {
                            squares.set(i, squares.get(i) * squares.get(i));
                        }
                        text.setString(text.getString().toUpperCase() + " from a child");
                        grade.set((byte)'z');
                        Lesson.say("squared the double array, rewrote the char array, set the char value to 'z'");
                    }
                }).name("adder-" + c).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(workers);
            Lesson.joinAll(workers);
            Lesson.say(out, "after:  " + describe(counter, total, grade, perChild, squares, text));
            Lesson.say(out, "counter=" + counter.get() + " (expected " + CHILDREN * INCREMENTS + "): every update " +
                "was an atomic incrementAndGet on the shared memory, none was lost");
        }
    }

    private static String describe(
        final SharedInt counter, final SharedDouble total, final SharedByte grade, final SharedIntArray perChild,
        final SharedDoubleArray squares, final SharedByteArray text)
    {
        return "int counter=" + counter.get() + " double total=" + total.get() + " char grade='" +
            (char)grade.get() + "' int[] perChild=" + Arrays.toString(perChild.toArray()) + " double[] squares=" +
            Arrays.toString(squares.toArray()) + " char[] text=\"" + text.getString() + "\"";
    }
}
