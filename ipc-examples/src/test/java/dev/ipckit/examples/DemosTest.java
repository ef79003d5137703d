package dev.ipckit.examples;

import dev.ipckit.process.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.ipckit.examples.DemoOutput.*;
import static org.junit.jupiter.api.Assertions.*;

/** The process and shared-state lessons run, and their output shows the facts they teach, children's lines included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemosTest
{
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void processBasicsShowsPidsNamesAliveAndEveryExitCode() throws Exception
    {
        final String out = capture(ProcessBasicsDemo::run);
        assertHas(out, "main process: name=MainProcess pid=" + PID);
        assertHas(out, "[child] hello from greeter pid=");
        assertHas(out, "parent=" + PID + " args=(6, ipckit)");
        assertHas(out, "alive=false exitcode=0");
        assertHas(out, "6 * 7 = 42");
        assertHas(out, "exitcode=1 (1 = uncaught exception)");
        assertHas(out, "something went wrong in the child");
        assertHas(out, "System.exit(3) child: exitcode=3");
        assertHas(out, "join(300 ms) on a sleeping child returned false, alive=true");
        assertHas(out, "after terminate(): exitcode=-15");
        assertHas(out, "after kill(): exitcode=-9");
    }

    @Test
    void processInfoShowsNamesPidsParentCpusDaemonAndActiveChildren() throws Exception
    {
        final String out = capture(ProcessInfoDemo::run);
        final String cpus = " cpus=" + ProcessInfo.cpuCount();
        assertHas(out, "[MainProcess pid=" + PID + "] name=MainProcess pid=" + PID + " parent pid=");
        assertHas(out, cpus + " child=false daemon=false");
        assertFinds(out, "\\[info-worker pid=(\\d+)\\] name=info-worker pid=\\1 parent pid=" + PID + cpus +
            " child=true daemon=false");
        assertFinds(out, "\\[info-daemon pid=(\\d+)\\] name=info-daemon pid=\\1 parent pid=" + PID + cpus +
            " child=true daemon=true");
        assertHas(out, "active children before starting any: []");
        assertFinds(out, "active children while they run: \\[info-worker\\(pid \\d+\\), info-daemon\\(pid \\d+\\)\\]");
        assertHas(out, "exit codes: info-worker=0 info-daemon=0; alive: false, false");
        assertHas(out, "active children after join: []");
    }

    @Test
    void sharedMemoryShowsIntDoubleAndCharValuesAndArraysChangedByChildren() throws Exception
    {
        final String out = capture(SharedMemoryDemo::run);
        assertHas(out, "before: int counter=0 double total=0.0 char grade='a' int[] perChild=[0, 0, 0] " +
            "double[] squares=[1.0, 2.0, 3.0, 4.0, 5.0] char[] text=\"hello\"");
        assertEquals(3, count(out, "\\[adder-\\d pid=\\d+\\] added 10000 to the int counter"), out);
        assertHas(out, "after:  int counter=30000 double total=1.5 char grade='z' int[] perChild=[100, 200, 300] " +
            "double[] squares=[1.0, 4.0, 9.0, 16.0, 25.0] char[] text=\"HELLO from a child\"");
        assertHas(out, "counter=30000 (expected 30000)");
    }

    @Test
    void managerDictAndListHoldWhatEveryChildWrote() throws Exception
    {
        final String out = capture(ManagerDemo::run);
        assertHas(out, "dict {visits=0}, list [created by MainProcess pid=" + PID + "]");
        assertEquals(3, count(out, "\\[worker-\\d pid=\\d+\\] put square-\\d=\\d, merged visits -> [123]"), out);
        assertHas(out, "dict after join (7 entries): {visits=3");
        for (int id = 1; id <= 3; id++)
        {
            assertHas(out, "square-" + id + "=" + id * id);
            final String pid = group(out, "\\[worker-" + id + " pid=(\\d+)\\]");
            assertHas(out, "pid-" + id + "=" + pid);
            assertHas(out, "worker-" + id + " pid=" + pid + " was here");
        }
        assertHas(out, "list after join (4 items): [created by MainProcess pid=" + PID);
        assertHas(out, "visits = 3 (expected 3)");
    }
}
