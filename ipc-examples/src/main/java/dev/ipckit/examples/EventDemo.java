package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An event, as Python's {@code Event} lesson shows it: two children wait for it, the main process sets it and both
 * go on; cleared again, a timed wait returns false.
 */
public final class EventDemo
{
    private static final int WAITERS = 2;

    private EventDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("event"), 64 * 1024))
        {
            final SharedEvent go = SharedEvent.create(region, "go");
            final SharedCountDownLatch waiting = SharedCountDownLatch.create(region, "waiting", WAITERS);
            final List<IpcProcess<Void>> waiters = new ArrayList<>();
            for (int w = 1; w <= WAITERS; w++)
            {
                waiters.add(IpcProcess.<Void>of(() ->
                {
                    Lesson.say("waiting for the event (isSet=" + go.isSet() + ")");
                    waiting.countDown();
                    Lesson.require("the event", go.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                    Lesson.say("the event is set: going on");
                    return null;
                }).name("waiter-" + w).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(waiters);
            Lesson.require("both waiters", waiting.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
            Lesson.say(out, "both waiters are waiting; setting the event");
            go.set();
            Lesson.joinAll(waiters);
            Lesson.say(out, "both waiters went on; isSet=" + go.isSet());
            go.clear();
            Lesson.say(out, "cleared: isSet=" + go.isSet() + "; await(100 ms) returned " +
                go.await(100, TimeUnit.MILLISECONDS));
        }
    }
}
