package dev.ipckit.platform.internal;

import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This JVM's {@link Doorbell}s, and ringing any process's: how a writer wakes a waiter asleep in another JVM.
 * <p>
 * A bell's id is {@code pid << }{@value #NUMBER_BITS}{@code  | number}: the pid of the JVM that made it and a number
 * unique in that JVM (bells are pooled, so a JVM makes one per thread that waits at the same time, at most
 * {@value #MAX_BELLS}). Its socket is {@code <directory>/<pid>-<number>} in one directory per uid,
 * {@code /dev/shm/ipckit-bells-<uid>} (or under {@code java.io.tmpdir} where there is no {@code /dev/shm}), created
 * {@code 0700} and checked like every directory ipckit uses; where the check fails no bell is made or rung, and
 * waiters look again on a backoff instead.
 * <p>
 * A ringer keeps its connection to each bell it rang (a few dozen at most), so a later ring is one non-blocking
 * write. A ring never blocks the ringer: a bell whose process is stopped with a full socket buffer has unread rings
 * already, and a bell that is gone (its process died) fails to connect and is forgotten.
 */
public final class Doorbells
{
    static final int NUMBER_BITS = 10;
    static final int MAX_BELLS = 1 << NUMBER_BITS;
    private static final int MAX_PID = 1 << ProcessIdentity.PID_BITS;
    private static final int MAX_CONNECTIONS = 64;
    private static final String DIRECTORY_PREFIX = "ipckit-bells-";

    private static final long PID = ProcessHandle.current().pid();
    /** This JVM's bells by number, for rings from this JVM (read without the lock). */
    private static final AtomicReferenceArray<Doorbell> OWN = new AtomicReferenceArray<>(MAX_BELLS);

    private static final Object LOCK = new Object();
    /** Under LOCK. */
    private static final ArrayDeque<Doorbell> IDLE = new ArrayDeque<>();
    /** Under LOCK: bells made; the next one's number. */
    private static int made;
    /** Under LOCK: the checked directory, null before the first use or when it cannot be used. */
    private static Path directory;
    /** Under LOCK: set once the directory failed its check or a bell could not be made. */
    private static String unavailable;

    /** Under CONNECTIONS: a ringer's connections, by bell id. */
    private static final Int2ObjectHashMap<SocketChannel> CONNECTIONS = new Int2ObjectHashMap<>();
    private static final ByteBuffer RING = ByteBuffer.allocateDirect(1);

    private Doorbells()
    {
    }

    /**
     * A bell for one wait: an idle one of this JVM, or a new one.
     *
     * @return the bell, or null where bells cannot be made (the caller looks again on a backoff instead).
     */
    public static Doorbell acquire()
    {
        synchronized (LOCK)
        {
            final Doorbell idle = IDLE.poll();
            if (idle != null)
            {
                return idle;
            }
            if (made == MAX_BELLS || PID >= MAX_PID || checkedDirectory() == null)
            {
                return null;
            }
            final int number = made;
            final Doorbell bell;
            try
            {
                bell = new Doorbell(idOf(PID, number), directory.resolve(PID + "-" + number));
            }
            catch (final IOException | RuntimeException ex)
            {
                unavailable = "a doorbell could not be made in " + directory + ": " + ex;
                return null;
            }
            made++;
            OWN.set(number, bell);
            return bell;
        }
    }

    /**
     * Gives a bell back for the next wait of this JVM.
     *
     * @param bell a bell from {@link #acquire()} that its thread no longer sleeps on.
     */
    public static void release(final Doorbell bell)
    {
        synchronized (LOCK)
        {
            IDLE.push(bell);
        }
    }

    /**
     * Gives up a bell that failed: closes it and removes its socket; its number is not used again.
     *
     * @param bell a bell from {@link #acquire()}.
     */
    public static void discard(final Doorbell bell)
    {
        OWN.compareAndSet(numberOf(bell.id()), bell, null);
        bell.close();
    }

    /**
     * Wakes the waiter sleeping on a bell, in this JVM or another. Never blocks; a bell that is gone is ignored.
     *
     * @param id the bell's id, as a waiter table holds it.
     */
    public static void ring(final int id)
    {
        if (pidOf(id) == PID)
        {
            final Doorbell own = OWN.get(numberOf(id));
            if (own != null)
            {
                own.wakeUp();
            }
            return;
        }
        ringOther(id);
    }

    /**
     * Whether the process that made a bell may still run: false only when its pid is not in use (a reused pid counts
     * as alive, and its row waits for a writer to consume it).
     *
     * @param id a bell's id.
     * @return false when the bell's process is certainly gone.
     */
    public static boolean mayBeAlive(final int id)
    {
        final long pid = pidOf(id);
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @param id a bell's id.
     * @return the pid of the JVM that made it.
     */
    public static long pidOf(final int id)
    {
        return Integer.toUnsignedLong(id) >>> NUMBER_BITS;
    }

    /**
     * Why no bell can be made here, for tests and diagnostics.
     *
     * @return the reason, or null when bells work (or none was needed yet).
     */
    public static String unavailableReason()
    {
        synchronized (LOCK)
        {
            return unavailable;
        }
    }

    /**
     * The directory of this uid's bells.
     *
     * @return {@code /dev/shm/ipckit-bells-<uid>}, or the same name under {@code java.io.tmpdir}.
     */
    public static Path directory()
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(DIRECTORY_PREFIX + PrivateDirectory.currentUid());
    }

    static int idOf(final long pid, final int number)
    {
        return (int)(pid << NUMBER_BITS) | number;
    }

    private static int numberOf(final int id)
    {
        return id & (MAX_BELLS - 1);
    }

    private static void ringOther(final int id)
    {
        synchronized (CONNECTIONS)
        {
            final SocketChannel known = CONNECTIONS.get(id);
            if (known != null)
            {
                if (write(known))
                {
                    return;
                }
                CONNECTIONS.remove(id);
                closeQuietly(known);
            }
            final Path checked;
            synchronized (LOCK)
            {
                checked = checkedDirectory();
            }
            if (checked == null)
            {
                return;
            }
            SocketChannel connection = null;
            try
            {
                connection = SocketChannel.open(StandardProtocolFamily.UNIX);
                connection.configureBlocking(false);
                // Non-blocking: a full backlog (the waiter is stopped) is "pending", given up rather than waited for.
                if (!connection.connect(UnixDomainSocketAddress.of(checked.resolve(pidOf(id) + "-" + numberOf(id)))) ||
                    !write(connection))
                {
                    closeQuietly(connection);
                    return;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // No such bell (its process is gone) or it refused: nobody to wake.
                closeQuietly(connection);
                return;
            }
            if (CONNECTIONS.size() >= MAX_CONNECTIONS)
            {
                evictOne();
            }
            CONNECTIONS.put(id, connection);
        }
    }

    /** Under CONNECTIONS. A full socket buffer counts as rung: the waiter has unread rings. */
    private static boolean write(final SocketChannel connection)
    {
        try
        {
            RING.clear();
            connection.write(RING);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void evictOne()
    {
        final Iterator<SocketChannel> connections = CONNECTIONS.values().iterator();
        if (connections.hasNext())
        {
            final SocketChannel oldest = connections.next();
            connections.remove();
            closeQuietly(oldest);
        }
    }

    /** Under LOCK: the directory, created and checked on first use; null when it cannot be used. */
    private static Path checkedDirectory()
    {
        if (directory != null || unavailable != null)
        {
            return directory;
        }
        final Path candidate = directory();
        try
        {
            final var problem = PrivateDirectory.create(candidate);
            if (problem.isPresent())
            {
                unavailable = problem.get();
                return null;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            unavailable = "the doorbell directory " + candidate + " cannot be created: " + ex;
            return null;
        }
        directory = candidate;
        removeDeadBells(candidate);
        ExitDuties.register(ExitDuties.Stage.CLOSE_DOORBELLS, Doorbells::closeAll);
        return directory;
    }

    /** Removes the sockets of processes that died without removing theirs (killed). */
    private static void removeDeadBells(final Path bells)
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bells))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                final int dash = name.indexOf('-');
                if (dash <= 0)
                {
                    continue;
                }
                try
                {
                    final long pid = Long.parseLong(name.substring(0, dash));
                    if (pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE)
                    {
                        Files.deleteIfExists(file);
                    }
                }
                catch (final NumberFormatException | IOException ignore)
                {
                    // Not a bell, or removed by another process: leave it.
                }
            }
        }
        catch (final IOException ignore)
        {
            // Left for the next JVM that makes a bell.
        }
    }

    private static void closeAll()
    {
        for (int number = 0; number < MAX_BELLS; number++)
        {
            final Doorbell bell = OWN.getAndSet(number, null);
            if (bell != null)
            {
                bell.close();
            }
        }
    }

    private static void closeQuietly(final SocketChannel connection)
    {
        if (connection != null)
        {
            try
            {
                connection.close();
            }
            catch (final IOException ignore)
            {
                // Nothing to do.
            }
        }
    }
}
