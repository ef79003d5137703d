package dev.ipckit.queue;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.JvmFlags;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.BufferOverflowException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The one place a Chronicle Queue journal is built, so every queue and pipe gets the same settings.
 * <ul>
 *   <li>Chronicle's analytics are excluded from the build and disabled; its announcer, disk-space checker and
 *       background resource releaser are off (the flag list sets them; they are also set here, before Chronicle's
 *       classes load, for a JVM started without the flag list).</li>
 *   <li>The write-lock timeout is short ({@link #WRITE_LOCK_TIMEOUT_MS}), so Chronicle breaks the write lock of a
 *       process that died mid-append after 1.5 x this timeout instead of 15 s. That is safe only because a live
 *       process never waits for another live process's Chronicle write lock: a queue's appenders first take the
 *       queue's own put lock (a {@code SharedLock}, which never breaks a live owner), and a pipe's journal has one
 *       writing end, used by one process at a time (its send lock orders that process's threads). One window
 *       remains: Chronicle counts a killed process its parent has not reaped yet (a zombie) as alive and refuses
 *       its lock, throwing after the timeout having written nothing; a queue's producer then waits and retries.</li>
 *   <li>The block size is {@link #BLOCK_SIZE} (2 GiB instead of Chronicle's 64 MiB), so one message is one document
 *       up to {@link #MAX_MESSAGE_BYTES}: Chronicle limits a document to a quarter of a block. A block is a window
 *       of a sparse file: only the pages written take memory or disk (measured: the same 199 MB of {@code /dev/shm}
 *       for a million 64-byte messages with 64 MiB or 2 GiB blocks, and the same append and read rates); what
 *       grows is the file's apparent size (2.5 GiB per roll file) and each process's virtual address space.</li>
 * </ul>
 */
final class Journal
{
    /** Chronicle's write-lock timeout; see the class comment for why it can be short. */
    static final long WRITE_LOCK_TIMEOUT_MS = 100;
    /** How long {@link #open} keeps trying while another opener holds the metadata file's lock. */
    private static final long OPEN_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /** The size of the blocks in which Chronicle maps a journal file; see the class comment. */
    static final long BLOCK_SIZE = 2L << 30;

    /** The largest document Chronicle writes with {@link #BLOCK_SIZE}: a quarter of a block. */
    static final long MAX_DOCUMENT_BYTES = BLOCK_SIZE / 4;

    /**
     * The largest encoded message a queue or a pipe carries: one document, less the byte a pipe puts before each
     * message to say its kind.
     */
    static final int MAX_MESSAGE_BYTES = Math.toIntExact(MAX_DOCUMENT_BYTES - 1);

    static
    {
        defaultProperty("chronicle.analytics.disable", "true");
        defaultProperty("chronicle.announcer.disable", "true");
        defaultProperty("disable.perf.info", "true");
        defaultProperty("chronicle.disk.monitor.disable", "true");
        defaultProperty("background.releaser", "false");
    }

    private Journal()
    {
    }

    /**
     * Opens or creates the journal in {@code directory}. The directory is made here, 0700, before Chronicle sees it
     * (Chronicle would make it with the umask's mode, and its files too: 0644 with the usual umask 022), and an
     * existing one is checked like every ipckit directory; a 0700 directory keeps every other user away from the
     * files in it whatever their own modes.
     *
     * @param directory the journal's directory.
     * @param rollCycle the roll cycle for a new journal (an existing one keeps its own).
     * @return the open journal.
     * @throws dev.ipckit.memory.RegionException UNSAFE_DIRECTORY when the directory is a link, not this uid's, or
     *                                           writable by others.
     */
    static SingleChronicleQueue open(final Path directory, final RollCycle rollCycle)
    {
        // Checked at every open, not in the static initializer: see SharedRegion.createAt.
        JvmFlags.requireChronicleAccess();
        RegionFiles.ensurePrivateDirectory(directory);
        // The short timeout also bounds Chronicle's wait for the file lock on its metadata file (metadata.cq4t), which
        // every process opening the journal takes briefly: on a loaded machine two tries 50 ms apart can both meet
        // another opener's lock ("Unable to claim exclusive lock"). Nothing is wrong then; open again, for a while.
        final long deadline = System.nanoTime() + OPEN_RETRY_NANOS;
        while (true)
        {
            try
            {
                return SingleChronicleQueueBuilder.binary(directory)
                    .rollCycle(rollCycle)
                    .blockSize(BLOCK_SIZE)
                    .timeoutMS(WRITE_LOCK_TIMEOUT_MS)
                    .build();
            }
            catch (final IllegalStateException ex)
            {
                if (!isMetadataLockFailure(ex) || System.nanoTime() - deadline >= 0)
                {
                    throw ex;
                }
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    /**
     * Whether Chronicle could not claim the file lock of a journal's metadata file: "Unable to claim exclusive lock
     * on file ..." or "... exclusive exclusive lock ..." (both in Chronicle's {@code SingleTableStore}).
     */
    static boolean isMetadataLockFailure(final IllegalStateException ex)
    {
        return ex.getMessage() != null && ex.getMessage().startsWith("Unable to claim exclusive");
    }

    /**
     * The error for a message too large to carry; nothing has been written when it is thrown.
     *
     * @param what    what refuses it, e.g. {@code "queue 'jobs'"}.
     * @param message the message, e.g. {@code "a message of 600000000 bytes"}.
     */
    static IllegalArgumentException tooLarge(final String what, final String message)
    {
        return tooLarge(what, message, MAX_MESSAGE_BYTES, " (512 MiB - 1)");
    }

    /**
     * The error for a message larger than {@code limit} bytes; nothing has been written when it is thrown.
     *
     * @param why what sets the limit, after the number, e.g. {@code " (an eighth of the ring's capacity)"}.
     */
    static IllegalArgumentException tooLarge(final String what, final String message, final int limit, final String why)
    {
        return new IllegalArgumentException(what + ": " + message + " is larger than the limit of " + limit +
            " bytes" + why + " for one message, encoded; nothing was sent. Split the data into several messages, " +
            "or pass a file's path instead");
    }

    /** How an error names a message too large to send: a byte array by its length, anything else by its class. */
    static String describe(final Object message)
    {
        return message instanceof byte[] array ?
            "a byte[] message of " + array.length + " bytes" :
            "a " + message.getClass().getName() + " message whose encoding";
    }

    /**
     * Whether {@code ex} is a write past the limit a message's scratch bytes were given with
     * {@code writeLimit(MAX_MESSAGE_BYTES)}: a codec may wrap Chronicle's exception in its own.
     */
    static boolean isOverLimit(final Throwable ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof BufferOverflowException)
            {
                return true;
            }
        }
        return false;
    }

    private static void defaultProperty(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }
}
