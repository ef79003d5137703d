package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCondition;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.value.SharedInt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A condition, as Python's {@code Condition} lesson shows it: two consumers wait under a lock until there is stock
 * ({@code wait_for}); a producer makes one item at a time and wakes the waiters ({@code notify_all}), and each item
 * goes to exactly one consumer, who wakes the producer in turn: it makes the next item once the stock is empty.
 */
public final class ConditionDemo
{
    private static final int CONSUMERS = 2;

    private ConditionDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("condition"), 64 * 1024))
        {
            final SharedLock lock = SharedLock.create(region, "lock");
            final SharedCondition stocked = SharedCondition.create(region, "stocked", lock);
            final SharedInt stock = SharedInt.createRaw(region, "stock", 0);
            final SharedCountDownLatch waiting = SharedCountDownLatch.create(region, "waiting", CONSUMERS);
            final List<IpcProcess<Void>> children = new ArrayList<>();
            for (int c = 1; c <= CONSUMERS; c++)
            {
                children.add(IpcProcess.<Void>of(() ->
                {
                    Lesson.require("the lock", lock.tryLock(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    try
                    {
                        Lesson.say("waiting for stock (stock=" + stock.get() + ")");
                        waiting.countDown();
                        Lesson.require("stock", stocked.waitFor(() -> stock.get() > 0, Lesson.WAIT_SECONDS,
                            TimeUnit.SECONDS));
                        stock.set(stock.get() - 1);
                        Lesson.say("woken with stock: took an item, " + stock.get() + " left");
                        stocked.signalAll();
                    }
                    finally
                    {
                        lock.unlock();
                    }
                    return null;
                }).name("consumer-" + c).jvmOptions(Lesson.SMALL_JVM));
            }
            children.add(IpcProcess.<Void>of(() ->
            {
                Lesson.require("both consumers waiting", waiting.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                for (int item = 1; item <= CONSUMERS; item++)
                {
                    Lesson.require("the lock", lock.tryLock(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    try
                    {
                        Lesson.require("an empty stock", stocked.waitFor(() -> stock.get() == 0, Lesson.WAIT_SECONDS,
                            TimeUnit.SECONDS));
                        stock.set(stock.get() + 1);
                        Lesson.say("made item " + item + " (stock=" + stock.get() + "): signalAll");
                        stocked.signalAll();
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
                return null;
            }).name("producer").jvmOptions(Lesson.SMALL_JVM));
            Lesson.startAll(children);
            Lesson.joinAll(children);
            Lesson.say(out, "every consumer got an item; stock left: " + stock.get());
        }
    }
}
