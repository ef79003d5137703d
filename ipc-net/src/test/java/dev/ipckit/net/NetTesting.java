package dev.ipckit.net;

import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** What the network tests share: a short liveness timeout, keys, accepting on another thread, child JVMs. */
final class NetTesting
{
    /** Short, so death is seen quickly; long enough for Aeron's heartbeats on a busy 2-core runner. */
    static final Duration LIVENESS = Duration.ofSeconds(2);
    static final byte[] KEY = "the right key, 32 bytes or so...".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "another key, not the listener's".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final String LOOPBACK = "127.0.0.1:0";

    private static final ExecutorService ACCEPTORS = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "test-acceptor");
        thread.setDaemon(true);
        return thread;
    });

    private NetTesting()
    {
    }

    /** Sets the liveness timeout of this JVM's driver, unless it runs already (then it was set by an earlier test). */
    static synchronized void shortLiveness()
    {
        if (!NetDriver.embeddedDriverRunning() && !Network.livenessTimeout().equals(LIVENESS))
        {
            Network.setLivenessTimeout(LIVENESS);
        }
    }

    static <T> Future<T> inBackground(final Callable<T> call)
    {
        return ACCEPTORS.submit(call);
    }

    /**
     * Runs a call on a thread of its own and returns once that thread is parked (its wait's spins and yields are
     * over), so what the test does next must wake it, not meet it spinning.
     */
    static <T> Future<T> parkedInBackground(final Callable<T> call) throws InterruptedException
    {
        final FutureTask<T> task = new FutureTask<>(call);
        final Thread thread = new Thread(task, "test-waiter");
        thread.setDaemon(true);
        thread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING)
        {
            if (task.isDone() || System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the background call never parked (done: " + task.isDone() + ")");
            }
            Thread.onSpinWait();
        }
        return task;
    }

    /**
     * The child JVMs a test started, as a JUnit extension ({@code @RegisterExtension}): this JVM's driver gets the
     * short liveness timeout before the test, and whatever child still runs after it is continued (if stopped) and
     * killed.
     */
    static final class Children implements BeforeEachCallback, AfterEachCallback
    {
        private final List<IpcProcess<?>> started = new ArrayList<>();

        @Override
        public void beforeEach(final ExtensionContext context)
        {
            shortLiveness();
        }

        @Override
        public void afterEach(final ExtensionContext context) throws Exception
        {
            killLeftovers();
        }

        <T> IpcProcess<T> start(final IpcProcess<T> child)
        {
            started.add(child);
            return child.start();
        }

        void killLeftovers() throws Exception
        {
            for (final IpcProcess<?> child : started)
            {
                if (child.isAlive())
                {
                    try
                    {
                        signal("CONT", child.pid());
                    }
                    catch (final IllegalStateException ex)
                    {
                        // It ended meanwhile.
                    }
                    child.kill();
                    child.join(Duration.ofSeconds(10));
                }
            }
            started.clear();
        }
    }

    /** Sends a signal with {@code kill}: STOP and CONT, which Java cannot send. */
    static void signal(final String signal, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }
}
