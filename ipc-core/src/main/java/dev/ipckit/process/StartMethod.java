package dev.ipckit.process;

/**
 * How a child JVM is started, as Python's {@code multiprocessing} names its start methods. A JVM cannot fork, but it
 * can do what Python's forkserver does: have a process ready before it is needed.
 * <p>
 * Both run the task the same way and keep the same promises: the child has its own pid, the name and daemon flag
 * given, this process as its parent, the same exit codes, {@code terminate}/{@code kill}, and it exits by itself when
 * this process dies. {@code docs/processes.md} compares them.
 */
public enum StartMethod
{
    /**
     * A fresh JVM for each child, started by {@code start()}: the child inherits this process's environment, working
     * directory and the system properties ipckit passes on as they are at that moment.
     */
    SPAWN,
    /**
     * The child is handed to a spare JVM started earlier with the same java executable, class path and JVM options,
     * which has booted and waits (taking no CPU) for a task; a new spare is started in the background to replace it.
     * A child whose executable, class path or options no spare has is started by spawn, and a spare is prepared for
     * the next one like it. What the child inherits (environment, working directory, the system properties ipckit
     * passes on) is what they were when its spare started, as with Python's forkserver. A spare exits by itself when
     * this process dies.
     */
    FORKSERVER
}
