package dev.ipckit.stress.harness;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.RemoteException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A fixed number of participant slots, each running one child JVM at a time. {@link #supervise()} replaces the child
 * of a slot when it died, so the load keeps going while faults are injected; before a slot is started again, its
 * {@link DeathHandler} repairs the workload's own bookkeeping for the dead child. A child that exits normally
 * before the workload stops it, or throws, is a problem the report shows.
 * <p>
 * {@link #supervise()} and {@link #stop(long)} are called by the workload's thread; {@link #livePids()} by the fault
 * injector's.
 */
final class Participants
{
    /** Told about a child that exited, before its slot is started again. */
    interface DeathHandler
    {
        /**
         * @param slot     the slot.
         * @param exitCode the child's exit code: -9 when killed.
         */
        void exited(int slot, int exitCode);
    }

    private final String role;
    private final IntFunction<IpcProcess<?>> factory;
    private final DeathHandler deathHandler;
    private final AtomicReferenceArray<IpcProcess<?>> children;
    private final List<String> problems = new ArrayList<>();
    private long restarts;
    private long killed;
    private boolean stopping;

    /**
     * @param role         what the participants are ("counter", "producer", ...), for messages.
     * @param slots        how many.
     * @param factory      makes the (not yet started) child of a slot.
     * @param deathHandler told about every child that exited.
     */
    Participants(final String role, final int slots, final IntFunction<IpcProcess<?>> factory,
        final DeathHandler deathHandler)
    {
        this.role = role;
        this.factory = factory;
        this.deathHandler = deathHandler;
        this.children = new AtomicReferenceArray<>(slots);
    }

    void startAll()
    {
        for (int slot = 0; slot < children.length(); slot++)
        {
            children.set(slot, factory.apply(slot).start());
        }
    }

    int size()
    {
        return children.length();
    }

    /**
     * Looks at every child once: the ones that exited are accounted for and, unless stopping, started again.
     */
    void supervise()
    {
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (child == null || child.isAlive())
            {
                continue;
            }
            final OptionalInt code = child.exitCode();
            if (code.isEmpty())
            {
                continue;
            }
            account(slot, child, code.getAsInt());
            if (stopping)
            {
                children.set(slot, null);
            }
            else
            {
                restarts++;
                children.set(slot, factory.apply(slot).start());
            }
        }
    }

    private void account(final int slot, final IpcProcess<?> child, final int exitCode)
    {
        if (exitCode < 0)
        {
            killed++;
        }
        else if (exitCode == 1)
        {
            problems.add(role + " " + slot + " (pid " + child.pid() + ") threw: " +
                child.failure().map(RemoteException::getMessage).orElse("(no failure recorded)") + " " +
                lastLine(child.stderrTail()));
        }
        else if (!stopping || exitCode != 0)
        {
            problems.add(role + " " + slot + " (pid " + child.pid() + ") exited with " + exitCode +
                (stopping ? "" : " before it was told to stop"));
        }
        deathHandler.exited(slot, exitCode);
    }

    /**
     * After the workload told its children to stop: waits for each, up to the deadline, then kills the ones still
     * running (a problem: they did not stop).
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline.
     * @throws InterruptedException when interrupted.
     */
    void stop(final long deadlineNanos) throws InterruptedException
    {
        stopping = true;
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (child == null)
            {
                continue;
            }
            if (!child.join(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                problems.add(role + " " + slot + " (pid " + child.pid() + ") did not stop in time: killed");
                Signals.resume(child.pid());
                child.kill();
                child.join(30, TimeUnit.SECONDS);
            }
        }
        supervise();
    }

    /** Kills every child at once (the workload overran its time). */
    void killAll()
    {
        stopping = true;
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (child != null && child.isAlive())
            {
                Signals.resume(child.pid());
                child.kill();
            }
        }
    }

    List<Long> livePids()
    {
        final List<Long> pids = new ArrayList<>(children.length());
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (child != null && child.isAlive())
            {
                pids.add(child.pid());
            }
        }
        return pids;
    }

    long restarts()
    {
        return restarts;
    }

    /** @return children that died by a signal. */
    long killed()
    {
        return killed;
    }

    List<String> problems()
    {
        return List.copyOf(problems);
    }

    private static String lastLine(final String text)
    {
        final String trimmed = text.strip();
        final int newline = trimmed.lastIndexOf('\n');
        return trimmed.isEmpty() ? "" : "[stderr: " + (newline < 0 ? trimmed : trimmed.substring(newline + 1)) + "]";
    }
}
