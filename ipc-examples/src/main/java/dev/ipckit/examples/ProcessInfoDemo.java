package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.sync.SharedEvent;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Process information, as Python's {@code current_process()}, {@code os.getpid()}, {@code os.getppid()},
 * {@code active_children()} and {@code cpu_count()} give it: the main process and two children (one a daemon) print
 * their name, pid, parent pid, cpu count and daemon flag, and the parent lists its live children.
 */
public final class ProcessInfoDemo
{
    private ProcessInfoDemo()
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
        Lesson.say(out, facts());
        Lesson.say(out, "active children before starting any: " + activeChildren());
        try (SharedRegion region = SharedRegion.create(Lesson.uniqueName("info"), 64 * 1024))
        {
            final SharedEvent listed = SharedEvent.create(region, "listed");
            final IpcProcess<Void> worker = IpcProcess.<Void>of(() ->
            {
                Lesson.say(facts());
                Lesson.require("the parent's list of children", listed.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                return null;
            }).name("info-worker").jvmOptions(Lesson.SMALL_JVM);
            final IpcProcess<Void> daemon = IpcProcess.<Void>of(() ->
            {
                Lesson.say(facts());
                Lesson.require("the parent's list of children", listed.await(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                return null;
            }).name("info-daemon").daemon(true).jvmOptions(Lesson.SMALL_JVM);
            final List<IpcProcess<Void>> children = List.of(worker, daemon);
            Lesson.startAll(children);
            Lesson.say(out, "started " + worker + " and " + daemon);
            Lesson.say(out, "active children while they run: " + activeChildren());
            listed.set();
            Lesson.joinAll(children);
            Lesson.say(out, "exit codes: " + worker.name() + "=" + worker.exitCode().orElse(-1) + " " + daemon.name() +
                "=" + daemon.exitCode().orElse(-1) + "; alive: " + worker.isAlive() + ", " + daemon.isAlive());
        }
        Lesson.say(out, "active children after join: " + activeChildren());
    }

    /** What a process knows about itself; runs in the parent and in each child. */
    static String facts()
    {
        return "name=" + ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid() + " parent pid=" +
            (ProcessInfo.parentPid().isPresent() ? Long.toString(ProcessInfo.parentPid().getAsLong()) : "unknown") +
            " cpus=" + ProcessInfo.cpuCount() + " child=" + ProcessInfo.isChild() + " daemon=" + ProcessInfo.isDaemon() +
            " max heap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    private static String activeChildren()
    {
        return ProcessInfo.activeChildren().stream()
            .map(child -> child.name() + "(pid " + child.pid() + ")")
            .collect(Collectors.joining(", ", "[", "]"));
    }
}
