package dev.ipckit.process;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Replaces {@code System.out} while open: everything written still reaches the original stream, is kept, and the
 * first line that starts with a marker completes a future (children's output arrives here through their pumps).
 */
final class OutputWatch extends OutputStream implements AutoCloseable
{
    private final PrintStream original;
    private final String marker;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final CompletableFuture<String> markedLine = new CompletableFuture<>();

    private OutputWatch(final PrintStream original, final String marker)
    {
        this.original = original;
        this.marker = marker;
    }

    static OutputWatch stdout(final String marker)
    {
        final OutputWatch watch = new OutputWatch(System.out, marker);
        System.setOut(new PrintStream(watch, true, Charset.defaultCharset()));
        return watch;
    }

    @Override
    public void write(final int b)
    {
        write(new byte[]{(byte)b}, 0, 1);
    }

    @Override
    public synchronized void write(final byte[] bytes, final int offset, final int length)
    {
        original.write(bytes, offset, length);
        captured.write(bytes, offset, length);
        if (!markedLine.isDone())
        {
            for (final String line : text().split("\\R", -1))
            {
                if (line.startsWith(marker) && text().contains(line + System.lineSeparator()))
                {
                    markedLine.complete(line.substring(marker.length()));
                    break;
                }
            }
        }
    }

    @Override
    public void flush()
    {
        original.flush();
    }

    /**
     * Waits for the marked line.
     *
     * @return what follows the marker on that line.
     */
    String awaitMarkedLine(final Duration timeout) throws Exception
    {
        return markedLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized String text()
    {
        return captured.toString(Charset.defaultCharset());
    }

    @Override
    public void close()
    {
        System.out.flush();
        System.setOut(original);
    }
}
