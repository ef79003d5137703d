package dev.ipckit.examples;

import dev.ipckit.platform.JvmFlags;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code ipckit} command line: {@code demo}, {@code race}, {@code ls}, {@code clean} ({@code stress} and
 * {@code bench} run from their own modules through the launcher script). Exit codes: 0 success, 1 failure,
 * 2 bad usage. Started without the JVM flag set (say with {@code java -jar}), it runs itself again with the flags.
 */
public final class IpckitCli
{
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

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
     * Runs one command.
     *
     * @param args the command and its arguments.
     * @param out  where results go.
     * @param err  where errors and usage go.
     * @return the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || isHelp(args[0]))
        {
            out.print(usage());
            return args.length == 0 ? USAGE : OK;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try
        {
            switch (args[0])
            {
                case "demo":
                    return Demos.run(rest, out, err);
                case "race":
                    return RaceDemo.command(rest, out, err);
                case "ls":
                    return RegionCommands.list(rest, out, err);
                case "clean":
                    return RegionCommands.clean(rest, out, err);
                case "repair":
                    return RegionCommands.repair(rest, out, err);
                case "stress":
                case "bench":
                    err.println("ipckit " + args[0] + " runs from its own module: use the ./ipckit launcher");
                    return USAGE;
                default:
                    err.println("ipckit: unknown command '" + args[0] + "'");
                    err.print(usage());
                    return USAGE;
            }
        }
        catch (final RuntimeException ex)
        {
            err.println("ipckit " + args[0] + ": " + ex);
            return FAILED;
        }
    }

    static boolean isHelp(final String arg)
    {
        return "--help".equals(arg) || "-h".equals(arg) || "help".equals(arg);
    }

    static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: ipckit <command> [options]",
            "",
            "commands:",
            "  demo [name...]   run the demos (all, or the named ones); demo --list names them",
            "  race [options]   the failing-lock demo: processes race on one counter four ways; race --help",
            "  ls [dir]         list regions: creator alive or dead, objects and their values",
            "  clean [dir]      remove stale regions (temporary regions whose creator died)",
            "  repair <queue>   skip the damaged part of a queue's journal; prints how many messages were lost",
            "  stress [options] the multi-process stress harness with fault injection, and the jcstress pass",
            "  bench [options]  one report: ipckit next to raw Agrona/Chronicle and Python multiprocessing",
            "",
            "Each command takes --help. Regions live in " + dev.ipckit.memory.RegionFiles.defaultDirectory() +
                " unless -Dipckit.dir is set.",
            "");
    }
}
