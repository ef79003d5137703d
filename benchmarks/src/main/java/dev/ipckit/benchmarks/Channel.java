package dev.ipckit.benchmarks;

import java.io.Serializable;

/**
 * A channel between processes, set up by the benchmark's parent: it owns what the channel is made of and removes it
 * on {@link #close()}, and hands out openers, which travel inside child tasks and open an end in the process that
 * calls them. The first end sends first (it pings, or produces); on a one-way channel only it sends.
 */
interface Channel extends AutoCloseable
{
    /**
     * @return an opener of the first end.
     */
    Opener first();

    /**
     * @return an opener of the second end.
     */
    Opener second();

    /**
     * Removes the channel; every end is closed by then.
     */
    @Override
    void close();

    /**
     * Opens an end in the calling process.
     */
    @FunctionalInterface
    interface Opener extends Serializable
    {
        /**
         * @return the end, open in this process.
         */
        Endpoint open();
    }
}
