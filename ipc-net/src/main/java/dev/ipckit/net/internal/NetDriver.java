package dev.ipckit.net.internal;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.PrivateDirectory;
import dev.ipckit.platform.internal.ProcessIdentity;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This JVM's one way onto the network: an Aeron client on an embedded media driver, both started on first use (a JVM
 * that never uses the network has neither, nor their thread or files) and closed at exit, or on an external driver
 * ({@code -Dipckit.aeron.dir}, a production driver run on its own).
 * <p>
 * The embedded driver runs in the threads that use it ({@link ThreadingMode#INVOKER}): its duty cycle (conductor,
 * sender, receiver) and the client conductor's are run by {@link #invoke()}, which every look of a network wait calls
 * when it found nothing (a receive, a send waiting for room, an accept, a connect). So a thread waiting for the next
 * message polls the socket itself as it spins, and a request goes out in the cycle its sender's wait for the answer
 * runs: no hand-off to a driver thread that may be parked. A background thread ({@code ipckit-aeron-invoker}) runs
 * the same cycle when no thread does, backing off to parks of at most {@link #MAX_PARK_NANOS}: heartbeats, status
 * messages, retransmissions, streams of sends (in batches) and messages that arrive while nobody waits. An idle JVM
 * costs no CPU worth
 * measuring, and no thread of its own spins. Whoever holds the client's lock runs the cycle; the others skip it
 * (Aeron's client runs the driver the same way, under the same lock, while it waits for the driver's answers).
 * <p>
 * Its directory is
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
    /** The background thread leaves the cycle alone while a waiting thread ran it this recently. */
    static final long FOREGROUND_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The longest park of the background invoker thread. */
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /**
     * System property choosing how the embedded driver's background thread idles: {@code backoff} (the default:
     * spins, yields, then parks of at most {@link #MAX_PARK_NANOS}; no CPU while idle), {@code yield} (never parks: the
     * thread takes what CPU it can while idle) or {@code spin} (busy-spins a core, for a machine with cores to spare).
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

    /** The embedded driver's and its client's duty cycles, or null (no driver yet, or an external one). */
    private static volatile Invokers invokers;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentRunner background;

    private NetDriver(final MediaDriver driver, final Aeron aeron, final AgentRunner background)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.background = background;
    }

    /**
     * Runs one duty cycle of the embedded driver and of its client, unless another thread runs one now; does nothing
     * with an external driver (it has threads of its own). Every look of a network wait that found nothing calls it.
     *
     * @return the work done, 0 when none or skipped.
     */
    public static int invoke()
    {
        final Invokers running = invokers;
        return running == null ? 0 : running.invokeInForeground();
    }

    /**
     * Runs a call of Aeron's client that waits for the driver's answer (adding or closing a publication or
     * subscription) with the thread's interrupt flag cleared, and sets it again after. Aeron's client ends itself,
     * and every connection of the JVM with it, when a thread waiting for the driver is interrupted ("unexpected
     * interrupt"); an interrupt meant for the caller must not do that.
     *
     * @param call the call.
     * @param <T>  its result's type.
     * @return its result.
     */
    public static <T> T uninterrupted(final java.util.function.Supplier<T> call)
    {
        final boolean interrupted = Thread.interrupted();
        try
        {
            return call.get();
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Closes a publication or subscription as {@link #uninterrupted} runs a call.
     *
     * @param closeable what to close, or null.
     */
    public static void closeUninterrupted(final AutoCloseable closeable)
    {
        if (closeable == null)
        {
            return;
        }
        uninterrupted(() ->
        {
            try
            {
                closeable.close();
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            return null;
        });
    }

    /** The two duty cycles and the lock whoever runs them holds: the Aeron client's own lock. */
    private static final class Invokers implements Agent
    {
        private final ReentrantLock lock;
        private final AgentInvoker driver;
        private final AgentInvoker client;

        Invokers(final ReentrantLock lock, final AgentInvoker driver, final AgentInvoker client)
        {
            this.lock = lock;
            this.driver = driver;
            this.client = client;
        }

        /** When a waiting thread last ran the cycle: written by it, read by the background thread. */
        private volatile long lastForegroundNanos = System.nanoTime() - FOREGROUND_QUIET_NANOS;

        int invokeInForeground()
        {
            final int work = invoke();
            if (work >= 0)
            {
                lastForegroundNanos = System.nanoTime();
            }
            return Math.max(0, work);
        }

        /** @return the work done, or -1 when another thread runs the cycle now. */
        private int invoke()
        {
            if (!lock.tryLock())
            {
                return -1;
            }
            try
            {
                return driver.invoke() + client.invoke();
            }
            finally
            {
                lock.unlock();
            }
        }

        /**
         * The background thread's cycle: none while a waiting thread runs them (it would only take the lock and a
         * core from that thread, on a small machine the other process's), so it backs off to its parks then.
         */
        @Override
        public int doWork()
        {
            if (System.nanoTime() - lastForegroundNanos < FOREGROUND_QUIET_NANOS)
            {
                return 0;
            }
            return Math.max(0, invoke());
        }

        @Override
        public String roleName()
        {
            return "ipckit-aeron-invoker";
        }
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
                .threadFactory(daemons("ipckit-aeron-client"))), null);
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
            .threadingMode(ThreadingMode.INVOKER)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .imageLivenessTimeoutNs(livenessNanos)
            .publicationConnectionTimeoutNs(livenessNanos)
            // The conductor looks at the liveness of images on this timer (1 s by default): a silent peer's end then
            // comes up to a whole interval after the timeout. A tenth of it keeps the end near the timeout.
            .timerIntervalNs(Math.min(TimeUnit.SECONDS.toNanos(1), livenessNanos / 10))
            .publicationLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
            .asyncExecutorThreadFactory(daemons("ipckit-aeron-driver-async"));
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        Aeron aeron = null;
        try
        {
            final ReentrantLock lock = new ReentrantLock();
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .clientLock(lock)
                .useConductorAgentInvoker(true)
                .driverAgentInvoker(driver.sharedAgentInvoker())
                .threadFactory(daemons("ipckit-aeron-client")));
            final Invokers cycles = new Invokers(lock, driver.sharedAgentInvoker(), aeron.conductorAgentInvoker());
            final AgentRunner background = new AgentRunner(idle, Throwable::printStackTrace, null, cycles);
            AgentRunner.startOnThread(background, daemons("ipckit-aeron-invoker"));
            invokers = cycles;
            return new NetDriver(driver, aeron, background);
        }
        catch (final RuntimeException ex)
        {
            if (aeron != null)
            {
                aeron.close();
            }
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
        final Invokers running = invokers;
        invokers = null;
        if (background != null)
        {
            background.close();
        }
        // Under the client's lock: a thread in a duty cycle finishes it first, and none starts another.
        if (running != null)
        {
            running.lock.lock();
        }
        try
        {
            aeron.close();
            if (driver != null)
            {
                driver.close();
            }
        }
        finally
        {
            if (running != null)
            {
                running.lock.unlock();
            }
        }
    }
}
