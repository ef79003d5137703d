package dev.ipckit.examples;

import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedList;
import dev.ipckit.manager.SharedManager;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A manager's dict and list, as Python's {@code Manager().dict()} and {@code .list()} lesson shows them: children
 * write their results into one shared dict, count their visits with an atomic {@code merge}, and append to one shared
 * list; the main process reads everything after join.
 */
public final class ManagerDemo
{
    private static final int WORKERS = 3;

    private ManagerDemo()
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
        try (SharedManager manager = SharedManager.create(Lesson.uniqueName("manager"), 4 << 20))
        {
            final SharedDict<Object, Object> results = manager.dict("results");
            final SharedList<Object> log = manager.list("log");
            results.put("visits", 0L);
            log.add("created by " + Lesson.who());
            Lesson.say(out, "manager " + manager + ": dict " + results.snapshot() + ", list " + log.snapshot());

            final List<IpcProcess<Void>> workers = new ArrayList<>();
            for (int w = 1; w <= WORKERS; w++)
            {
                final int id = w;
                workers.add(IpcProcess.of(() ->
                {
                    results.put("square-" + id, id * id);
                    results.put("pid-" + id, ProcessInfo.currentPid());
                    final Object visits = results.merge("visits", 1L, (a, b) -> (Long)a + (Long)b);
                    log.add(Lesson.who() + " was here");
                    Lesson.say("put square-" + id + "=" + id * id + ", merged visits -> " + visits + ", appended to the list");
                }).name("worker-" + w).jvmOptions(Lesson.SMALL_JVM));
            }
            Lesson.startAll(workers);
            Lesson.joinAll(workers);
            Lesson.say(out, "dict after join (" + results.size() + " entries): " + results.snapshot());
            Lesson.say(out, "list after join (" + log.size() + " items): " + log.snapshot());
            Lesson.say(out, "visits = " + results.get("visits") + " (expected " + WORKERS + "): merge is atomic");
        }
    }
}
