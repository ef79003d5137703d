package dev.ipckit.examples;

import dev.ipckit.codec.Codecs;
import dev.ipckit.net.AuthenticationException;
import dev.ipckit.net.NetOptions;
import dev.ipckit.net.QueueServer;
import dev.ipckit.net.RemoteQueue;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.SharedQueue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts, played by two JVMs on loopback: the main process ("host A") serves a queue of jobs and a queue of
 * results on addresses, as Python's remote manager serves a queue; a child JVM ("host B", its own Aeron media driver,
 * talking UDP as another machine would) opens both with the right key, squares each job and puts the result back; a
 * third JVM tries with a wrong key and is refused, while host A goes on serving. Nothing but the address and the key
 * connects host B to host A.
 */
public final class RemoteDemo
{
    /** The sentinel: host B stops on it. */
    static final String SENTINEL = "STOP";

    private static final int JOBS = 5;
    private static final byte[] KEY = "the key both hosts were given".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG_KEY = "a guess".getBytes(StandardCharsets.UTF_8);

    private RemoteDemo()
    {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored.
     * @throws Exception if a step fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(System.out);
    }

    static void run(final PrintStream out) throws Exception
    {
        try (SharedQueue<Object> jobs = SharedQueue.create();
             SharedQueue<Object> results = SharedQueue.create();
             QueueServer jobServer = QueueServer.serve(jobs, "127.0.0.1:0", KEY, NetOptions.defaults());
             QueueServer resultServer = QueueServer.serve(results, "127.0.0.1:0", KEY, NetOptions.defaults()))
        {
            final String jobAddress = jobServer.address();
            final String resultAddress = resultServer.address();
            Lesson.say(out, "host A serves jobs on " + jobAddress + " and results on " + resultAddress);
            for (int i = 1; i <= JOBS; i++)
            {
                jobs.put(i);
            }
            jobs.put(SENTINEL);
            Lesson.say(out, "put " + JOBS + " jobs and the sentinel " + SENTINEL);

            final IpcProcess<Integer> hostB = IpcProcess.of(() ->
            {
                try (RemoteQueue<Object> remoteJobs = RemoteQueue.open(jobAddress, KEY, Codecs.standard(),
                        NetOptions.defaults());
                     RemoteQueue<Object> remoteResults = RemoteQueue.open(resultAddress, KEY, Codecs.standard(),
                         NetOptions.defaults()))
                {
                    Lesson.say("connected to " + jobAddress + " and " + resultAddress + " with the right key");
                    int done = 0;
                    while (true)
                    {
                        final Object job = remoteJobs.poll(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                        Lesson.require("a job", job != null);
                        if (SENTINEL.equals(job))
                        {
                            Lesson.say("got the sentinel: stopping after " + done + " jobs");
                            return done;
                        }
                        final int n = (Integer)job;
                        remoteResults.put(n + " squared is " + n * n);
                        Lesson.say("job " + n + " -> " + n * n);
                        done++;
                    }
                }
            }).name("host-B").jvmOptions(Lesson.SMALL_JVM);
            final IpcProcess<String> intruder = IpcProcess.of(() ->
            {
                try (RemoteQueue<Object> ignored = RemoteQueue.open(jobAddress, WRONG_KEY, Codecs.standard(),
                    NetOptions.defaults()))
                {
                    return "connected with the wrong key!";
                }
                catch (final AuthenticationException ex)
                {
                    return "refused: " + ex.getMessage();
                }
            }).name("intruder").jvmOptions(Lesson.SMALL_JVM);
            hostB.start();
            intruder.start();
            Lesson.join(intruder);
            Lesson.say(out, "intruder (pid " + intruder.pid() + ") " + intruder.result());
            for (int i = 0; i < JOBS; i++)
            {
                final Object result = results.poll(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                Lesson.require("a result", result != null);
                Lesson.say(out, "result from host B: " + result);
            }
            Lesson.join(hostB);
            Lesson.say(out, "host B (pid " + hostB.pid() + ") did " + hostB.result() + " jobs; jobs left: " +
                jobs.size());
        }
    }
}
