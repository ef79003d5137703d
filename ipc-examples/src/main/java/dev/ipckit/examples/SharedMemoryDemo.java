package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedDoubleArray;
import dev.ipckit.value.SharedLong;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shared memory between processes, as Python's {@code Value} and {@code Array} lesson shows it: children change a
 * counter, a double, an array and a string, and the parent sees every change after join.
 */
public final class SharedMemoryDemo
{
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
        try (SharedRegion region = SharedRegion.create("values-demo-" + ProcessInfo.currentPid(), 1 << 20))
        {
            final SharedLong counter = SharedLong.create(region, "counter", 0);
            final SharedDouble total = SharedDouble.create(region, "total", 0.0);
            final SharedDoubleArray squares = SharedDoubleArray.create(region, "squares", new double[] {1, 2, 3, 4, 5});
            final SharedByteArray text = SharedByteArray.create(region, "text", 32);
            text.setString("hello");
            out.println("region " + region.name() + " at " + region.path());
            out.println("before: counter=" + counter.get() + " total=" + total.get() +
                " squares=" + Arrays.toString(squares.toArray()) + " text=\"" + text.getString() + "\"");

            final int children = 4;
            final int increments = 10_000;
            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                final int id = c;
                workers.add(IpcProcess.of(() ->
                {
                    for (int i = 0; i < increments; i++)
                    {
                        counter.incrementAndGet();
                    }
                    total.getAndAdd(0.5);
                    System.out.println("  [" + ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid() +
                        "] added " + increments + " to the counter and 0.5 to the total");
                    if (id == 0)
                    {
                        for (int i = 0; i < squares.length(); i++)
                        {
                            squares.set(i, squares.get(i) * squares.get(i));
                        }
                        text.setString(text.getString().toUpperCase() + " from a child");
                    }
                }).name("adder-" + c));
            }
            workers.forEach(IpcProcess::start);
            for (final IpcProcess<Void> worker : workers)
            {
                worker.join();
                if (worker.exitCode().orElse(-1) != 0)
                {
                    throw new IllegalStateException(worker.name() + " failed with exit code " + worker.exitCode() +
                        ": " + worker.failure().map(Throwable::toString).orElse("no failure recorded"));
                }
            }
            out.println("after:  counter=" + counter.get() + " (expected " + children * increments + ") total=" +
                total.get() + " squares=" + Arrays.toString(squares.toArray()) + " text=\"" + text.getString() + "\"");
            out.println("every update used an atomic incrementAndGet on the shared memory: none was lost");
        }
    }
}
