package dev.ipckit.process;

import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.OptionalLong;
import dev.ipckit.process.internal.ChildProtocol;
import dev.ipckit.process.internal.Children;
import dev.ipckit.process.internal.CurrentProcess;

/**
 * Facts about this process, as Python's {@code multiprocessing.current_process()}, {@code parent_process()},
 * {@code active_children()} and {@code cpu_count()} give them, and its authkey ({@code current_process().authkey}).
 */
public final class ProcessInfo
{
    /** The child's {@link #parentProcess()}, made on first use. */
    private static volatile ParentProcess parent;

    private ProcessInfo()
    {
    }

    /**
     * This process's name: {@code MainProcess}, or in a child the name its {@link IpcProcess} was given.
     *
     * @return the name.
     */
    public static String currentName()
    {
        return CurrentProcess.name();
    }

    /**
     * This process's id.
     *
     * @return the pid.
     */
    public static long currentPid()
    {
        return ProcessHandle.current().pid();
    }

    /**
     * The parent's process id: in a child, the JVM that started it (a child does not outlive its parent); in the main
     * process, whatever process started it, as {@code os.getppid()} gives it.
     *
     * @return the parent's pid, or empty when the operating system does not tell.
     */
    public static OptionalLong parentPid()
    {
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return parent.isPresent() ? OptionalLong.of(parent.get().pid()) : OptionalLong.empty();
    }

    /**
     * The process that started this one, in a child (Python's {@code parent_process()}): its name, pid and whether it
     * runs. A grandchild gets the child that started it.
     *
     * @return the parent, or null in the main process (as Python's {@code None}).
     */
    public static ParentProcess parentProcess()
    {
        if (!CurrentProcess.isChild())
        {
            return null;
        }
        ParentProcess made = parent;
        if (made == null)
        {
            // A race here makes two objects for the same parent; either is right.
            made = new ParentProcess(CurrentProcess.parentName(), CurrentProcess.parentPid());
            parent = made;
        }
        return made;
    }

    /**
     * The children this process started that still run. Children that have exited are forgotten.
     *
     * @return the live children, in start order.
     */
    public static List<IpcProcess<?>> activeChildren()
    {
        return List.copyOf(Children.active());
    }

    /**
     * The number of processors this JVM may use.
     *
     * @return {@link Runtime#availableProcessors()}.
     */
    public static int cpuCount()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Whether this JVM is a child started by {@link IpcProcess}.
     *
     * @return true in a child.
     */
    public static boolean isChild()
    {
        return CurrentProcess.isChild();
    }

    /**
     * This process's authkey, the default key of ipckit's network connections (Python's
     * {@code current_process().authkey}): the main process makes 32 random bytes
     * on first use (at the latest when it starts its first child), and every child inherits the key of the process
     * that started it, at its start, over the same pipe as its task (never on a command line or in the environment).
     * So a process tree shares one key unless a process sets another.
     *
     * @return a copy of the key.
     */
    public static byte[] currentAuthkey()
    {
        return CurrentProcess.authkey().clone();
    }

    /**
     * Replaces this process's authkey, for itself and for the children it starts afterwards (children already
     * started keep theirs), as assigning {@code current_process().authkey} does.
     *
     * @param authkey the key, 1 to 1,024 bytes; copied.
     * @throws IllegalArgumentException when it is empty or longer.
     */
    public static void setCurrentAuthkey(final byte[] authkey)
    {
        Objects.requireNonNull(authkey, "authkey");
        if (authkey.length == 0 || authkey.length > ChildProtocol.MAX_AUTHKEY_BYTES)
        {
            throw new IllegalArgumentException("an authkey is 1 to " + ChildProtocol.MAX_AUTHKEY_BYTES + " bytes, not " +
                authkey.length);
        }
        CurrentProcess.setAuthkey(authkey);
    }

    /**
     * Whether this JVM is a daemon child.
     *
     * @return true in a child started with {@code daemon(true)}.
     */
    public static boolean isDaemon()
    {
        return CurrentProcess.isDaemon();
    }
}
