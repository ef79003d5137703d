package dev.ipckit.examples;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.ops.CleanCommand;
import dev.ipckit.ops.Cli;
import dev.ipckit.ops.LsCommand;
import dev.ipckit.ops.RepairCommand;
import dev.ipckit.platform.JvmFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code ipckit} command: the lessons {@code demo} and {@code race} (here, in ipc-examples) next to the
 * operations commands {@code ls}, {@code clean} and {@code repair} (ipc-ops, which knows nothing of the examples);
 * {@code stress} and {@code bench} run from their own modules through the launcher script. The conventions
 * (--help, --version, exit codes 0/1/2, NO_COLOR) are ipc-ops' {@link Cli}. Started without the JVM flag set (say
 * with {@code java -jar}), it runs itself again with the flags.
 */
@Command(name = "ipckit", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Python's multiprocessing for the JVM: the lessons, and the tools to look after shared memory.",
    footer = {"", "Run 'ipckit COMMAND --help' for a command's options.",
        "Regions live in the default region directory (/dev/shm/ipckit-root) unless -Dipckit.dir is set."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:failure", "2:bad usage (unknown command or option, bad value)"})
public final class IpckitCli implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    private IpckitCli()
    {
    }

    /**
     * Runs the CLI and exits with its status.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        if (!JvmFlags.hasAgronaAccess())
        {
            System.exit(JvmFlags.rerunWithFlags(IpckitCli.class, args));
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command, its colour chosen from the environment and the console.
     *
     * @param args the command and its arguments.
     * @param out  where results go.
     * @param err  where errors, usage errors and progress go.
     * @return the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, out, err, Cli.ansi(System.getenv(), System.console() != null));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        return commandLine(out, err, ansi).execute(args);
    }

    static CommandLine commandLine(final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        final CommandLine line = new CommandLine(new IpckitCli());
        line.addSubcommand(new DemoCommand(out, err));
        line.addSubcommand(new RaceCommand(out));
        line.addSubcommand(new WorkerCommand(err));
        line.addSubcommand(new LsCommand());
        line.addSubcommand(new CleanCommand());
        line.addSubcommand(new RepairCommand());
        ownModule(line, "stress", "The multi-process stress harness with fault injection, and the jcstress pass.");
        ownModule(line, "bench", "One report: ipckit next to raw Agrona/Chronicle and Python multiprocessing.");
        line.addSubcommand(new CommandLine.HelpCommand());
        return Cli.configure(line, out, err, ansi);
    }

    private static void ownModule(final CommandLine line, final String name, final String description)
    {
        line.addSubcommand(name, new OwnModule());
        line.getSubcommands().get(name).getCommandSpec().usageMessage().description(description);
    }

    /** {@code ipckit} alone: which commands there are, and exit status 2. */
    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing command (one of " +
            String.join(", ", spec.subcommands().keySet()) + "); regions live in " + RegionFiles.defaultDirectory());
    }

    /**
     * {@code stress} and {@code bench} in this class path's help: they run from their own modules (their own class
     * paths), which the {@code ./ipckit} launcher picks before this class is reached.
     */
    @Command(mixinStandardHelpOptions = true)
    static final class OwnModule implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> ignored;

        @Override
        public Integer call()
        {
            spec.commandLine().getErr().println("ipckit " + spec.name() + " runs from its own module: use the ./ipckit launcher");
            spec.commandLine().getErr().flush();
            return Cli.USAGE;
        }
    }
}
