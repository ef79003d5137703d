package dev.ipckit.examples;

import dev.ipckit.ops.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Help;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The top-level {@code ipckit} command: its commands, --help and --version everywhere, exit codes, NO_COLOR. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpckitCliTest
{
    /** Every command the top level has. */
    private static final List<String> COMMANDS = List.of("demo", "race", "worker", "ls", "clean", "repair", "stress", "bench");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return run(Help.Ansi.OFF, args);
    }

    private int run(final Help.Ansi ansi, final String... args)
    {
        out.reset();
        err.reset();
        return IpckitCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), ansi);
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommandsAndNoArgumentsIsBadUsage()
    {
        assertEquals(0, run("--help"));
        for (final String command : COMMANDS)
        {
            assertTrue(out().matches("(?s).*\\n\\s+" + command + "\\s+\\S.*"), command + " missing from: " + out());
        }
        assertEquals(2, run());
        assertTrue(err().contains("ipckit: missing command (one of demo, race, worker, ls, clean, repair, stress, bench, help)"),
            err());
    }

    @Test
    void anUnknownCommandIsBadUsageAndSaysWhich()
    {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("ipckit: Unmatched argument at index 0: 'frobnicate'"), err());
        assertTrue(err().contains("Run 'ipckit --help' for the options."), err());
    }

    @Test
    void versionIsTheProjectVersionOnTheTopLevelAndEveryCommand() throws IOException
    {
        final String version = projectVersion();
        assertFalse(version.isBlank() || version.contains("${"), version);
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("ipckit " + version + System.lineSeparator()), out());
        for (final String command : COMMANDS)
        {
            assertEquals(0, run(command, "--version"), command + ": " + err());
            assertTrue(out().startsWith("ipckit " + version), command + ": " + out());
        }
    }

    /** The version ipc-ops was built with, from its filtered resource (the parent pom's project version). */
    private static String projectVersion() throws IOException
    {
        try (InputStream in = Cli.class.getResourceAsStream("version.properties"))
        {
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }

    @Test
    void everyCommandHasHelpThatNamesItsOptionsAndExitsZero()
    {
        for (final String command : COMMANDS)
        {
            assertEquals(0, run(command, "--help"), command + ": " + err());
            assertTrue(out().startsWith("Usage: ipckit " + command), command + ": " + out());
            assertTrue(out().contains("--help") && out().contains("--version"), command + ": " + out());
            assertEquals(0, run(command, "-h"), command);
            assertEquals("", err(), command);
        }
        assertEquals(0, run("help", "ls"), err());
    }

    @Test
    void anUnknownOptionOfAnyCommandIsExitTwoWithTheMessage()
    {
        for (final String command : List.of("demo", "race", "worker", "ls", "clean", "repair"))
        {
            // repair also gets its queue and worker its address, so that only the option is wrong
            assertEquals(2, "repair".equals(command) ? run(command, "--frobnicate", "jobs") :
                "worker".equals(command) ? run(command, "--frobnicate", "--connect", "127.0.0.1:1") :
                run(command, "--frobnicate"), command + ": " + out());
            assertTrue(err().contains("ipckit " + command + ": Unknown option: '--frobnicate'"), command + ": " + err());
            assertTrue(err().contains("Run 'ipckit " + command + " --help' for the options."), command + ": " + err());
            assertEquals("", out(), command + " ran anyway");
        }
    }

    @Test
    void noColorMeansNoEscapeBytesEvenOnATerminal()
    {
        assertEquals(Help.Ansi.OFF, Cli.ansi(Map.of("NO_COLOR", "1"), true));
        assertEquals(Help.Ansi.OFF, Cli.ansi(Map.of(), false), "not a terminal: no colour either");
        assertEquals(Help.Ansi.ON, Cli.ansi(Map.of("NO_COLOR", ""), true), "an empty NO_COLOR does not count");

        assertEquals(0, run(Cli.ansi(Map.of(), true), "--help"));
        assertTrue(out().indexOf('\u001b') >= 0, "colour on a terminal without NO_COLOR: " + out());
        for (final String command : COMMANDS)
        {
            assertEquals(0, run(Cli.ansi(Map.of("NO_COLOR", "1"), true), command, "--help"));
            assertEquals(-1, out().indexOf('\u001b'), command + ": " + out());
        }
        assertEquals(2, run(Cli.ansi(Map.of("NO_COLOR", "1"), true), "ls", "--frobnicate"));
        assertEquals(-1, err().indexOf('\u001b'), err());
    }

    @Test
    void demoListNamesTheDemosAndAnUnknownDemoIsBadUsage()
    {
        assertEquals(0, run("demo", "--list"));
        for (final String name : Demos.DEMOS.keySet())
        {
            assertTrue(out().contains(name + " "), name + " is missing from: " + out());
        }
        assertTrue(Demos.DEMOS.keySet().containsAll(java.util.List.of("processes", "info", "pool", "timing", "mapreduce",
            "queue", "pipe", "duplex", "values", "manager", "lock", "rlock", "semaphore", "event", "condition", "barrier",
            "race")), Demos.DEMOS.keySet().toString());
        assertEquals(2, run("demo", "nosuchdemo"));
        assertTrue(err().contains("no demo named 'nosuchdemo'"), err());
        assertEquals(0, run("demo", "--help"));
    }

    @Test
    void aDemoRunWritesItsOutputToStdoutAndItsProgressToStderr()
    {
        assertEquals(0, run("demo", "rlock"), err());
        assertTrue(out().startsWith("=== rlock: "), out());
        assertFalse(out().contains("[demo "), "progress is not in the output: " + out());
        assertTrue(err().matches("(?s)\\[demo 1/1] rlock\\R\\[demo 1/1] rlock done in \\d+ ms\\R"), err());
    }
}
