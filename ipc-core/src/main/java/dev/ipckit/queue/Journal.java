package dev.ipckit.queue;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.JvmFlags;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

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
 * </ul>
 */
final class Journal
{
    /** Chronicle's write-lock timeout; see the class comment for why it can be short. */
    static final long WRITE_LOCK_TIMEOUT_MS = 100;

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
        return SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(rollCycle)
            .timeoutMS(WRITE_LOCK_TIMEOUT_MS)
            .build();
    }

    private static void defaultProperty(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }
}
