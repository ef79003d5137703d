package dev.ipckit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Each demo runs and its output shows the facts it teaches, children's lines included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemosTest
{
    private static String capture(final Demos.DemoBody demo) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try
        {
            demo.run(capture);
        }
        finally
        {
            System.setOut(original);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @Test
    void processBasicsShowsPidsNamesAliveAndEveryExitCode() throws Exception
    {
        final String out = capture(ProcessBasicsDemo::run);
        assertTrue(out.contains("main process: name=MainProcess pid=" + ProcessHandle.current().pid()), out);
        assertTrue(out.contains("[child] hello from greeter pid="), out);
        assertTrue(out.contains("parent=" + ProcessHandle.current().pid() + " args=(6, ipckit)"), out);
        assertTrue(out.contains("alive=false exitcode=0"), out);
        assertTrue(out.contains("6 * 7 = 42"), out);
        assertTrue(out.contains("exitcode=1 (1 = uncaught exception)"), out);
        assertTrue(out.contains("something went wrong in the child"), out);
        assertTrue(out.contains("System.exit(3) child: exitcode=3"), out);
        assertTrue(out.contains("join(300 ms) on a sleeping child returned false, alive=true"), out);
        assertTrue(out.contains("after terminate(): exitcode=-15"), out);
        assertTrue(out.contains("after kill(): exitcode=-9"), out);
    }

    @Test
    void sharedMemoryShowsChildrenChangesAfterJoin() throws Exception
    {
        final String out = capture(SharedMemoryDemo::run);
        assertTrue(out.contains("before: counter=0 total=0.0 squares=[1.0, 2.0, 3.0, 4.0, 5.0] text=\"hello\""), out);
        assertTrue(out.contains("] added 10000 to the counter"), out);
        assertTrue(out.contains("after:  counter=40000 (expected 40000) total=2.0 squares=[1.0, 4.0, 9.0, 16.0, 25.0]" +
            " text=\"HELLO from a child\""), out);
    }
}
