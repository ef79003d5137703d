package dev.ipckit.process;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitCodesTest
{
    @Test
    void signalsBecomeNegative()
    {
        assertEquals(0, ExitCodes.fromExitValue(0));
        assertEquals(1, ExitCodes.fromExitValue(1));
        assertEquals(128, ExitCodes.fromExitValue(128));
        assertEquals(-1, ExitCodes.fromExitValue(129));
        assertEquals(-9, ExitCodes.fromExitValue(137));
        assertEquals(-15, ExitCodes.fromExitValue(143));
        assertEquals(-64, ExitCodes.fromExitValue(192));
        assertEquals(193, ExitCodes.fromExitValue(193));
        assertEquals(255, ExitCodes.fromExitValue(255));
    }

    @Test
    void byteTailKeepsTheLastBytes()
    {
        final ByteTail tail = new ByteTail(8);
        assertEquals("", tail.text(StandardCharsets.US_ASCII));
        tail.append("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertEquals("abc", tail.text(StandardCharsets.US_ASCII));
        tail.append("defghij".getBytes(StandardCharsets.US_ASCII), 0, 7);
        assertEquals("cdefghij", tail.text(StandardCharsets.US_ASCII));
        tail.append("0123456789xy".getBytes(StandardCharsets.US_ASCII), 1, 10);
        assertEquals("3456789x", tail.text(StandardCharsets.US_ASCII));
    }
}
