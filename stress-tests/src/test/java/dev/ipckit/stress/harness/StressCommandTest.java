package dev.ipckit.stress.harness;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.ops.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ipckit stress}'s conventions: --version, --help, unknown options, --json, progress on stderr only. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StressCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return StressCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
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
    void versionHelpAndUnknownOptions()
    {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("ipckit " + Cli.version() + System.lineSeparator()), out());
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("Usage: ipckit stress") && out().contains("--json") && out().contains("--ci"), out());
        assertEquals(2, run("--bogus"));
        assertTrue(err().contains("ipckit stress: Unknown option: '--bogus'"), err());
        assertEquals(2, run("--seed"));
        assertTrue(err().contains("ipckit stress: Missing required parameter for option '--seed' (S)"), err());
        assertEquals(2, run("--processes", "99"));
        assertTrue(err().contains("ipckit stress: --processes must be from 1 to"), err());
        assertEquals("", out(), "nothing ran");
    }

    @Test
    void jsonReportIsAloneOnStdoutAndProgressGoesToStderr() throws IOException
    {
        assertEquals(0, run("--json", "--workloads", "atomic", "--processes", "1", "--duration", "1s",
            "--kill-rate", "0", "--stop-rate", "0", "--seed", "42", "--dir", dir.toString()), err());
        final Map<String, Object> report = JSON.std.mapFrom(out());
        assertEquals(42, ((Number)((Map<?, ?>)report.get("options")).get("seed")).intValue(), out());
        final List<?> workloads = (List<?>)report.get("workloads");
        assertEquals(1, workloads.size(), out());
        final Map<?, ?> atomic = (Map<?, ?>)workloads.get(0);
        assertEquals("atomic", atomic.get("name"));
        assertFalse(((List<?>)atomic.get("checks")).isEmpty(), out());
        assertEquals(0, ((Number)((Map<?, ?>)report.get("total")).get("violations")).intValue(), out());
        assertEquals(Boolean.TRUE, report.get("passed"));
        assertNull(report.get("jcstress"));

        assertTrue(err().startsWith("[stress 1/1] atomic: 1 processes, 1.0 s, seed 42"), err());
        assertTrue(err().matches("(?s).*\\[stress 1/1] atomic: \\d+ operations, 0 kills, 0 stops, 0 violations\\R"), err());
        assertFalse(out().contains("[stress"), out());
    }
}
