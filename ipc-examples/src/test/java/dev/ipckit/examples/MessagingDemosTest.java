package dev.ipckit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.ipckit.examples.DemoOutput.*;
import static org.junit.jupiter.api.Assertions.*;

/** The queue and pipe lessons run, and their output shows the facts they teach, children's lines included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessagingDemosTest
{
    @Test
    void queueDeliversEveryItemToOneConsumerAndEndsEachConsumerOnASentinel() throws Exception
    {
        final String out = capture(QueueDemo::run);
        for (final int producer : new int[] {1, 2})
        {
            for (int i = 1; i <= 5; i++)
            {
                final int item = producer * 100 + i;
                assertFinds(out, "\\[producer-" + producer + " pid=\\d+\\] put " + item + "\n");
                assertEquals(1, count(out, "\\[consumer-\\d pid=\\d+\\] got " + item + " -> " + item * item + "\n"), out);
            }
        }
        assertHas(out, "producers done; putting 2 sentinels, one per consumer");
        int taken = 0;
        for (final String consumer : new String[] {"consumer-1", "consumer-2"})
        {
            taken += Integer.parseInt(
                group(out, "\\[" + consumer + " pid=\\d+\\] got the sentinel STOP: stopping after (\\d+) items"));
        }
        assertEquals(10, taken, out);
        assertHas(out, "taken in all: 10 of 10 put; queue empty: true");
    }

    @Test
    void pipeDeliversTheChildsMessagesInOrderThenEndOfStream() throws Exception
    {
        final String out = capture(PipeDemo::run);
        assertFinds(out, "\\[sender pid=\\d+\\] sent hello \\(String\\)");
        assertFinds(out, "\\[sender pid=\\d+\\] closed its end");
        assertFinds(out, "(?s)received hello \\(String\\)\n.*received 42 \\(Integer\\)\n.*received 3\\.5 \\(Double\\)\n" +
            ".*received bye \\(String\\)\n.*EOFException after 4 messages: the sender closed its end");
    }

    @Test
    void remoteHostWorksTheServedQueueAndAWrongKeyIsRefused() throws Exception
    {
        final String out = capture(RemoteDemo::run);
        assertFinds(out, "host A serves jobs on 127\\.0\\.0\\.1:\\d+ and results on 127\\.0\\.0\\.1:\\d+");
        assertFinds(out, "\\[host-B pid=\\d+\\] connected to .* with the right key");
        for (int n = 1; n <= 5; n++)
        {
            assertFinds(out, "\\[host-B pid=\\d+\\] job " + n + " -> " + n * n + "\n");
            assertHas(out, "result from host B: " + n + " squared is " + n * n);
        }
        assertFinds(out, "intruder \\(pid \\d+\\) refused: .*refused the authkey");
        assertFinds(out, "host B \\(pid \\d+\\) did 5 jobs; jobs left: 0");
        // The pool half.
        assertFinds(out, "host A serves a pool \\(1 worker of its own, 1 seat for a remote one\\) on 127\\.0\\.0\\.1:\\d+");
        final String remotePid = group(out, "tasks ran on host A's worker \\(pid \\[\\d+\\]\\) and on host B's \\(pid (\\d+)\\)");
        assertHas(out, "killed host B's worker (SIGKILL) while it ran a task");
        assertFinds(out, "a task failed \\d+ ms after the kill \\(liveness timeout \\d+ ms\\): WorkerDiedException, " +
            "host \\S+, pid " + remotePid);
        assertFinds(out, "a task finished: slept 3000 ms in pid \\d+");
        assertHas(out, "the pool goes on: 6 * 7 = 42");
    }

    @Test
    void duplexPipeChildAnswersEveryRequest() throws Exception
    {
        final String out = capture(RequestResponsePipeDemo::run);
        final String server = group(out, "started server \\(pid (\\d+)\\)");
        for (final int n : new int[] {3, 7, 12})
        {
            assertHas(out, "[server pid=" + server + "] request " + n + " -> response " + n * n);
            assertHas(out, "sent request " + n + ", got response " + n * n);
        }
        assertHas(out, "sent 'shutdown', got \"bye after 3 requests\"");
        assertHas(out, "server answered 3 requests and exited with code 0");
    }
}
