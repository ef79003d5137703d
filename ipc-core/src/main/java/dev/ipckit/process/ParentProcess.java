package dev.ipckit.process;

import dev.ipckit.wait.Waitable;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process that started this child, as a child sees it: Python's {@code multiprocessing.parent_process()}. A
 * grandchild's parent is the child that started it, not the main process.
 * <p>
 * A child does not outlive its parent (it exits within about a second after the parent dies, see {@link IpcProcess}),
 * so {@link #isAlive()} is true for as long as anyone asks, except in that last second; {@link #join(long, TimeUnit)}
 * is there for code that waits on its parent as Python's does.
 */
public final class ParentProcess
{
    private final String name;
    private final long pid;
    /** Taken when the child starts, while the parent is certainly alive: it tells a reused pid from the parent. */
    private final ProcessHandle handle;

    ParentProcess(final String name, final long pid)
    {
        this.name = name;
        this.pid = pid;
        final Optional<ProcessHandle> found = ProcessHandle.of(pid);
        this.handle = found.orElse(null);
    }

    /**
     * The parent's name: {@code MainProcess}, or the name its own {@link IpcProcess} was given.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The parent's process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * Whether the parent still runs.
     *
     * @return true while it runs.
     */
    public boolean isAlive()
    {
        return handle != null && handle.isAlive();
    }

    /**
     * A handle that is ready once the parent has ended, for {@link dev.ipckit.wait.Waiting#any} (Python's
     * {@code parent_process().sentinel}).
     *
     * @return the sentinel.
     */
    public Waitable sentinel()
    {
        return new IpcProcess.Sentinel(handle, false, "ParentProcess '" + name + "' (pid " + pid + ")");
    }

    /**
     * Waits at most the given time until the parent has exited.
     *
     * @param timeout how long to wait; zero or less does not wait.
     * @param unit    the unit of the timeout.
     * @return true when the parent has exited.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (handle == null || !handle.isAlive())
        {
            return true;
        }
        if (timeout <= 0)
        {
            return false;
        }
        try
        {
            handle.onExit().get(timeout, unit);
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final ExecutionException ex)
        {
            // onExit does not fail; if it ever did, the handle's own answer is the truth.
            return !handle.isAlive();
        }
    }

    /**
     * Waits at most the given time until the parent has exited.
     *
     * @param timeout how long to wait; zero or negative does not wait.
     * @return true when the parent has exited.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean join(final Duration timeout) throws InterruptedException
    {
        return join(IpcProcess.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Python's repr: {@code <ParentProcess name='MainProcess' pid=1200 started>}, or {@code ... stopped>}.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        return "<ParentProcess name='" + name + "' pid=" + pid + (isAlive() ? " started>" : " stopped>");
    }
}
