package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;

import java.io.EOFException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A one-way pipe, as Python's {@code Pipe(duplex=False)} lesson shows it: a child sends a few messages of different
 * types on its end and closes it; the main process receives them in order and then sees the end of the stream.
 */
public final class PipeDemo
{
    private PipeDemo()
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
        try (Pipe pipe = Pipe.create(false))
        {
            final Connection sending = pipe.end2();
            final Connection receiving = pipe.end1();
            Lesson.say(out, "one-way pipe " + pipe.name() + ": end 1 receives, end 2 sends");
            final IpcProcess<Void> sender = IpcProcess.of(() ->
            {
                for (final Object message : List.of("hello", 42, 3.5, "bye"))
                {
                    sending.send(message);
                    Lesson.say("sent " + message + " (" + message.getClass().getSimpleName() + ")");
                }
                sending.close();
                Lesson.say("closed its end");
            }).name("sender").jvmOptions(Lesson.SMALL_JVM);
            sender.start();
            int received = 0;
            try
            {
                while (true)
                {
                    final Object message = receiving.recv(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                    received++;
                    Lesson.say(out, "received " + message + " (" + message.getClass().getSimpleName() + ")");
                }
            }
            catch (final EOFException ex)
            {
                Lesson.say(out, "EOFException after " + received + " messages: the sender closed its end");
            }
            Lesson.joinAll(List.of(sender));
        }
    }
}
