package dev.ipckit.process.internal;

import dev.ipckit.process.internal.ChildMain;
import dev.ipckit.process.IpcProcess;

/**
 * What this JVM is: the main process, or a child started by {@link IpcProcess} (set by {@link ChildMain}).
 */
public final class CurrentProcess
{
    static final String MAIN_NAME = "MainProcess";

    private static volatile String name = MAIN_NAME;
    private static volatile boolean child;
    private static volatile boolean daemon;
    /** The process that started this child: its name and pid; null and 0 in the main process. */
    private static volatile String parentName;
    private static volatile long parentPid;
    private static volatile boolean taskFinished;
    private static volatile boolean startedChildren;

    private CurrentProcess()
    {
    }

    static void enterChild(final String childName, final boolean childDaemon, final String creatorName, final long creatorPid)
    {
        name = childName;
        daemon = childDaemon;
        parentName = creatorName;
        parentPid = creatorPid;
        child = true;
    }

    static void taskFinished()
    {
        taskFinished = true;
    }

    static void childrenStarted()
    {
        startedChildren = true;
    }

    /** Whether this JVM has started a child: only then are the classes that manage children loaded. */
    static boolean startedChildren()
    {
        return startedChildren;
    }

    public static String name()
    {
        return name;
    }

    public static boolean isChild()
    {
        return child;
    }

    public static boolean isDaemon()
    {
        return daemon;
    }

    /** The name of the process that started this child, or null in the main process. */
    public static String parentName()
    {
        return parentName;
    }

    /** The pid of the process that started this child, or 0 in the main process. */
    public static long parentPid()
    {
        return parentPid;
    }

    /**
     * Whether an exit now is an orderly one, after which non-daemon children are waited for: always in the main
     * process; in a child only once its task has finished (an exit while the task runs comes from a signal or from
     * {@code System.exit} in the task, and then all children are terminated).
     */
    static boolean orderlyExit()
    {
        return !child || taskFinished;
    }
}
