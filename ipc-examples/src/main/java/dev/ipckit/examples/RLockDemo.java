package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedRLock;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reentrant lock, as Python's {@code RLock} lesson shows it: a recursive function takes the lock again at every
 * level, and the hold count goes up and down; the children still exclude each other. A plain lock taken again by its
 * holder is an error instead.
 */
public final class RLockDemo
{
    private static final int DEPTH = 3;

    private RLockDemo()
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
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("rlock"), 64 * 1024))
        {
            final SharedRLock rlock = SharedRLock.create(region, "rlock");
            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int w = 1; w <= 2; w++)
            {
                workers.add(IpcProcess.<Void>of(() ->
                {
                    countDown(rlock, DEPTH);
                    return null;
                }).name("recursive-" + w).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(workers);
            Lesson.joinAll(workers);

            final SharedLock plain = SharedLock.create(region, "plain");
            plain.lock();
            try
            {
                Lesson.say(out, "a plain SharedLock taken again by its holder: " + relock(plain));
            }
            finally
            {
                plain.unlock();
            }
        }
    }

    /** Locks {@code held} again from its holder: a plain lock refuses instead of deadlocking. */
    private static String relock(final SharedLock held)
    {
        try
        {
            held.lock();
        }
        catch (final IllegalStateException ex)
        {
            return "IllegalStateException (" + ex.getMessage() + ")";
        }
        held.unlock();
        throw new IllegalStateException("SharedLock '" + held + "' was taken twice by its holder: it must refuse");
    }

    /** Takes the lock, recurses with it held, and releases it: each level adds one to the hold count. */
    private static void countDown(final SharedRLock rlock, final int level) throws InterruptedException
    {
        Lesson.require("the rlock", rlock.tryLock(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
        try
        {
            Lesson.say("level " + level + ": took the RLock, hold count " + rlock.getHoldCount());
            if (level > 1)
            {
                countDown(rlock, level - 1);
            }
        }
        finally
        {
            rlock.unlock();
            Lesson.say("level " + level + ": released it, hold count " + rlock.getHoldCount());
        }
    }
}
