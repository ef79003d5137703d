package dev.ipckit.benchmarks;

import java.nio.file.Path;

/**
 * A kind of channel the messaging benchmarks compare: an ipckit one, the raw Chronicle reference or the
 * shared-memory floor.
 */
interface Transport
{
    /**
     * @return the name printed in the results.
     */
    String label();

    /**
     * Creates a channel.
     *
     * @param directory where to keep its files (a scratch directory the benchmark removes at the end).
     * @param name      a name unique within the directory.
     * @param duplex    whether both ends send (a round trip), or only the first (one-way).
     * @return the channel.
     */
    Channel create(Path directory, String name, boolean duplex);
}
