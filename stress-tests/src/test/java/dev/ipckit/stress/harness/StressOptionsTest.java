package dev.ipckit.stress.harness;

import dev.ipckit.ops.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;

import java.io.OutputStream;
import java.io.PrintStream;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options as {@code ipckit stress} builds them from its command line (picocli parsing, no run). */
class StressOptionsTest
{
    private static StressOptions parse(final String... args)
    {
        final PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        final StressCommand command = new StressCommand(none, none);
        Cli.commandLine(command, none, none, Help.Ansi.OFF).parseArgs(args);
        return command.options();
    }

    @Test
    void defaultsRunEveryWorkload()
    {
        final StressOptions options = parse();
        assertEquals(Workloads.NAMES, options.workloads());
        assertEquals(StressOptions.DEFAULT_PROCESSES, options.processes());
        assertEquals(Duration.ofSeconds(30), options.duration());
        assertEquals(0.5, options.killRate());
        assertEquals(0.5, options.stopRate());
        assertFalse(options.jcstress());
    }

    @Test
    void everyOptionIsRead()
    {
        final StressOptions options = parse("--workloads", "queue,counter", "--processes",
            "3", "--duration=2m", "--kill-rate", "2.5", "--stop-rate=0", "--max-pause", "100ms", "--grace", "90s",
            "--ready-limit", "2m",
            "--seed", "-7", "--dir", System.getProperty("java.io.tmpdir"), "--jcstress");
        assertEquals(List.of("counter", "queue"), options.workloads(), "in run order, not in the order given");
        assertEquals(3, options.processes());
        assertEquals(Duration.ofMinutes(2), options.duration());
        assertEquals(2.5, options.killRate());
        assertEquals(0.0, options.stopRate());
        assertEquals(Duration.ofMillis(100), options.maxPause());
        assertEquals(Duration.ofSeconds(90), options.grace());
        assertEquals(Duration.ofMinutes(2), options.readyLimit());
        assertEquals(-7, options.seed());
        assertTrue(options.jcstress());
    }

    @Test
    void ciIsTheShortPresetAndLaterOptionsOverrideIt()
    {
        final StressOptions ci = parse("--ci");
        assertEquals(StressOptions.CI_PROCESSES, ci.processes());
        assertEquals(StressOptions.CI_DURATION, ci.duration());
        assertEquals(StressOptions.CI_KILL_RATE, ci.killRate());
        final StressOptions overridden = parse("--processes", "5", "--ci");
        assertEquals(5, overridden.processes(), "an explicit option wins over the preset wherever it stands");
        assertEquals(StressOptions.CI_DURATION, overridden.duration());
    }

    @Test
    void durationsTakeTheirUnits()
    {
        final Duration min = Duration.ofMillis(1);
        final Duration max = Duration.ofDays(1);
        assertEquals(Duration.ofMillis(250), StressOptions.duration("--d", "250ms", min, max));
        assertEquals(Duration.ofSeconds(20), StressOptions.duration("--d", "20s", min, max));
        assertEquals(Duration.ofSeconds(20), StressOptions.duration("--d", "20", min, max));
        assertEquals(Duration.ofMinutes(3), StressOptions.duration("--d", "3M", min, max));
        assertEquals(Duration.ofHours(1), StressOptions.duration("--d", "1h", min, max));
    }

    @Test
    void workloadsNoneAndAll()
    {
        assertEquals(List.of(), parse("--workloads", "none").workloads());
        assertEquals(Workloads.NAMES, parse("--workloads=all").workloads());
    }

    @Test
    void badUsageSaysWhatWasWrong()
    {
        assertMessage("Unknown option: '--bogus'", "--bogus");
        assertMessage("--processes must be from 1 to 16, got 0", "--processes", "0");
        assertMessage("--processes must be a whole number, got 'many'", "--processes", "many");
        assertMessage("--duration has an unknown unit 'days'", "--duration", "3days");
        assertMessage("--duration must be a duration such as 500ms", "--duration", "soon");
        assertMessage("--duration must be from 1.0 s", "--duration", "10ms");
        assertMessage("--kill-rate must be from 0 to 50 per second, got -1", "--kill-rate", "-1");
        assertMessage("--stop-rate must be a number of faults per second", "--stop-rate", "often");
        assertMessage("unknown workload 'queues'; valid workloads: counter,atomic,semaphore,queue,queue-ring,pipe,pipe-ring,pool",
            "--workloads", "counter,queues");
        assertMessage("Missing required parameter for option '--seed' (S)", "--seed");
        assertMessage("Invalid value for option '--ci': 'yes' is not a boolean", "--ci=yes");
        assertMessage("--dir must be an existing writable directory", "--dir", "/no/such/dir");
    }

    @Test
    void helpAndBadUsageGiveTheirExitCodes()
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream o = new java.io.PrintStream(out, true); java.io.PrintStream e = new java.io.PrintStream(err, true))
        {
            assertEquals(StressCommand.OK, StressCommand.run(new String[] {"--help"}, o, e));
            assertTrue(out.toString().contains("--kill-rate"), out.toString());
            assertEquals(StressCommand.USAGE, StressCommand.run(new String[] {"--duration", "x"}, o, e));
            assertTrue(err.toString().contains("--duration must be a duration"), err.toString());
        }
    }

    private static void assertMessage(final String expected, final String... args)
    {
        final ParameterException thrown = assertThrows(ParameterException.class, () -> parse(args));
        assertTrue(thrown.getMessage().contains(expected), "expected '" + expected + "' in: " + thrown.getMessage());
    }
}
