package dev.ipckit.stress.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short stress run CI makes in {@code mvn verify}: {@code ipckit stress --ci}, every workload with 2 participants
 * for 4 s (from the moment they are ready) under 1 SIGKILL and 1 SIGSTOP per second. Any invariant violation fails
 * the build; the report is printed. About 40 s on a quiet 2-core machine, several minutes beside other CPU-heavy
 * jobs; the time-out is for a harness that hangs despite its own limits.
 */
class StressCiRunTest
{
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theCiPresetEndsWithoutAViolation()
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8);
        final int status = StressCommand.run(new String[] {"--ci"}, out, System.err);
        final String report = captured.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("invariant violations: 0"), report);
        assertEquals(StressCommand.OK, status, report);
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends java.io.OutputStream
    {
        private final PrintStream console;
        private final ByteArrayOutputStream copy;

        Tee(final PrintStream console, final ByteArrayOutputStream copy)
        {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(final int b)
        {
            console.write(b);
            copy.write(b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            console.write(b, off, len);
            copy.write(b, off, len);
        }
    }
}
