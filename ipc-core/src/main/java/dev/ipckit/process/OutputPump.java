package dev.ipckit.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Copies one output stream of a child to this JVM's {@code System.out} or {@code System.err}, looked up at every
 * write (they are Java streams, not the raw file descriptors: the parent may be a test JVM whose stdout is a protocol
 * channel). Runs on its own daemon thread until the child closes the stream.
 */
final class OutputPump implements Runnable
{
    private final InputStream source;
    private final boolean toStderr;
    private final ByteTail tail;
    private final Thread thread;

    private OutputPump(final InputStream source, final boolean toStderr, final ByteTail tail, final String threadName)
    {
        this.source = source;
        this.toStderr = toStderr;
        this.tail = tail;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    /**
     * Starts a pump.
     *
     * @param source     the child's stdout or stderr.
     * @param toStderr   copy to {@code System.err} instead of {@code System.out}.
     * @param tail       also keep the last bytes here; may be null.
     * @param threadName the pump thread's name.
     * @return the running pump.
     */
    static OutputPump start(final InputStream source, final boolean toStderr, final ByteTail tail, final String threadName)
    {
        final OutputPump pump = new OutputPump(source, toStderr, tail, threadName);
        pump.thread.start();
        return pump;
    }

    /**
     * Renames the pump's thread: a spare's pumps take the name of the child the spare becomes.
     *
     * @param threadName the new name.
     */
    void rename(final String threadName)
    {
        thread.setName(threadName);
    }

    @Override
    public void run()
    {
        final byte[] buffer = new byte[8192];
        try (InputStream in = source)
        {
            int read;
            while ((read = in.read(buffer)) >= 0)
            {
                if (tail != null)
                {
                    tail.append(buffer, 0, read);
                }
                final PrintStream out = toStderr ? System.err : System.out;
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (final IOException ignore)
        {
            // The stream was closed under us: the child is gone.
        }
    }

    /**
     * Waits for the pump to copy everything the child wrote.
     *
     * @param timeoutNanos how long to wait at most; zero or less does not wait.
     * @return true when the pump has finished.
     * @throws InterruptedException when interrupted while waiting.
     */
    boolean awaitEnd(final long timeoutNanos) throws InterruptedException
    {
        if (timeoutNanos > 0)
        {
            final long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
            thread.join(millis, (int)(timeoutNanos - TimeUnit.MILLISECONDS.toNanos(millis)));
        }
        return !thread.isAlive();
    }
}
