package dev.ipckit.net.internal;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ProcessIdentity;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's one way onto the network: an Aeron client on an embedded media driver, both started on first use (a JVM
 * that never uses the network has neither, nor their thread or files) and closed at exit, or on an external driver
 * ({@code -Dipckit.aeron.dir}, a production driver run on its own).
 * <p>
 * The embedded driver suits a small machine: one driver thread for conductor, sender and receiver
 * ({@link ThreadingMode#SHARED}) that backs off to parks of at most {@link #MAX_PARK_NANOS} when idle, so an idle JVM
 * costs no CPU worth measuring and a busy one leaves the other core to the application. Its directory is
 * {@code <ipckit's directory>/aeron-<identity>} (a private directory, checked as regions' are), removed when the driver
 * stops; one left by a JVM that died is removed when the next driver starts there. The liveness timeout (how long a
 * silent peer is taken for alive) is the driver's image liveness and publication connection timeouts.
 */
public final class NetDriver
{
    /** System property naming an external driver's Aeron directory. */
    public static final String AERON_DIR_PROPERTY = "ipckit.aeron.dir";
    /** How long a peer may be silent (no message, no heartbeat) before its connection ends: the default. */
    public static final Duration DEFAULT_LIVENESS_TIMEOUT = Duration.ofSeconds(5);
    /** The longest park of the idle driver thread. */
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /**
     * System property choosing how the embedded driver's thread idles: {@code backoff} (the default: spins, yields,
     * then parks of at most {@link #MAX_PARK_NANOS}; no CPU while idle), {@code yield} (never parks: round trips of
     * tens of microseconds, and the thread takes what CPU it can while idle) or {@code spin} (busy-spins a core, for a
     * machine with cores to spare).
     */
    public static final String IDLE_PROPERTY = "ipckit.aeron.idle";
    /** Each publication's term: a message up to an eighth of it is one Aeron message; larger ones go in chunks. */
    static final int TERM_LENGTH = 1024 * 1024;
    private static final String DIRECTORY_PREFIX = "aeron-";

    private static NetDriver instance;
    /** Connections and listeners open now: closed at exit before the client, so their peers see them close. */
    private static final java.util.Set<AutoCloseable> OPEN =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private static Duration livenessTimeout = DEFAULT_LIVENESS_TIMEOUT;

    private final MediaDriver driver;
    private final Aeron aeron;

    private NetDriver(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * Sets the liveness timeout of the driver this JVM starts; only before it started.
     *
     * @param timeout at least 100 ms.
     * @throws IllegalStateException when the driver runs already.
     */
    public static synchronized void setLivenessTimeout(final Duration timeout)
    {
        if (timeout.compareTo(Duration.ofMillis(100)) < 0)
        {
            throw new IllegalArgumentException("the liveness timeout must be at least 100 ms: " + timeout);
        }
        if (instance != null)
        {
            throw new IllegalStateException("the network driver of this JVM runs already; set the liveness timeout " +
                "before the first Listener or Client");
        }
        livenessTimeout = timeout;
    }

    /** @return the liveness timeout. */
    public static synchronized Duration livenessTimeout()
    {
        return livenessTimeout;
    }

    /**
     * The Aeron client of this JVM, starting the embedded driver on first use.
     *
     * @return the client.
     * @throws UncheckedIOException when the driver's directory cannot be made.
     */
    public static synchronized Aeron aeron()
    {
        if (instance == null)
        {
            instance = start();
            if (!ExitDuties.register(ExitDuties.Stage.CLOSE_NETWORK, NetDriver::closeAtExit))
            {
                instance.close();
                instance = null;
                throw new IllegalStateException("this JVM is exiting: no network");
            }
        }
        return instance.aeron;
    }

    /** @return whether this JVM runs an embedded driver now (for tests and {@code ipckit ls}). */
    public static synchronized boolean embeddedDriverRunning()
    {
        return instance != null && instance.driver != null;
    }

    /** @return the directory of the driver this JVM uses, or null when it has none yet. */
    public static synchronized String aeronDirectory()
    {
        return instance == null ? null : instance.aeron.context().aeronDirectoryName();
    }

    private static NetDriver start()
    {
        final long livenessNanos = livenessTimeout.toNanos();
        final String external = System.getProperty(AERON_DIR_PROPERTY);
        if (external != null && !external.isBlank())
        {
            return new NetDriver(null, Aeron.connect(new Aeron.Context().aeronDirectoryName(external)
                .threadFactory(daemons("ipckit-aeron-client"))));
        }
        final Path base = RegionFiles.ensurePrivateDirectory(RegionFiles.defaultDirectory());
        // The directory of a driver whose JVM was killed goes when the next one starts here.
        PrivateDirectory.removeThoseOfDeadJvms(base, DIRECTORY_PREFIX);
        final Path directory = base.resolve(DIRECTORY_PREFIX + ProcessIdentity.current());
        final IdleStrategy idle = driverIdle(System.getProperty(IDLE_PROPERTY, "backoff"));
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .imageLivenessTimeoutNs(livenessNanos)
            .publicationConnectionTimeoutNs(livenessNanos)
            .publicationLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
            .sharedThreadFactory(daemons("ipckit-aeron-driver"))
            .conductorThreadFactory(daemons("ipckit-aeron-driver-conductor"))
            .asyncExecutorThreadFactory(daemons("ipckit-aeron-driver-async"));
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        try
        {
            return new NetDriver(driver, Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .threadFactory(daemons("ipckit-aeron-client"))));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    private static IdleStrategy driverIdle(final String name)
    {
        return switch (name)
        {
            case "backoff" -> new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), MAX_PARK_NANOS);
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException(
                "-D" + IDLE_PROPERTY + "=" + name + ": must be backoff, yield or spin");
        };
    }

    /**
     * Daemon threads named {@code ipckit-...}: the network never keeps a JVM alive (a child process ends when its
     * task's threads do, and waits for no thread named so), and the exit duty stops them in order.
     */
    private static ThreadFactory daemons(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Records an open connection or listener, closed at exit before the driver.
     *
     * @param open what to close.
     */
    public static synchronized void opened(final AutoCloseable open)
    {
        OPEN.add(open);
    }

    /**
     * Forgets a closed connection or listener.
     *
     * @param closed what was closed.
     */
    public static synchronized void closed(final AutoCloseable closed)
    {
        OPEN.remove(closed);
    }

    private static void closeAtExit()
    {
        final NetDriver running;
        final java.util.List<AutoCloseable> open;
        synchronized (NetDriver.class)
        {
            open = new java.util.ArrayList<>(OPEN);
        }
        for (final AutoCloseable each : open)
        {
            try
            {
                each.close();
            }
            catch (final Exception ex)
            {
                // The peer sees the end at its liveness timeout instead.
            }
        }
        synchronized (NetDriver.class)
        {
            running = instance;
            instance = null;
        }
        if (running != null)
        {
            running.close();
        }
    }

    private void close()
    {
        aeron.close();
        if (driver != null)
        {
            driver.close();
        }
    }
}
