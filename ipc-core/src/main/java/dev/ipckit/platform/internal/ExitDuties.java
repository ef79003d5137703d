package dev.ipckit.platform.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one exit path of a JVM that uses ipckit (CPython's {@code multiprocessing.util._exit_function}): what each
 * part of ipckit must do when the JVM exits is registered here as a duty of a {@link Stage}, and one shutdown hook,
 * installed by the first registration, runs the stages in their order, each duty once. Shutdown hooks of their own
 * would run at the same time in no order; here the order is written down as the order of the stages.
 * <p>
 * A duty that throws is reported on standard error and the next one runs. Only a normal exit or a signal the JVM
 * handles (SIGTERM, SIGINT, SIGHUP) runs the hook; a killed JVM runs nothing, and what it leaves is recovered by the
 * others ({@code docs/reliability.md}).
 */
public final class ExitDuties
{
    /** The stages, in the order they run. */
    public enum Stage
    {
        /**
         * A child JVM stops watching its parent's pipe first: its exit is under way, and a parent dying now must not
         * halt it halfway through the stages below.
         */
        STOP_WATCHING_PARENT,
        /**
         * Queue rows held by this JVM's threads go back, so that other consumers (children among them) can take
         * those messages while this JVM waits for its children below.
         */
        RELEASE_QUEUE_ROWS,
        /** Daemon children are terminated (killed after a grace), the others waited for, as Python does. */
        STOP_CHILDREN,
        /**
         * Network connections (ipc-net) tell their peers they close, and the embedded media driver stops and removes
         * its directory: after the children, whose connections go through their own drivers.
         */
        CLOSE_NETWORK,
        /** This JVM's doorbell sockets are closed and their files removed; last, as waits may run until then. */
        CLOSE_DOORBELLS
    }

    private static final Object LOCK = new Object();
    /** Under LOCK. */
    private static final Map<Stage, List<Runnable>> DUTIES = new EnumMap<>(Stage.class);
    /** Under LOCK. */
    private static boolean hookInstalled;
    /** Under LOCK: set when the hook starts; later registrations are refused. */
    private static boolean exiting;

    private ExitDuties()
    {
    }

    /**
     * Registers what to do at exit.
     *
     * @param stage when, among the other duties.
     * @param duty  what; runs once, on the hook's thread.
     * @return false when the JVM is exiting already (the duty will not run).
     */
    public static boolean register(final Stage stage, final Runnable duty)
    {
        synchronized (LOCK)
        {
            if (exiting)
            {
                return false;
            }
            if (!hookInstalled)
            {
                try
                {
                    // A thread subclass, not a method reference: this runs on every child's start path, where a first
                    // lambda costs a class spun at run time.
                    Runtime.getRuntime().addShutdownHook(new Hook());
                }
                catch (final IllegalStateException ex)
                {
                    exiting = true;
                    return false;
                }
                hookInstalled = true;
            }
            List<Runnable> duties = DUTIES.get(stage);
            if (duties == null)
            {
                duties = new ArrayList<>();
                DUTIES.put(stage, duties);
            }
            duties.add(duty);
            return true;
        }
    }

    /** The shutdown hook's thread. */
    private static final class Hook extends Thread
    {
        Hook()
        {
            super("ipckit-exit");
        }

        @Override
        public void run()
        {
            runAll();
        }
    }

    /** The hook: every stage in order, every duty of it in registration order. */
    static void runAll()
    {
        final Map<Stage, List<Runnable>> duties;
        synchronized (LOCK)
        {
            exiting = true;
            duties = new EnumMap<>(DUTIES);
            DUTIES.clear();
        }
        for (final Map.Entry<Stage, List<Runnable>> stage : duties.entrySet())
        {
            for (final Runnable duty : stage.getValue())
            {
                try
                {
                    duty.run();
                }
                catch (final Throwable ex)
                {
                    System.err.println("ipckit: an exit duty of stage " + stage.getKey() + " failed: " + ex);
                }
            }
        }
    }
}
