package dev.ipckit.examples;

import dev.ipckit.ops.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code ipckit race}: the failing-lock lesson, {@link RaceDemo}, from the command line. */
@Command(name = "race", mixinStandardHelpOptions = true, usageHelpWidth = 110,
    description = {
        "The failing-lock lesson: processes race on one shared counter, and a table shows what each way lost.",
        "",
        "N child JVMs each add 1 to one shared counter M times, released together by a start gate, four ways:",
        "  nolock   c.set(c.get() + 1) with no lock: loses updates",
        "  broken   a check-then-set flag as the lock: loses updates",
        "  lock     the same read-modify-write under SharedLock: loses none",
        "  atomic   c.incrementAndGet(): loses none"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:ran", "1:a racer failed (or a correct variant lost an update)", "2:bad usage"})
public final class RaceCommand implements Callable<Integer>
{
    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Option(names = "--processes", paramLabel = "N",
        description = "racing processes per variant, 1.." + RaceOptions.MAX_PROCESSES + " (default ${DEFAULT-VALUE})")
    int processes = RaceOptions.DEFAULT_PROCESSES;

    @Option(names = "--increments", paramLabel = "M",
        description = "increments per process, at least 1 (default ${DEFAULT-VALUE})")
    int increments = RaceOptions.DEFAULT_INCREMENTS;

    @Option(names = "--variants", paramLabel = "LIST",
        description = "comma-separated subset of nolock,broken,lock,atomic (default: all)")
    String variants;

    /**
     * @param out where the table goes; the racers' lines go to the JVM's own stdout, which child JVMs inherit.
     */
    public RaceCommand(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        final RaceOptions options;
        try
        {
            options = RaceOptions.of(processes, increments, variants);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        try
        {
            RaceDemo.run(options, out);
            return Cli.OK;
        }
        catch (final IllegalStateException ex)
        {
            spec.commandLine().getErr().println("ipckit race failed: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return Cli.FAILED;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("ipckit race: interrupted");
            spec.commandLine().getErr().flush();
            return Cli.FAILED;
        }
    }
}
