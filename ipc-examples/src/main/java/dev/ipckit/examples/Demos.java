package dev.ipckit.examples;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo registry behind {@code ipckit demo} ({@link DemoCommand}).
 */
final class Demos
{
    /** One demo: a description and the code that prints it. */
    interface Demo
    {
        String description();

        void run(PrintStream out) throws Exception;
    }

    static final Map<String, Demo> DEMOS = new LinkedHashMap<>();

    static
    {
        DEMOS.put("processes", demo("start, join, pid, name, alive, exit codes, terminate and kill", ProcessBasicsDemo::run));
        DEMOS.put("info", demo("process information: name, pid, parent pid, cpu count, daemon flag, active children",
            ProcessInfoDemo::run));
        DEMOS.put("pool", demo("a pool: map, apply, applyAsync with a callback, mapAsync, starmap, timeouts", PoolDemo::run));
        DEMOS.put("timing", demo("the same CPU-bound tasks sequentially and in a pool: times and speedup",
            PoolTimingDemo::run));
        DEMOS.put("mapreduce", demo("word count: a pool counts the words of each chunk, the main process adds them up",
            MapReduceDemo::run));
        DEMOS.put("queue", demo("a queue: two producers, two consumers, ended by one sentinel each", QueueDemo::run));
        DEMOS.put("pipe", demo("a one-way pipe: a child sends, the main process receives until end of stream",
            PipeDemo::run));
        DEMOS.put("duplex", demo("request and response on a duplex pipe: a child answers the main process's requests",
            RequestResponsePipeDemo::run));
        DEMOS.put("remote", demo("two hosts on loopback: one serves a queue, another works it with the key, a " +
            "wrong key is refused", RemoteDemo::run));
        DEMOS.put("values", demo("shared Value and Array (int, double, char) changed by child processes",
            SharedMemoryDemo::run));
        DEMOS.put("manager", demo("a manager's dict and list written by child processes", ManagerDemo::run));
        DEMOS.put("lock", demo("a lock: critical sections of several processes never overlap", LockDemo::run));
        DEMOS.put("rlock", demo("a reentrant lock taken again at every level of a recursive function", RLockDemo::run));
        DEMOS.put("semaphore", demo("a semaphore of 2 permits: at most 2 of 4 processes inside at once",
            SemaphoreDemo::run));
        DEMOS.put("event", demo("an event: children wait until the main process sets it", EventDemo::run));
        DEMOS.put("condition", demo("a condition: consumers wait for stock, a producer signals", ConditionDemo::run));
        DEMOS.put("barrier", demo("a barrier: parties wait for each other between two phases; its action runs once",
            BarrierDemo::run));
        DEMOS.put("race", demo("processes race on one counter: no lock, a broken lock, SharedLock, incrementAndGet",
            out -> RaceDemo.run(RaceOptions.defaults(), out)));
    }

    private Demos()
    {
    }

    private static Demo demo(final String description, final DemoBody body)
    {
        return new Demo()
        {
            public String description()
            {
                return description;
            }

            public void run(final PrintStream out) throws Exception
            {
                body.run(out);
            }
        };
    }

    @FunctionalInterface
    interface DemoBody
    {
        void run(PrintStream out) throws Exception;
    }
}
