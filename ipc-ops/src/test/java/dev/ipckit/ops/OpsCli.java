package dev.ipckit.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;

import java.io.PrintStream;

/** The operations commands under an {@code ipckit} parent, as the ./ipckit launcher's top-level command has them. */
@Command(name = "ipckit", mixinStandardHelpOptions = true,
    subcommands = {LsCommand.class, CleanCommand.class, RepairCommand.class})
final class OpsCli
{
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, out, err, Help.Ansi.OFF);
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        return Cli.configure(new CommandLine(new OpsCli()), out, err, ansi).execute(args);
    }
}
