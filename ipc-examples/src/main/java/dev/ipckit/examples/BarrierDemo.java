package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedBarrier;
import dev.ipckit.value.SharedInt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A barrier, as Python's {@code Barrier} lesson shows it: three children finish phase 1 at different times and
 * wait at the barrier; the last to arrive runs the barrier's action, then all start phase 2 together. Each checks
 * that every party was done with phase 1 when it passed.
 */
public final class BarrierDemo
{
    private static final int PARTIES = 3;

    private BarrierDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("barrier"), 64 * 1024))
        {
            final SharedInt phaseOneDone = SharedInt.createRaw(region, "phaseOneDone", 0);
            final SharedInt trips = SharedInt.createRaw(region, "trips", 0);
            final SharedBarrier barrier = SharedBarrier.create(region, "barrier", PARTIES, () ->
            {
                trips.incrementAndGet();
                Lesson.say("barrier action: all " + PARTIES + " parties arrived, releasing them");
            });
            final List<IpcProcess<Void>> parties = new ArrayList<>();
            for (int p = 1; p <= PARTIES; p++)
            {
                final long millis = p * 100L;
                parties.add(IpcProcess.<Void>of(() ->
                {
                    Lesson.say("phase 1: working " + millis + " ms");
                    Lesson.work(millis);
                    phaseOneDone.incrementAndGet();
                    final int index = barrier.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                    Lesson.say("passed the barrier (arrival index " + index + "); parties done with phase 1: " +
                        phaseOneDone.get() + " of " + PARTIES);
                    Lesson.say("phase 2");
                    return null;
                }).name("party-" + p).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(parties);
            Lesson.joinAll(parties);
            Lesson.say(out, "the barrier tripped " + trips.get() + " time(s); broken: " + barrier.isBroken());
        }
    }
}
