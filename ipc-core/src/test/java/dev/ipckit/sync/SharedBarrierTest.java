package dev.ipckit.sync;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/** SharedBarrier within one process: indices, the action, breakage, reset and abort, as CPython's barrier tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedBarrierTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("barriers", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void everyPartyPassesWithADistinctIndexAndTheActionRunsOncePerRoundBeforeRelease() throws Exception
    {
        final SharedLong trips = SharedLong.create(region, "trips", 0);
        final SharedLong seenByParties = SharedLong.create(region, "seen", 0);
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 3, trips::incrementAndGet);
        assertEquals(3, barrier.parties());
        for (int round = 1; round <= 3; round++)
        {
            final long expectedTrips = round;
            final List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int party = 0; party < 3; party++)
            {
                results.add(inThread(() ->
                {
                    final int index = barrier.await(20, TimeUnit.SECONDS);
                    if (trips.get() == expectedTrips)
                    {
                        seenByParties.incrementAndGet();
                    }
                    return index;
                }));
            }
            final Set<Integer> indices = new TreeSet<>();
            for (final CompletableFuture<Integer> result : results)
            {
                indices.add(result.get(20, TimeUnit.SECONDS));
            }
            assertEquals(Set.of(0, 1, 2), indices);
            assertEquals(round, trips.get(), "the action runs exactly once per round");
        }
        assertEquals(9, seenByParties.get(), "every party saw the action's effect on release");
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.numberWaiting());
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryPartyAndLatecomersUntilReset() throws Exception
    {
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 3);
        final CompletableFuture<Integer> patient = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        awaitWaiting(barrier, 1);
        assertThrows(TimeoutException.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));
        assertTrue(barrier.isBroken());
        final Exception patientOutcome = assertThrows(Exception.class, () -> patient.get(20, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, patientOutcome.getCause());
        assertThrows(BrokenBarrierException.class, () -> barrier.await(1, TimeUnit.SECONDS), "a latecomer");
        assertEquals(0, barrier.numberWaiting());

        barrier.reset();
        assertFalse(barrier.isBroken());
        final CompletableFuture<Integer> a = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        final CompletableFuture<Integer> b = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        assertEquals(0, barrier.await(20, TimeUnit.SECONDS) * a.get(20, TimeUnit.SECONDS) * b.get(20, TimeUnit.SECONDS));
    }

    @Test
    void theDefaultTimeoutGivenAtCreationBoundsAwaitInEveryViewAndBreaksTheBarrier() throws Exception
    {
        final SharedBarrier created = SharedBarrier.create(region, "t", 2, null, Duration.ofMillis(200));
        // Another process opens the barrier from the region, as this view does: the default travels with it.
        final SharedBarrier opened = SharedBarrier.open(region, "t");
        assertEquals(Optional.of(Duration.ofMillis(200)), opened.defaultTimeout());
        assertEquals(Optional.of(Duration.ofMillis(200)),
            ((SharedBarrier)SharedLockTest.roundTrip(created)).defaultTimeout());

        final BrokenBarrierException timedOut = assertThrows(BrokenBarrierException.class, opened::await);
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        assertTrue(timedOut.getMessage().contains("default timeout of PT0.2S"), timedOut.getMessage());
        assertTrue(created.isBroken(), "a timeout breaks the barrier, as Python's wait(timeout) does");
        assertThrows(BrokenBarrierException.class, created::await, "a latecomer");

        created.reset();
        // An explicit timeout wins over the default.
        assertThrows(TimeoutException.class, () -> opened.await(20, TimeUnit.MILLISECONDS));

        final SharedBarrier patient = SharedBarrier.create(region, "patient", 2, null, Duration.ofSeconds(30));
        final CompletableFuture<Integer> first = inThread(patient::await);
        awaitWaiting(patient, 1);
        final Set<Integer> indices = new TreeSet<>(List.of(patient.await(), first.get(20, TimeUnit.SECONDS)));
        assertEquals(Set.of(0, 1), indices, "parties that arrive within the default timeout pass");

        assertEquals(Optional.empty(), SharedBarrier.create(region, "forever", 2).defaultTimeout());
        assertThrows(IllegalArgumentException.class,
            () -> SharedBarrier.create(region, "zero", 2, null, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
            () -> SharedBarrier.create(region, "negative", 2, null, Duration.ofSeconds(-1)));
    }

    @Test
    void abortBreaksWaitingPartiesAndResetBreaksTheRoundInProgress() throws Exception
    {
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 2);
        final CompletableFuture<Integer> waiting = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        awaitWaiting(barrier, 1);
        barrier.abort();
        assertInstanceOf(BrokenBarrierException.class,
            assertThrows(Exception.class, () -> waiting.get(20, TimeUnit.SECONDS)).getCause());

        barrier.reset();
        final CompletableFuture<Integer> resetWhileWaiting = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        awaitWaiting(barrier, 1);
        barrier.reset();
        assertInstanceOf(BrokenBarrierException.class,
            assertThrows(Exception.class, () -> resetWhileWaiting.get(20, TimeUnit.SECONDS)).getCause());
        assertFalse(barrier.isBroken(), "reset leaves the barrier usable");
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndReachesTheLastParty() throws Exception
    {
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 2, () ->
        {
            throw new IllegalStateException("action failed");
        });
        final CompletableFuture<Integer> first = inThread(() -> barrier.await(20, TimeUnit.SECONDS));
        awaitWaiting(barrier, 1);
        final IllegalStateException failure =
            assertThrows(IllegalStateException.class, () -> barrier.await(20, TimeUnit.SECONDS));
        assertEquals("action failed", failure.getMessage());
        assertInstanceOf(BrokenBarrierException.class,
            assertThrows(Exception.class, () -> first.get(20, TimeUnit.SECONDS)).getCause());
    }

    @Test
    void anInterruptedPartyBreaksTheBarrier() throws Exception
    {
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 2);
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        final Thread party = new Thread(() ->
        {
            try
            {
                barrier.await();
                outcome.complete("passed");
            }
            catch (final InterruptedException ex)
            {
                outcome.complete("interrupted");
            }
            catch (final BrokenBarrierException ex)
            {
                outcome.complete("broken");
            }
        });
        party.start();
        awaitWaiting(barrier, 1);
        party.interrupt();
        assertEquals("interrupted", outcome.get(20, TimeUnit.SECONDS));
        assertTrue(barrier.isBroken());
        party.join(10_000);
    }

    @Test
    void badArgumentsAndTravel() throws Exception
    {
        assertThrows(IllegalArgumentException.class, () -> SharedBarrier.create(region, "zero", 0));
        assertThrows(IllegalArgumentException.class, () -> SharedBarrier.create(region, "many", 5000));
        final Object notSerializable = new Object();
        final IllegalArgumentException action = assertThrows(IllegalArgumentException.class,
            () -> SharedBarrier.create(region, "bad", 2, () -> notSerializable.hashCode()));
        assertTrue(action.getMessage().contains("cannot be serialized"), action.getMessage());
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 4);
        final SharedBarrier travelled = (SharedBarrier)SharedLockTest.roundTrip(barrier);
        assertEquals(4, travelled.parties());
        assertEquals(4, SharedBarrier.open(region, "b").parties());
    }

    static void awaitWaiting(final SharedBarrier barrier, final int waiting) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (barrier.numberWaiting() < waiting)
        {
            assertTrue(System.nanoTime() < deadline, "parties did not arrive: " + barrier);
            Thread.sleep(5);
        }
    }

    interface PartyTask
    {
        int run() throws Exception;
    }

    static CompletableFuture<Integer> inThread(final PartyTask task)
    {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                result.complete(task.run());
            }
            catch (final Throwable ex)
            {
                result.completeExceptionally(ex);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
