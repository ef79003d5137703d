package dev.ipckit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.ipckit.examples.DemoOutput.*;
import static org.junit.jupiter.api.Assertions.*;

/** The pool lessons run, and their output shows the facts they teach, the workers' lines included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolDemosTest
{
    @Test
    void poolShowsMapApplyAsyncStarmapAndTimeouts() throws Exception
    {
        final String out = capture(PoolDemo::run);
        for (int x = 1; x <= 6; x++)
        {
            assertFinds(out, "\\[pool-worker-\\d pid=\\d+\\] got " + x + " -> " + x * x + "\n");
        }
        assertHas(out, "map(square, [1..6]) = [1, 4, 9, 16, 25, 36] (in the items' order)");
        assertFinds(out, "apply\\(\\.\\.\\.\\) = \"apply ran in pool-worker-\\d pid=\\d+\"");
        assertFinds(out, "\\[pool-worker-\\d pid=\\d+\\] applyAsync: computing 5\\^3");
        assertHas(out, "applyAsync callback got 125");
        assertHas(out, "applyAsync(cube 5).get() = 125");
        assertHas(out, "mapAsync(x + 100, [1, 2, 3]).get() = [101, 102, 103]");
        assertFinds(out, "\\[pool-worker-\\d pid=\\d+\\] starmap: 4 \\* 5 = 20");
        assertHas(out, "starmap(mul, [(2, 3), (4, 5), (6, 7)]) = [6, 20, 42]");
        assertTrue(out.contains("get(100 ms) on a 700 ms task: TimeoutException") ||
            out.contains("the slow task was ready within 100 ms"), out);
        assertFinds(out, "get\\(\\) again, waiting longer: \"slow task done in pool-worker-\\d pid=\\d+\"");
        assertFinds(out, "applyAsync\\(minute-long task, timeout 1 s\\): TimeoutException: .*" +
            "worker 'pool-worker-\\d' \\(pid \\d+\\) was killed and replaced");
        assertHas(out, "the pool still works: map(x * 10, [1, 2]) = [10, 20]");
        assertHas(out, "closed: ProcessPool{pool, 2 workers, terminated}");
    }

    @Test
    void timingPrintsSequentialParallelAndSpeedupWithTheSameResults() throws Exception
    {
        final String out = capture(stream -> PoolTimingDemo.run(stream, 4, 20_000));
        assertHas(out, "4 tasks, each counting the primes below 20000");
        assertFinds(out, "sequential: \\d+\\.\\d ms in this process");
        assertFinds(out, "pool of \\d+ workers started and warmed up: pids \\[\\d+, \\d+");
        assertEquals(4, count(out, "\\[timing-worker-\\d+ pid=\\d+\\] counted 2262 primes below 20000 in "), out);
        assertFinds(out, "parallel: \\d+\\.\\d ms with \\d+ workers");
        assertFinds(out, "speedup: \\d+\\.\\d\\dx");
        assertHas(out, "same results both ways: 2262 primes per task");
    }

    @Test
    void mapReduceCountsWordsInChunksAndReducesToTheSingleProcessCount() throws Exception
    {
        final String out = capture(MapReduceDemo::run);
        assertHas(out, "8 lines in 4 chunks of 2 lines");
        assertFinds(out, "workers up: pids \\[\\d+, \\d+\\]");
        assertEquals(4, count(out, "\\[mapreduce-worker-\\d pid=\\d+\\] map: chunk \"[a-z ]+\\.\\.\\.\" has \\d+ words"), out);
        assertHas(out, "reduce: merged 4 partial counts: 113 words, 62 distinct");
        assertHas(out, "top 5: the=11, a=9, process=9, and=5, memory=5");
        assertHas(out, "same as counting the whole text in one process: true");
    }
}
