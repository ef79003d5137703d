package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.SharedQueue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A queue between processes, as Python's producer-consumer lesson shows it: two producers put numbers, two consumers
 * take them (each number goes to exactly one consumer), and once the producers are done the main process puts one
 * sentinel per consumer, on which each consumer stops.
 */
public final class QueueDemo
{
    /** The sentinel: a consumer that takes it stops. */
    static final String SENTINEL = "STOP";

    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 2;
    private static final int ITEMS = 5;
    /** How long a consumer works on each item, so that both consumers get some. */
    private static final long CONSUME_MILLIS = 40;

    private QueueDemo()
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
        try (SharedQueue<Object> queue = SharedQueue.create())
        {
            Lesson.say(out, "queue " + queue.name() + " at " + queue.directory());
            final List<IpcProcess<Void>> producers = new ArrayList<>();
            for (int p = 1; p <= PRODUCERS; p++)
            {
                final int first = p * 100;
                producers.add(IpcProcess.<Void>of(() ->
                {
                    for (int i = 1; i <= ITEMS; i++)
                    {
                        queue.put(first + i);
                        Lesson.say("put " + (first + i));
                    }
                    Lesson.say("done: put " + ITEMS + " items");
                    return null;
                }).name("producer-" + p).jvmOptions(Lesson.SMALL_JVM));
            }
            final List<IpcProcess<Integer>> consumers = new ArrayList<>();
            for (int c = 1; c <= CONSUMERS; c++)
            {
                consumers.add(IpcProcess.of(() ->
                {
                    int taken = 0;
                    while (true)
                    {
                        final Object item = queue.poll(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                        Lesson.require("a message", item != null);
                        if (SENTINEL.equals(item))
                        {
                            Lesson.say("got the sentinel " + SENTINEL + ": stopping after " + taken + " items");
                            return taken;
                        }
                        final int n = (Integer)item;
                        Lesson.work(CONSUME_MILLIS);
                        Lesson.say("got " + n + " -> " + n * n);
                        taken++;
                    }
                }).name("consumer-" + c).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(consumers);
            Lesson.startAll(producers);
            Lesson.joinAll(producers);
            Lesson.say(out, "producers done; putting " + CONSUMERS + " sentinels, one per consumer");
            for (int c = 0; c < CONSUMERS; c++)
            {
                queue.put(SENTINEL);
            }
            Lesson.joinAll(consumers);
            int total = 0;
            for (final IpcProcess<Integer> consumer : consumers)
            {
                Lesson.say(out, consumer.name() + " (pid " + consumer.pid() + ") took " + consumer.result() + " items");
                total += consumer.result();
            }
            Lesson.say(out, "taken in all: " + total + " of " + PRODUCERS * ITEMS + " put; queue empty: " +
                queue.isEmpty());
        }
    }
}
