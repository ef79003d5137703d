package dev.ipckit.stress.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The injector on a real process ({@code sleep}): it kills, it stops, and it never leaves a process stopped. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultInjectorTest
{
    private Process target;

    @AfterEach
    void killTarget() throws InterruptedException
    {
        if (target != null)
        {
            Signals.resume(target.pid());
            target.destroyForcibly();
            target.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void killsItsTarget() throws Exception
    {
        target = new ProcessBuilder("sleep", "60").start();
        final long pid = target.pid();
        try (FaultInjector injector = new FaultInjector("test", 1, 20, 0, 1_000_000, () -> List.of(pid)).start())
        {
            assertTrue(target.waitFor(30, TimeUnit.SECONDS), "the target was not killed");
            assertEquals(137, target.exitValue(), "killed by SIGKILL (128 + 9)");
            assertTrue(injector.kills() >= 1);
            assertEquals(0, injector.stops());
        }
    }

    @Test
    void stopsItsTargetAndContinuesItAtClose() throws Exception
    {
        target = new ProcessBuilder("sleep", "60").start();
        final long pid = target.pid();
        final FaultInjector injector =
            new FaultInjector("test", 2, 0, 20, TimeUnit.SECONDS.toNanos(30), () -> List.of(pid)).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (state(pid) != 'T' && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertEquals('T', state(pid), "stopped (pauses of up to 30 s: still stopped when seen)");
        injector.close();
        assertEquals(1, injector.stops(), "a stopped target is not chosen again while stopped");
        assertNotEquals('T', state(pid), "continued when the injector closed");
        assertTrue(target.isAlive());
    }

    @Test
    void theSameSeedMakesTheSameDecisions()
    {
        // Three targets, kills only: which one dies first depends on the seed alone.
        final int first = firstVictim(42);
        assertNotEquals(-1, first, "nobody was killed");
        assertEquals(first, firstVictim(42));
    }

    private static int firstVictim(final long seed)
    {
        final List<Process> targets = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                targets.add(new ProcessBuilder("sleep", "60").start());
            }
            final List<Long> pids = targets.stream().map(Process::pid).toList();
            try (FaultInjector injector = new FaultInjector("seed", seed, 20, 0, 1_000_000, () -> pids).start())
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() - deadline < 0)
                {
                    for (int i = 0; i < targets.size(); i++)
                    {
                        if (!targets.get(i).isAlive())
                        {
                            return i;
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                return -1;
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            targets.forEach(Process::destroyForcibly);
        }
    }

    /** The process state letter from /proc: T when stopped. */
    private static char state(final long pid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
