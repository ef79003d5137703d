package dev.ipckit.stress.harness;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.RemoteException;
import dev.ipckit.value.SharedLongArray;

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
 * Readiness: a child says it is ready ({@link #signalReady}) once its JVM started, its shared objects are open and it
 * is about to enter its loop, by writing its pid into its slot of a shared array. A slot is ready while its current
 * child is alive and that pid is in it; the slot is cleared before a child is started again. Faults hit only ready
 * children ({@link #readyPids()}), and a child that takes longer than the ready limit to say so is a problem.
 * <p>
 * {@link #supervise()} and {@link #stop(long)} are called by the workload's thread; {@link #readyPids()} by the fault
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
    private final SharedLongArray readiness;
    private final long readyLimitNanos;
    private final AtomicReferenceArray<IpcProcess<?>> children;
    private final long[] startedNanos;
    private final boolean[] seenReady;
    private final List<String> problems = new ArrayList<>();
    private long restarts;
    private long killed;
    private long readyCount;
    private long readyNanosTotal;
    private long readyNanosMost;
    private boolean stopping;

    /**
     * @param role            what the participants are ("counter", "producer", ...), for messages.
     * @param readiness       one slot per participant, in shared memory, where each child signals it is ready.
     * @param readyLimitNanos how long a child may take from its start to say it is ready.
     * @param factory         makes the (not yet started) child of a slot; the child calls {@link #signalReady}.
     * @param deathHandler    told about every child that exited.
     */
    Participants(final String role, final SharedLongArray readiness, final long readyLimitNanos,
        final IntFunction<IpcProcess<?>> factory, final DeathHandler deathHandler)
    {
        this.role = role;
        this.readiness = readiness;
        this.readyLimitNanos = readyLimitNanos;
        this.factory = factory;
        this.deathHandler = deathHandler;
        this.children = new AtomicReferenceArray<>(readiness.length());
        this.startedNanos = new long[readiness.length()];
        this.seenReady = new boolean[readiness.length()];
    }

    /**
     * In the child: says it is ready (its shared objects open, its loop about to start).
     *
     * @param readiness the participants' readiness array.
     * @param slot      the child's slot.
     */
    static void signalReady(final SharedLongArray readiness, final int slot)
    {
        readiness.setRelease(slot, ProcessHandle.current().pid());
    }

    void startAll()
    {
        for (int slot = 0; slot < children.length(); slot++)
        {
            start(slot);
        }
    }

    private void start(final int slot)
    {
        // Cleared before the start: the dead child's pid must not make its successor look ready.
        readiness.setRelease(slot, 0);
        seenReady[slot] = false;
        startedNanos[slot] = System.nanoTime();
        children.set(slot, factory.apply(slot).start());
    }

    private boolean isReady(final int slot, final IpcProcess<?> child)
    {
        return child != null && child.isAlive() && readiness.getAcquire(slot) == child.pid();
    }

    /** @return whether every slot's child is alive and ready. */
    boolean allReady()
    {
        for (int slot = 0; slot < children.length(); slot++)
        {
            if (!isReady(slot, children.get(slot)))
            {
                return false;
            }
        }
        return true;
    }

    /** @return whether at least one child is alive and ready. */
    boolean anyReady()
    {
        for (int slot = 0; slot < children.length(); slot++)
        {
            if (isReady(slot, children.get(slot)))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the slots whose child is not ready, with their pids, for a message. */
    String notReady()
    {
        final List<String> names = new ArrayList<>();
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (!isReady(slot, child))
            {
                names.add(role + " " + slot + (child == null ? "" : " (pid " + child.pid() + ")"));
            }
        }
        return String.join(", ", names);
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
            if (child == null)
            {
                continue;
            }
            if (child.isAlive())
            {
                watchReadiness(slot, child);
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
                start(slot);
            }
        }
    }

    /** Records how long a child took to be ready; a child not ready within the limit is a problem (once). */
    private void watchReadiness(final int slot, final IpcProcess<?> child)
    {
        if (seenReady[slot])
        {
            return;
        }
        final long waited = System.nanoTime() - startedNanos[slot];
        if (isReady(slot, child))
        {
            seenReady[slot] = true;
            readyCount++;
            readyNanosTotal += waited;
            readyNanosMost = Math.max(readyNanosMost, waited);
        }
        else if (waited > readyLimitNanos && !stopping)
        {
            seenReady[slot] = true;     // reported once
            problems.add(role + " " + slot + " (pid " + child.pid() + ") not ready " +
                TimeUnit.NANOSECONDS.toSeconds(waited) + " s after its start (ready limit " +
                TimeUnit.NANOSECONDS.toSeconds(readyLimitNanos) + " s)");
        }
    }

    /** @return a line on how long children took from their start to ready, for the report's notes. */
    String readinessNote()
    {
        if (readyCount == 0)
        {
            return role + ": none ready";
        }
        return String.format(java.util.Locale.ROOT, "%s: %d starts ready after %.1f s on average, %.1f s at most",
            role, readyCount, readyNanosTotal / 1e9 / readyCount, readyNanosMost / 1e9);
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
     * running (a problem: they did not stop). A child that was still starting (not yet ready) gets the ready limit
     * on top: it sees the stop only once it is ready.
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
            final long deadline = seenReady[slot] || isReady(slot, child) ? deadlineNanos :
                deadlineNanos + readyLimitNanos;
            if (!child.join(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                problems.add(role + " " + slot + " (pid " + child.pid() + ") did not stop in time" +
                    (isReady(slot, child) ? "" : " (it never said it was ready)") + ": killed");
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

    /** @return the pids of the children that are alive and ready: the ones faults may hit. */
    List<Long> readyPids()
    {
        final List<Long> pids = new ArrayList<>(children.length());
        for (int slot = 0; slot < children.length(); slot++)
        {
            final IpcProcess<?> child = children.get(slot);
            if (isReady(slot, child))
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
