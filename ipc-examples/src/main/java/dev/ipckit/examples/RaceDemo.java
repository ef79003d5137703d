package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failing-lock demo, {@code ipckit race}: racing child JVMs add to one shared counter without a lock, under a
 * broken check-then-set lock, under {@link dev.ipckit.sync.SharedLock} and with {@code incrementAndGet}, and a table
 * shows how many updates each way lost, followed by why.
 */
public final class RaceDemo
{
    private static final int REGION_BYTES = 64 * 1024;
    private static final int TEXT_WIDTH = 100;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private RaceDemo()
    {
    }

    /**
     * Runs {@code ipckit race} and exits with its status (the JVM needs the ipckit flag set; {@code ./ipckit race}
     * gives it).
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        System.exit(dev.ipckit.ops.Cli.execute(new RaceCommand(System.out), args, System.out, System.err));
    }

    /**
     * Runs the chosen variants in a temporary region and prints the table and the explanations.
     *
     * @throws IllegalStateException when a racer fails, or a correct variant loses an update.
     * @throws InterruptedException  when interrupted while waiting for racers.
     */
    static void run(final RaceOptions options, final PrintStream out) throws InterruptedException
    {
        final String name = "race-" + ProcessInfo.currentPid() + "-" + RUNS.incrementAndGet();
        final List<RaceResult> results = new ArrayList<>();
        try (SharedRegion region = SharedRegion.create(name, REGION_BYTES))
        {
            out.println("main process: name=" + ProcessInfo.currentName() + " pid=" + ProcessInfo.currentPid() +
                " cpus=" + ProcessInfo.cpuCount() + "; shared counter in " + region.path());
            out.println((options.processes() == 1 ? "1 process" : options.processes() + " processes") +
                " per variant, each adding 1 to the counter " + options.increments() +
                " times, all released at once by a start gate");
            for (final RaceVariant variant : options.variants())
            {
                out.println(variant.label() + ": " + variant.code());
                out.flush();
                results.add(RaceRun.run(region, variant.label(), variant, options.processes(), options.increments()));
            }
        }
        out.println();
        printTable(results, out);
        out.println();
        out.println("why:");
        for (final RaceVariant variant : options.variants())
        {
            printWrapped(String.format("  %-8s", variant.label() + ":"), variant.why(), out);
        }
        if (options.processes() == 1)
        {
            printWrapped("  ", "With one process nobody races: every variant keeps every update. Try --processes 2.", out);
        }
        checkCorrectVariants(options.variants(), results);
    }

    private static void printTable(final List<RaceResult> results, final PrintStream out)
    {
        out.printf("%-8s %12s %12s %12s %8s %10s%n", "variant", "expected", "actual", "lost", "lost %", "time");
        for (final RaceResult result : results)
        {
            out.printf("%-8s %12d %12d %12d %7.2f%% %7.1f ms%n", result.label(), result.expected(), result.actual(),
                result.lost(), result.lostPercent(), result.loopNanos() / 1e6);
        }
    }

    private static void checkCorrectVariants(final List<RaceVariant> variants, final List<RaceResult> results)
    {
        for (int i = 0; i < variants.size(); i++)
        {
            if (variants.get(i).isCorrect() && results.get(i).lost() != 0)
            {
                throw new IllegalStateException(variants.get(i).label() + " lost " + results.get(i).lost() +
                    " updates, but it must lose none: this is a bug in ipckit");
            }
        }
    }

    private static void printWrapped(final String prefix, final String text, final PrintStream out)
    {
        final String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        for (final String word : text.split(" "))
        {
            if (line.length() + 1 + word.length() > TEXT_WIDTH && line.length() > prefix.length())
            {
                out.println(line);
                line = new StringBuilder(indent);
            }
            else if (line.length() > prefix.length())
            {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line);
    }
}
