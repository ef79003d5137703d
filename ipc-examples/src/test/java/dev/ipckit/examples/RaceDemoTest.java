package dev.ipckit.examples;

import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ipckit race} with real child JVMs: what it reports, what it loses, and how it fails. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaceDemoTest
{
    /** A table row: variant, expected, actual, lost, lost %, time. */
    private static final Pattern ROW =
        Pattern.compile("(?m)^(\\w+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+\\.\\d\\d)%\\s+(\\d+\\.\\d) ms$");

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int status;

    /** Runs {@code ipckit race args}, with System.out captured too, so the racers' lines are part of the text. */
    private String race(final String... args)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try
        {
            status = IpckitCli.run(concat("race", args), capture, new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(original);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static String[] concat(final String first, final String... rest)
    {
        final String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The row of {@code variant}: {expected, actual, lost}. */
    private static long[] row(final String out, final String variant)
    {
        final Matcher m = ROW.matcher(out);
        while (m.find())
        {
            if (m.group(1).equals(variant))
            {
                final long expected = Long.parseLong(m.group(2));
                final long actual = Long.parseLong(m.group(3));
                final long lost = Long.parseLong(m.group(4));
                assertEquals(expected - actual, lost, "lost = expected - actual in\n" + m.group());
                return new long[] {expected, actual, lost};
            }
        }
        return fail("no table row for " + variant + " in\n" + out);
    }

    @Test
    void lockAndAtomicLoseNothingAndTheRegionIsRemoved()
    {
        final String out = race("--variants", "lock,atomic", "--increments", "20000", "--processes", "3");
        assertEquals(0, status, err());
        assertArrayEquals(new long[] {60_000, 60_000, 0}, row(out, "lock"), out);
        assertArrayEquals(new long[] {60_000, 60_000, 0}, row(out, "atomic"), out);
        assertFalse(ROW.matcher(out).results().anyMatch(r -> r.group(1).equals("nolock")), "only the chosen variants");

        for (int i = 1; i <= 3; i++)
        {
            assertTrue(out.contains("[lock-" + i + " pid="), out);
            assertTrue(out.contains("[atomic-" + i + " pid="), out);
        }
        assertTrue(out.contains("parent=" + ProcessHandle.current().pid() + "] added 1 20000 times in"), out);
        assertTrue(out.contains("main process: name=MainProcess pid=" + ProcessHandle.current().pid()), out);

        final Matcher region = Pattern.compile("shared counter in (\\S+)").matcher(out);
        assertTrue(region.find(), out);
        assertFalse(Files.exists(Path.of(region.group(1))), "the temporary region is removed: " + region.group(1));
    }

    @Test
    void theTableHasEveryVariantAndTheWhyLinesExplainEach()
    {
        final String out = race("--increments", "2000");
        assertEquals(0, status, err());
        assertTrue(Pattern.compile("(?m)^variant\\s+expected\\s+actual\\s+lost\\s+lost %\\s+time$").matcher(out).find(), out);
        for (final String variant : new String[] {"nolock", "broken", "lock", "atomic"})
        {
            assertEquals(4000, row(out, variant)[0], out);
        }
        final String why = out.substring(out.indexOf("\nwhy:")).replaceAll("\\s+", " ");
        assertTrue(why.contains("nolock: c.set(c.get() + 1) is a read and then a write"), why);
        assertTrue(why.contains("gap between the check and the set"), why);
        assertTrue(why.contains("SharedLock takes its word with one compare-and-set"), why);
        assertTrue(why.contains("incrementAndGet is one atomic instruction"), why);
    }

    /**
     * Two racers released together on two or more cores: the unprotected read-modify-write loses updates. A million
     * increments each keeps both loops running for tens of milliseconds, long enough to overlap even on a busy machine
     * (measured on 2 cores: 7% to 35% lost).
     */
    @Test
    void nolockWithTwoProcessesLosesUpdates()
    {
        // A race is a matter of timing: on a loaded machine the two racers may not overlap at all (each takes a few
        // ms), so a run that lost nothing is tried again, up to five runs.
        String out = "";
        for (int run = 0; run < 5; run++)
        {
            out = race("--variants", "nolock", "--processes", "2", "--increments", "1000000");
            assertEquals(0, status, err());
            final long[] nolock = row(out, "nolock");
            assertEquals(2_000_000, nolock[0]);
            if (nolock[2] > 0)
            {
                return;
            }
        }
        fail("nolock lost nothing in five runs:\n" + out);
    }

    @Test
    void aFailingRacerFailsTheRunAndSaysWhich() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("race-test-" + ProcessHandle.current().pid(), 64 * 1024))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
                RaceRun.run(region, "doomed", (cells, increments) ->
                {
                    throw new ArithmeticException("racer gave up");
                }, 2, 10));
            assertTrue(ex.getMessage().matches("doomed-1 \\(pid \\d+\\) failed with exit code 1: .*racer gave up.*"),
                ex.getMessage());
        }
    }

    @Test
    void badUsageIsExitTwoWithWhatWasWrong()
    {
        race("--processes", "9");
        assertEquals(2, status);
        assertTrue(err().contains("ipckit race: --processes must be from 1 to 8, got 9"), err());

        race("--processes", "0");
        assertEquals(2, status);
        race("--processes=two");
        assertEquals(2, status);
        assertTrue(err().contains("ipckit race: Invalid value for option '--processes': 'two' is not an int"), err());

        race("--increments", "0");
        assertEquals(2, status);
        assertTrue(err().contains("--increments must be from 1 to"), err());

        race("--variants", "nolock,spinlock");
        assertEquals(2, status);
        assertTrue(err().contains("unknown variant 'spinlock'; valid variants: nolock,broken,lock,atomic"), err());

        race("--increments");
        assertEquals(2, status);
        assertTrue(err().contains("ipckit race: Missing required parameter for option '--increments' (M)"), err());

        race("--fast");
        assertEquals(2, status);
        assertTrue(err().contains("ipckit race: Unknown option: '--fast'"), err());
        assertFalse(err().contains("[nolock-"), "no racer ran");
    }

    @Test
    void helpNamesTheOptionsAndVariants()
    {
        final String out = race("--help");
        assertEquals(0, status);
        assertTrue(out.contains("--processes=N") && out.contains("--increments=M") && out.contains("--variants"), out);
        assertTrue(out.contains("broken") && out.contains("SharedLock"), out);
    }
}
