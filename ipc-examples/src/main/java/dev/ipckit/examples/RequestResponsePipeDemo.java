package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Request and response on a duplex pipe, as Python's two-way {@code Pipe()} lesson shows it: a child serves requests
 * on its end (it squares numbers) until it is told to stop; the main process sends each request and waits for the
 * answer on the same connection.
 */
public final class RequestResponsePipeDemo
{
    /** The request that ends the server. */
    static final String SHUTDOWN = "shutdown";

    private RequestResponsePipeDemo()
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
        try (Pipe pipe = Pipe.create(true))
        {
            final Connection serverEnd = pipe.end2();
            final Connection client = pipe.end1();
            final IpcProcess<Integer> server = IpcProcess.of(() ->
            {
                Lesson.say("serving requests on a duplex pipe");
                int served = 0;
                while (true)
                {
                    final Object request = serverEnd.recv(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                    if (SHUTDOWN.equals(request))
                    {
                        serverEnd.send("bye after " + served + " requests");
                        Lesson.say("request '" + SHUTDOWN + "': stopping");
                        return served;
                    }
                    final int n = (Integer)request;
                    serverEnd.send(n * n);
                    Lesson.say("request " + n + " -> response " + n * n);
                    served++;
                }
            }).name("server").jvmOptions(Lesson.SMALL_JVM);
            server.start();
            Lesson.say(out, "duplex pipe " + pipe.name() + ": started " + server.name() + " (pid " + server.pid() + ")");
            for (final int n : List.of(3, 7, 12))
            {
                client.send(n);
                final Object response = client.recv(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                Lesson.say(out, "sent request " + n + ", got response " + response);
            }
            client.send(SHUTDOWN);
            Lesson.say(out, "sent '" + SHUTDOWN + "', got \"" + client.recv(Lesson.WAIT_SECONDS, TimeUnit.SECONDS) + "\"");
            Lesson.joinAll(List.of(server));
            Lesson.say(out, server.name() + " answered " + server.result() + " requests and exited with code " +
                server.exitCode().orElse(-1));
        }
    }
}
