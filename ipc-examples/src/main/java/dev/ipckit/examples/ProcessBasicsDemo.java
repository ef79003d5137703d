package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Process basics, as the first multiprocessing lesson shows them: create, start, join, arguments, pid and name,
 * alive before and after, exit codes, terminate and kill.
 */
public final class ProcessBasicsDemo
{
    private ProcessBasicsDemo()
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
        out.println("main process: name=" + ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid() +
            " cpus=" + ProcessInfo.cpuCount());

        final int x = 6;
        final String word = "ipckit";
        final IpcProcess<Void> greeter = IpcProcess.of(() -> System.out.println(
            "  [child] hello from " + ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid() +
            " parent=" + ProcessInfo.parentPid().orElse(-1) + " args=(" + x + ", " + word + ")"))
            .name("greeter");
        out.println("created " + greeter + "  alive=" + greeter.isAlive());
        greeter.start();
        out.println("started " + greeter + "  alive=" + greeter.isAlive());
        Lesson.join(greeter);
        out.println("joined  " + greeter + "  alive=" + greeter.isAlive() + " exitcode=" + code(greeter));

        final IpcProcess<Integer> multiplier = IpcProcess.of(() -> x * 7).name("multiplier");
        multiplier.start();
        Lesson.join(multiplier);
        out.println("callable result from " + multiplier.name() + ": " + x + " * 7 = " + multiplier.result());

        final IpcProcess<Void> failing = IpcProcess.<Void>of(() ->
        {
            throw new IllegalStateException("something went wrong in the child");
        }).name("failing");
        failing.start();
        Lesson.join(failing);
        out.println("failing child: exitcode=" + code(failing) + " (1 = uncaught exception), error: " +
            failing.failure().map(Throwable::getMessage).orElse("none"));

        final IpcProcess<Void> exiting = IpcProcess.of(() -> System.exit(3)).name("exiting");
        exiting.start();
        Lesson.join(exiting);
        out.println("System.exit(3) child: exitcode=" + code(exiting));

        final IpcProcess<Void> sleeper = IpcProcess.of(() -> sleep(60_000)).name("sleeper");
        sleeper.start();
        final boolean ended = sleeper.join(Duration.ofMillis(300));
        out.println("join(300 ms) on a sleeping child returned " + ended + ", alive=" + sleeper.isAlive());
        sleeper.terminate();
        sleeper.join(Duration.ofSeconds(10));
        out.println("after terminate(): exitcode=" + code(sleeper) + " (-15 = SIGTERM)");

        final IpcProcess<Void> stubborn = IpcProcess.of(() -> sleep(60_000)).name("stubborn");
        stubborn.start();
        stubborn.kill();
        stubborn.join(Duration.ofSeconds(10));
        out.println("after kill(): exitcode=" + code(stubborn) + " (-9 = SIGKILL)");
    }

    private static String code(final IpcProcess<?> process)
    {
        return process.exitCode().isPresent() ? Integer.toString(process.exitCode().getAsInt()) : "None";
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
