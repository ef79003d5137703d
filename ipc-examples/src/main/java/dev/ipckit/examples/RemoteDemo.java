package dev.ipckit.examples;

import dev.ipckit.codec.Codecs;
import dev.ipckit.net.AuthenticationException;
import dev.ipckit.net.NetOptions;
import dev.ipckit.net.Network;
import dev.ipckit.net.PoolServer;
import dev.ipckit.net.RemoteWorker;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;
import dev.ipckit.net.QueueServer;
import dev.ipckit.net.RemoteQueue;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.SharedQueue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts, played by two JVMs on loopback: the main process ("host A") serves a queue of jobs and a queue of
 * results on addresses, as Python's remote manager serves a queue; a child JVM ("host B", its own Aeron media driver,
 * talking UDP as another machine would) opens both with the right key, squares each job and puts the result back; a
 * third JVM tries with a wrong key and is refused, while host A goes on serving. Then host A serves a process pool:
 * a worker JVM of host B joins it with the key and takes tasks beside host A's own worker; killed while it runs one,
 * it fails only that task (naming its host and pid) and the pool goes on. Nothing but the address and the key
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
        servePool(out);
    }

    /** The pool half: a worker of host B joins host A's pool, works, and is killed while it works. */
    private static void servePool(final PrintStream out) throws Exception
    {
        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(1).withRemoteWorkers(1)
            .withName("pool-A").withJvmOptions(Lesson.SMALL_JVM));
        try (PoolServer server = PoolServer.serve(pool, "127.0.0.1:0", KEY, NetOptions.defaults()))
        {
            final String address = server.address();
            Lesson.say(out, "host A serves a pool (1 worker of its own, 1 seat for a remote one) on " + address);
            final IpcProcess<Integer> hostBWorker = IpcProcess.of(() ->
                RemoteWorker.exitCodeOf(RemoteWorker.run(address, KEY, NetOptions.defaults())))
                .name("host-B-worker").jvmOptions(Lesson.SMALL_JVM).start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Lesson.WAIT_SECONDS);
            while (pool.remoteWorkerCount() == 0)
            {
                Lesson.require("host B's worker joining", System.nanoTime() - deadline < 0);
                Thread.sleep(10);
            }
            final long here = ProcessHandle.current().pid();
            final Set<Long> workers = new TreeSet<>();
            for (int round = 0; round < 20 && !workers.contains(hostBWorker.pid()); round++)
            {
                workers.addAll(pool.map((Integer n) ->
                {
                    Thread.sleep(20);
                    return ProcessHandle.current().pid();
                }, List.of(1, 2, 3, 4), 1));
            }
            Lesson.require("a task on host B's worker", workers.contains(hostBWorker.pid()));
            workers.remove(hostBWorker.pid());
            Lesson.say(out, "tasks ran on host A's worker (pid " + workers + ") and on host B's (pid " +
                hostBWorker.pid() + ")");

            final CompletableFuture<String> long1 = pool.applyAsync(() -> sleepAndSay(3_000));
            final CompletableFuture<String> long2 = pool.applyAsync(() -> sleepAndSay(3_000));
            Thread.sleep(500);
            hostBWorker.kill();
            final long killed = System.nanoTime();
            Lesson.say(out, "killed host B's worker (SIGKILL) while it ran a task");
            for (final CompletableFuture<String> task : List.of(long1, long2))
            {
                try
                {
                    Lesson.say(out, "a task finished: " + task.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));
                }
                catch (final ExecutionException ex)
                {
                    final WorkerDiedException died = (WorkerDiedException)ex.getCause();
                    Lesson.say(out, "a task failed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) +
                        " ms after the kill (liveness timeout " + Network.livenessTimeout().toMillis() + " ms): " +
                        "WorkerDiedException, host " + died.host() + ", pid " + died.pid());
                }
            }
            Lesson.say(out, "the pool goes on: 6 * 7 = " + pool.apply((Integer n) -> n * 7, 6));
        }
        finally
        {
            Lesson.close(pool);
        }
    }

    private static String sleepAndSay(final long millis) throws InterruptedException
    {
        Thread.sleep(millis);
        return "slept " + millis + " ms in pid " + ProcessHandle.current().pid();
    }
}
