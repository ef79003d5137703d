package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.value.SharedInt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lock between processes, as Python's {@code Lock} lesson shows it: children take turns in a critical section that
 * prints and does a read-modify-write on a shared counter ({@code c.set(c.get() + 1)}, not atomic by itself). A
 * gauge of the processes inside shows the sections never overlap, and the counter loses no update. A start latch
 * releases the children together, so they contend for the lock.
 */
public final class LockDemo
{
    private static final int WORKERS = 3;
    private static final int ROUNDS = 2;
    private static final int INCREMENTS = 5_000;
    /** Work between rounds, outside the lock, which lets the others take their turn. */
    private static final long OUTSIDE_MILLIS = 30;

    private LockDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("lock"), 64 * 1024))
        {
            final SharedLock lock = SharedLock.create(region, "lock");
            final SharedInt counter = SharedInt.createRaw(region, "counter", 0);
            final SharedInt inside = SharedInt.createRaw(region, "inside", 0);
            final SharedInt mostInside = SharedInt.createRaw(region, "mostInside", 0);
            final SharedCountDownLatch started = SharedCountDownLatch.create(region, "started", WORKERS);
            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int w = 1; w <= WORKERS; w++)
            {
                workers.add(IpcProcess.<Void>of(() ->
                {
                    started.countDown();
                    Lesson.require("every worker's start", started.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    for (int round = 1; round <= ROUNDS; round++)
                    {
                        Lesson.require("the lock", lock.tryLock(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                        try
                        {
                            final int now = inside.incrementAndGet();
                            SemaphoreDemo.raise(mostInside, now);
                            Lesson.say("round " + round + ": holds the lock, " + now + " inside");
                            for (int i = 0; i < INCREMENTS; i++)
                            {
                                counter.set(counter.get() + 1);
                            }
                            Lesson.say("round " + round + ": added " + INCREMENTS + ", releasing the lock");
                            inside.decrementAndGet();
                        }
                        finally
                        {
                            lock.unlock();
                        }
                        Lesson.work(OUTSIDE_MILLIS);
                    }
                    return null;
                }).name("worker-" + w).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(workers);
            Lesson.joinAll(workers);
            Lesson.say(out, "most processes inside the critical section at once: " + mostInside.get());
            Lesson.say(out, "counter = " + counter.get() + " (expected " + WORKERS * ROUNDS * INCREMENTS +
                "): the read-modify-write under the lock lost nothing");
        }
    }
}
