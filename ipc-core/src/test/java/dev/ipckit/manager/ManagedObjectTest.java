package dev.ipckit.manager;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Managed objects (Python's {@code BaseManager.register}): an application's type whose methods any process calls,
 * atomically, across child JVMs, and all or nothing when a caller is killed in the middle of a call.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
public class ManagedObjectTest
{
    /** A mutable class with a method that changes two fields with time between: a torn call breaks the sum. */
    static final class Account implements Serializable
    {
        private static final long serialVersionUID = 1L;
        long checking = 1_000_000;
        long savings;
        long transfers;

        long transfer(final long amount)
        {
            checking -= amount;
            final long until = System.nanoTime() + 20_000;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait(); // a window in which a kill lands inside the method
            }
            savings += amount;
            return ++transfers;
        }
    }

    /** An immutable state: a record carried by the standard codec. */
    public record Tally(long count, String last) implements Serializable
    {
        Tally add(final String who)
        {
            return new Tally(count + 1, who);
        }
    }

    static final ManagedType<Account> ACCOUNT = ManagedType.of("Account", Account.class,
        Codecs.javaSerialization("dev.ipckit.manager.ManagedObjectTest$Account"), Account::new);
    static final ManagedType<Tally> TALLY = ManagedType.of("Tally", Tally.class,
        Codecs.standard().withTypes(Tally.class), () -> new Tally(0, ""));

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    private SharedManager manager(final String name)
    {
        return SharedManager.create(name, 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @Test
    void methodsCalledFromSeveralProcessesAtOnceLoseNoUpdate() throws Exception
    {
        final int children = 3;
        final int calls = 300;
        try (SharedManager manager = manager("calls"))
        {
            final ManagedObject<Account> account = manager.object("account", ACCOUNT);
            final ManagedObject<Tally> tally = manager.object("tally", TALLY);
            final List<IpcProcess<Long>> started = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                final String who = "child-" + c;
                started.add(IpcProcess.<Long>of(() ->
                {
                    long last = 0;
                    for (int i = 0; i < calls; i++)
                    {
                        last = account.call(a -> a.transfer(1));
                        tally.update(t -> t.add(who));
                    }
                    return last;
                }).jvmOptions(ChildJvms.SMALL).start());
            }
            for (final IpcProcess<Long> child : started)
            {
                assertTrue(child.join(120, TimeUnit.SECONDS));
                assertEquals(0, child.exitCode().getAsInt(), child.stderrTail());
                assertTrue(child.result() <= (long)children * calls);
            }
            final Account after = account.get();
            assertEquals((long)children * calls, after.transfers);
            assertEquals((long)children * calls, after.savings);
            assertEquals(1_000_000 - (long)children * calls, after.checking);
            assertEquals((long)children * calls, tally.get().count());
            assertTrue(tally.get().last().startsWith("child-"));
        }
    }

    @Test
    void aCallerKilledInTheMiddleOfACallLeavesTheStateOfTheLastWholeCall() throws Exception
    {
        try (SharedManager manager = manager("killed"))
        {
            final ManagedObject<Account> account = manager.object("account", ACCOUNT);
            final Path calling = dir.resolve("calling");
            long lastTransfers = 0;
            // Killed at several instants, so that kills land before, inside and after the method and the write back.
            for (final int delayMillis : new int[]{0, 3, 17, 41, 97, 211})
            {
                Files.deleteIfExists(calling);
                final String marker = calling.toString();
                final IpcProcess<Void> caller = IpcProcess.<Void>of(() ->
                {
                    account.call(a -> a.transfer(1));
                    Files.createFile(Path.of(marker));
                    while (true)
                    {
                        account.call(a -> a.transfer(1));
                    }
                }).jvmOptions(ChildJvms.SMALL).start();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(calling))
                {
                    assertTrue(System.nanoTime() - deadline < 0, "the caller never made its first call");
                    assertTrue(caller.isAlive(), caller::stderrTail);
                    Thread.sleep(1);
                }
                Thread.sleep(delayMillis);
                caller.kill();
                assertTrue(caller.join(60, TimeUnit.SECONDS));

                // The lock of a caller killed inside a call is taken over; the state is that of a whole call.
                final Account after = account.get();
                assertEquals(1_000_000, after.checking + after.savings, "no call is half applied");
                assertEquals(after.savings, after.transfers, "every whole call moved exactly 1");
                assertTrue(after.transfers > lastTransfers, "the killed caller's whole calls stay");
                lastTransfers = after.transfers;
                assertEquals(lastTransfers + 1, (long)account.<Long>call(a -> a.transfer(1)));
                lastTransfers++;
            }
        }
    }

    @Test
    void aMethodThatThrowsOrAStateThatDoesNotFitChangesNothing()
    {
        try (SharedManager manager = manager("atomic"))
        {
            final ManagedObject<Tally> tally = manager.object("tally", TALLY, 256);
            tally.update(t -> t.add("first"));
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tally.call(t ->
            {
                throw new IllegalStateException("the method failed");
            }));
            assertEquals("the method failed", thrown.getMessage());
            assertEquals(new Tally(1, "first"), tally.get());

            final RuntimeException tooBig = assertThrows(RuntimeException.class,
                () -> tally.update(t -> new Tally(2, "x".repeat(10_000))));
            assertTrue(tooBig.getMessage().contains("tally"), tooBig.getMessage());
            assertEquals(new Tally(1, "first"), tally.get(), "nothing of the failed update is kept");
            assertEquals(new Tally(2, "second"), tally.update(t -> t.add("second")));
        }
    }

    @Test
    void anObjectOpenedWithAnotherTypeIsAClearError()
    {
        try (SharedManager manager = manager("types"))
        {
            manager.object("thing", TALLY);
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> manager.object("thing", ACCOUNT));
            assertEquals("managed object 'thing' (Account) in region " + manager.region().name() +
                " was created with managed type 'Tally': open it with that type, or give this one another name",
                ex.getMessage());
            assertEquals("Tally", ManagedObject.typeIdOf(manager.region(), "thing").orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> ManagedType.of("", Tally.class, TALLY.codec(),
                TALLY.factory()));
        }
    }

    @Test
    void theTimedCallGivesUpWhenAnotherThreadHoldsTheLock() throws Exception
    {
        try (SharedManager manager = manager("timed"))
        {
            final ManagedObject<Tally> tally = manager.object("tally", TALLY);
            final SharedRLock lock = tally.getLock();
            final CountDownLatch held = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final Thread holder = new Thread(() ->
            {
                lock.lock();
                try
                {
                    held.countDown();
                    release.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
                finally
                {
                    lock.unlock();
                }
            });
            holder.start();
            assertTrue(held.await(30, TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> tally.call(Duration.ofMillis(50), t -> t.add("late")));
            release.countDown();
            holder.join(30_000);
            // A record's method returns a new state and changes nothing shared; update replaces the state.
            assertEquals(new Tally(1, "on time"), tally.call(Duration.ofSeconds(30), t -> t.add("on time")));
            assertEquals(new Tally(0, ""), tally.get());
        }
    }
}
