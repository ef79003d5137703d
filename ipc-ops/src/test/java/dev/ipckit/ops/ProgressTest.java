package dev.ipckit.ops;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** Progress: plain lines when not on a terminal, a bar redrawn with \r on one; never an escape byte. */
class ProgressTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void notOnATerminalEveryStepIsAPlainLineAndNothingIsRedrawn()
    {
        try (Progress progress = new Progress(err, false, "stress", 2))
        {
            progress.begin("counter: 4 processes");
            progress.at(0.5);
            progress.end("counter: 10 operations");
            progress.begin("atomic: 4 processes");
            progress.end("atomic: 20 operations");
        }
        assertEquals(String.join(System.lineSeparator(), "[stress 1/2] counter: 4 processes",
            "[stress 1/2] counter: 10 operations", "[stress 2/2] atomic: 4 processes", "[stress 2/2] atomic: 20 operations",
            ""), text());
        assertEquals(-1, text().indexOf('\r'));
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndEachStepEndsWithALineThatStays()
    {
        final String half = "[######------------------]  25% stress 1/2 counter";
        try (Progress progress = new Progress(err, true, "stress", 2))
        {
            progress.begin("counter");
            progress.at(0.5);
            assertTrue(text().endsWith("\r" + half), text());
            assertFalse(text().contains(System.lineSeparator()), "redrawn, not scrolled: " + text());
            progress.end("counter: done");
            assertTrue(text().endsWith("\r" + " ".repeat(half.length()) + "\r[stress 1/2] counter: done" +
                System.lineSeparator()), "the bar is wiped before the line: " + text());
        }
        assertEquals(-1, text().indexOf('\u001b'), "no escape sequences: " + text());
    }
}
