package dev.ipckit.platform.internal;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.Await;
import dev.ipckit.testing.ChildJvms;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Doorbell}s and {@link Doorbells#ring}: a ring from this JVM and from another ends a sleep, a ring never blocks
 * the ringer (a waiter that never reads, one that is gone), and a killed JVM's bells are removed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DoorbellTest
{
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    @TempDir
    Path dir;

    @AfterEach
    void killChildren() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    @Test
    void aRingFromThisJvmEndsASleep() throws Exception
    {
        final Doorbell bell = acquire();
        try
        {
            final CompletableFuture<Boolean> rung = CompletableFuture.supplyAsync(() -> sleep(bell, MINUTE_NANOS));
            Doorbells.ring(bell.id());
            assertTrue(rung.get(60, TimeUnit.SECONDS), "the sleep ended without a ring");
            assertFalse(bell.sleep(TimeUnit.MILLISECONDS.toNanos(20)), "one ring ends one sleep");
        }
        finally
        {
            Doorbells.release(bell);
        }
    }

    /**
     * The JVM's exit closes every bell, also one a thread sleeps on; that sleeper's wait then fails and discards its
     * bell, closing it a second time, which must be quiet (it once threw ClosedSelectorException out of an idle pool
     * worker's wait as its JVM exited).
     */
    @Test
    void aBellClosedUnderItsSleeperEndsTheSleepAndClosesAgainQuietly() throws Exception
    {
        final Doorbell bell = acquire();
        final CompletableFuture<Throwable> sleeper = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                bell.sleep(MINUTE_NANOS);
                return null;
            }
            catch (final IOException | RuntimeException ex)
            {
                return ex;
            }
        });
        Thread.sleep(50); // most often asleep by now; a sleep that starts after the close fails the same way
        bell.close();
        final Throwable failure = sleeper.get(60, TimeUnit.SECONDS);
        assertTrue(failure == null || failure instanceof IOException ||
            failure instanceof java.nio.channels.ClosedSelectorException, "the sleep ended: " + failure);
        Doorbells.discard(bell); // what a failed wait does
        bell.close();
    }

    @Test
    void aRingFromAnotherJvmEndsASleep() throws Exception
    {
        final Doorbell bell = acquire();
        try
        {
            final int id = bell.id();
            final IpcProcess<Object> ringer = IpcProcess.of(() ->
            {
                Doorbells.ring(id);
                return null;
            }).jvmOptions(ChildJvms.SMALL).start();
            // A ring that came before the sleep waits in the socket: either way the sleep ends rung.
            assertTrue(bell.sleep(MINUTE_NANOS), "no ring from the child within a minute");
            assertTrue(ringer.join(60, TimeUnit.SECONDS));
            assertEquals(OptionalInt.of(0), ringer.exitCode());
            bell.drain();
            assertFalse(bell.sleep(TimeUnit.MILLISECONDS.toNanos(20)), "nothing left to wake it");
        }
        finally
        {
            Doorbells.release(bell);
        }
    }

    @Test
    void ringsThatNobodyReadsNeverBlockTheRingerNorDoRingsOfAGoneBell() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("bells", 1 << 16, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedLong published = SharedLong.create(region, "bell", 0);
            final IpcProcess<Object> deaf = IpcProcess.of(() ->
            {
                final Doorbell own = Doorbells.acquire();
                published.set(own.id());
                Thread.sleep(120_000); // never drains: its socket buffer fills
                return null;
            }).jvmOptions(ChildJvms.SMALL).start();
            Await.until(() -> published.get() != 0, "the child's bell");
            final int id = (int)published.get();
            final Path socket = Doorbells.directory().resolve(Doorbells.pidOf(id) + "-" + (id & (Doorbells.MAX_BELLS - 1)));
            assertTrue(Files.exists(socket), socket + " missing");

            for (int i = 0; i < 200_000; i++) // far more bytes than a socket buffer holds
            {
                Doorbells.ring(id);
            }
            deaf.kill();
            assertTrue(deaf.join(60, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++)
            {
                Doorbells.ring(id); // its connection is broken and its socket refuses: ignored
            }
            assertTrue(Files.exists(socket), "a killed JVM cannot remove its socket");

            final IpcProcess<Object> next = IpcProcess.of(() ->
            {
                Doorbells.release(Doorbells.acquire());
                return null;
            }).jvmOptions(ChildJvms.SMALL).start();
            assertTrue(next.join(60, TimeUnit.SECONDS));
            assertEquals(OptionalInt.of(0), next.exitCode());
            assertFalse(Files.exists(socket), "the next JVM that made a bell removes a killed one's");
        }
    }

    @Test
    void aBellIdIsItsPidAndNumber()
    {
        final int id = Doorbells.idOf((1 << ProcessIdentity.PID_BITS) - 1, Doorbells.MAX_BELLS - 1);
        assertEquals((1 << ProcessIdentity.PID_BITS) - 1, Doorbells.pidOf(id), "the highest pid survives the sign bit");
        assertNotEquals(0, Doorbells.idOf(1, 0), "no id is 0, the free row");
        assertFalse(Doorbells.mayBeAlive(Doorbells.idOf(deadPid(), 0)));
        assertTrue(Doorbells.mayBeAlive(Doorbells.idOf(ProcessHandle.current().pid(), 3)));
    }

    private static long deadPid()
    {
        try
        {
            final Process exited = new ProcessBuilder("true").start();
            exited.waitFor();
            return exited.pid();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Doorbell acquire()
    {
        final Doorbell bell = Doorbells.acquire();
        assertNotNull(bell, () -> "no doorbell: " + Doorbells.unavailableReason());
        // As every waiter does before it registers: a bell reused from an earlier wait of this JVM (another test's
        // queue or pipe) may hold a ring that arrived after that wait ended.
        try
        {
            bell.drain();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return bell;
    }

    private static boolean sleep(final Doorbell bell, final long nanos)
    {
        try
        {
            return bell.sleep(nanos);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
