package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.SharedInt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A semaphore limiting concurrent access, as Python's {@code Semaphore} lesson shows it: four children want a
 * resource that admits two at a time. Each counts itself in a shared gauge while inside, and the main process prints
 * the most the gauge ever showed: never more than the permits.
 */
public final class SemaphoreDemo
{
    static final int PERMITS = 2;
    private static final int WORKERS = 4;
    private static final long INSIDE_MILLIS = 150;

    private SemaphoreDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("semaphore"), 64 * 1024))
        {
            final SharedSemaphore slots = SharedSemaphore.create(region, "slots", PERMITS);
            final SharedCountDownLatch started = SharedCountDownLatch.create(region, "started", WORKERS);
            final SharedInt inside = SharedInt.createRaw(region, "inside", 0);
            final SharedInt mostInside = SharedInt.createRaw(region, "mostInside", 0);
            Lesson.say(out, "a semaphore of " + PERMITS + " permits for " + WORKERS + " processes");
            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int w = 1; w <= WORKERS; w++)
            {
                workers.add(IpcProcess.<Void>of(() ->
                {
                    started.countDown();
                    Lesson.require("every worker's start", started.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    Lesson.say("waiting for a permit");
                    Lesson.require("a permit", slots.tryAcquire(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    try
                    {
                        final int now = inside.incrementAndGet();
                        raise(mostInside, now);
                        Lesson.say("got a permit: " + now + " inside");
                        Lesson.work(INSIDE_MILLIS);
                        Lesson.say("leaving");
                        inside.decrementAndGet();
                    }
                    finally
                    {
                        slots.release();
                    }
                    return null;
                }).name("worker-" + w).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(workers);
            Lesson.joinAll(workers);
            Lesson.say(out, "most processes inside at once: " + mostInside.get() + " (limit " + PERMITS + ")");
            Lesson.say(out, "permits after everyone left: " + slots.availablePermits());
        }
    }

    /** Raises {@code most} to {@code value} if it is lower, by compare-and-set: other processes may raise it too. */
    static void raise(final SharedInt most, final int value)
    {
        int seen = most.get();
        while (value > seen && !most.compareAndSet(seen, value))
        {
            seen = most.get();
        }
    }
}
