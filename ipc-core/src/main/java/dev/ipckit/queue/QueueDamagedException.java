package dev.ipckit.queue;

import java.nio.file.Path;

/**
 * A queue's or pipe's journal cannot be read past a point although its counters say messages were put there: the
 * journal file is damaged (overwritten, zeroed or truncated by something other than ipckit). For a queue on the ring
 * transport, a ring record whose length or type cannot be: then {@link #file()} is the queue's region file and
 * {@link #index()} the record's position in the ring, and {@link SharedQueue#skipDamaged()} empties the ring. Thrown by
 * {@code poll}/{@code take}/{@code peek}/{@code size} of a {@link SharedQueue} and by a {@link Pipe}'s receive
 * instead of reporting an empty queue. The message names the {@code .cq4} file and the journal index that could not
 * be read.
 * <p>
 * {@link SharedQueue#skipDamaged()} (or {@code ipckit repair <queue>}) moves the queue past the damaged stretch and
 * returns how many messages were lost; reading then continues with the first readable message after it.
 */
public class QueueDamagedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long index;
    private final long unreadable;

    /**
     * @param message    what happened, naming the file and the index.
     * @param file       the journal file holding the index that cannot be read.
     * @param index      the journal index that cannot be read (Chronicle's cycle and sequence).
     * @param unreadable messages counted as put and not taken that cannot be read, as far as known here.
     */
    QueueDamagedException(final String message, final Path file, final long index, final long unreadable)
    {
        super(message);
        this.file = file;
        this.index = index;
        this.unreadable = unreadable;
    }

    /**
     * The journal file that holds the damaged index.
     *
     * @return its path (null after deserialization).
     */
    public Path file()
    {
        return file;
    }

    /**
     * The first journal index that cannot be read.
     *
     * @return the index, as Chronicle numbers excerpts (cycle and sequence).
     */
    public long index()
    {
        return index;
    }

    /**
     * Messages counted as put and not yet taken when the damage was found (an upper bound of what is lost: some may
     * be readable past the damage).
     *
     * @return the count.
     */
    public long pending()
    {
        return unreadable;
    }
}
