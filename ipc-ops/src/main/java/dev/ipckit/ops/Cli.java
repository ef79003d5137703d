package dev.ipckit.ops;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The conventions every {@code ipckit} command keeps, in one place: {@code --help} and {@code --version} on every
 * command and subcommand, exit status 0 success, 1 failure, 2 bad usage (an unknown option, a bad value: picocli's
 * message and the usage on stderr), no ANSI colour when {@code NO_COLOR} is set or the output is not a terminal.
 * <p>
 * Commands are picocli {@code @Command} classes with {@code mixinStandardHelpOptions = true}; {@link #execute} runs
 * one with these conventions.
 */
public final class Cli
{
    /** Exit status: success. */
    public static final int OK = 0;
    /** Exit status: the command ran and failed (or found what it reports as a failure). */
    public static final int FAILED = 1;
    /** Exit status: bad usage (unknown option, bad value, missing directory, wrong number of arguments). */
    public static final int USAGE = 2;

    private static final String VERSION_RESOURCE = "version.properties";

    private Cli()
    {
    }

    /**
     * Runs a command with the conventions, its colour chosen from this process's environment and console.
     *
     * @param command a picocli {@code @Command} object.
     * @param args    its arguments.
     * @param out     where results and {@code --help} go.
     * @param err     where errors, usage errors and progress go.
     * @return the exit status.
     */
    public static int execute(final Object command, final String[] args, final PrintStream out, final PrintStream err)
    {
        return execute(command, args, out, err, ansi(System.getenv(), System.console() != null));
    }

    /**
     * Runs a command with the conventions and the given colour choice.
     *
     * @param command a picocli {@code @Command} object.
     * @param args    its arguments.
     * @param out     where results and {@code --help} go.
     * @param err     where errors and usage errors go.
     * @param ansi    {@link Help.Ansi#ON} or {@link Help.Ansi#OFF}, as {@link #ansi} chose.
     * @return the exit status.
     */
    public static int execute(
        final Object command, final String[] args, final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        final CommandLine line = commandLine(command, out, err, ansi);
        return line.execute(args);
    }

    /**
     * The command line for {@code command} with the conventions applied to it and all its subcommands.
     *
     * @param command a picocli {@code @Command} object.
     * @param out     where results and {@code --help} go.
     * @param err     where errors and usage errors go.
     * @param ansi    the colour choice.
     * @return the configured command line.
     */
    public static CommandLine commandLine(
        final Object command, final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        return configure(new CommandLine(command), out, err, ansi);
    }

    /**
     * Applies the conventions to a command line and all the subcommands it has now.
     *
     * @param line the command line, its subcommands added.
     * @param out  where results and {@code --help} go.
     * @param err  where errors and usage errors go.
     * @param ansi the colour choice.
     * @return {@code line}.
     */
    public static CommandLine configure(
        final CommandLine line, final PrintStream out, final PrintStream err, final Help.Ansi ansi)
    {
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setColorScheme(Help.defaultColorScheme(ansi));
        line.setExecutionExceptionHandler((ex, failed, parseResult) ->
        {
            // A failure while running (not a usage error): what failed, without a stack trace.
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + ex);
            failed.getErr().flush();
            return FAILED;
        });
        line.setParameterExceptionHandler((ex, args) ->
        {
            // Bad usage: what was wrong and where to read more, on stderr; exit status 2.
            final CommandLine failed = ex.getCommandLine();
            final PrintWriter errors = failed.getErr();
            errors.println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, errors);
            errors.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            errors.flush();
            return USAGE;
        });
        applyVersion(line);
        return line;
    }

    private static void applyVersion(final CommandLine line)
    {
        line.getCommandSpec().versionProvider(VersionProvider.INSTANCE);
        for (final CommandLine sub : line.getSubcommands().values())
        {
            applyVersion(sub);
        }
    }

    /**
     * The colour choice: none when {@code NO_COLOR} is set to anything but the empty string (https://no-color.org)
     * or when the output is not a terminal, else ANSI colour.
     *
     * @param environment the environment variables.
     * @param terminal    whether the output goes to a terminal ({@code System.console() != null}).
     * @return {@link Help.Ansi#OFF} or {@link Help.Ansi#ON}.
     */
    public static Help.Ansi ansi(final Map<String, String> environment, final boolean terminal)
    {
        final String noColor = environment.get("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty()) ? Help.Ansi.ON : Help.Ansi.OFF;
    }

    /**
     * @return the ipckit version, the Maven project version it was built as (e.g. {@code 0.1.0-SNAPSHOT}).
     */
    public static String version()
    {
        final Properties properties = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream(VERSION_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("ipc-ops has no " + VERSION_RESOURCE + ": rebuild it with Maven");
            }
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read ipc-ops' " + VERSION_RESOURCE, ex);
        }
        return properties.getProperty("version");
    }

    /** {@code --version}: the ipckit version and the Java runtime. */
    static final class VersionProvider implements IVersionProvider
    {
        static final VersionProvider INSTANCE = new VersionProvider();

        @Override
        public String[] getVersion()
        {
            return new String[] {
                "ipckit " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
