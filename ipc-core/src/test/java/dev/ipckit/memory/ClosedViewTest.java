package dev.ipckit.memory;

import dev.ipckit.manager.SharedDict;
import dev.ipckit.manager.SharedList;
import dev.ipckit.platform.JvmFlags;
import dev.ipckit.sync.SharedBarrier;
import dev.ipckit.sync.SharedCondition;
import dev.ipckit.sync.SharedCountDownLatch;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedByte;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedDouble;
import dev.ipckit.value.SharedDoubleArray;
import dev.ipckit.value.SharedInt;
import dev.ipckit.value.SharedIntArray;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A closed view never touches memory that is not its region's: every operation on an object of a closed region
 * throws RegionException CLOSED naming the object and the region, with Agrona's bounds checks on (this JVM) and off
 * (a child JVM with {@code -Dagrona.disable.bounds.checks=true}).
 */
@Timeout(120)
class ClosedViewTest
{
    @TempDir
    Path dir;

    @Test
    void everyOperationAfterCloseThrowsClosedWithBoundsChecks()
    {
        assertTrue(UnsafeBuffer.SHOULD_BOUNDS_CHECK, "this JVM runs with Agrona's bounds checks");
        final List<String> failures = probe(dir);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void everyOperationAfterCloseThrowsClosedWithoutBoundsChecks() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(JvmFlags.forCurrentRuntime());
        command.add("-Dagrona.disable.bounds.checks=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BoundsChecksOff.class.getName());
        command.add(dir.toString());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<String> output = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final java.io.IOException ex)
            {
                return ex.toString();
            }
        });
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child finishes");
        final String text = output.get(10, TimeUnit.SECONDS);
        assertEquals(0, child.exitValue(), text);
        assertTrue(text.contains("bounds checks off, every operation threw CLOSED"), text);
    }

    /** Runs the probes in a JVM started with -Dagrona.disable.bounds.checks=true. */
    public static final class BoundsChecksOff
    {
        public static void main(final String[] args)
        {
            if (UnsafeBuffer.SHOULD_BOUNDS_CHECK)
            {
                System.out.println("bounds checks are on in the child");
                System.exit(2);
            }
            final List<String> failures = probe(Path.of(args[0]));
            if (!failures.isEmpty())
            {
                System.out.println(String.join("\n", failures));
                System.exit(1);
            }
            System.out.println("bounds checks off, every operation threw CLOSED");
            System.exit(0);
        }
    }

    interface Operation
    {
        Object run() throws Exception;
    }

    /**
     * Creates one object of every kind, closes the region, tries every operation; also closes a region under a
     * thread that increments and under waiters, which must all end with CLOSED.
     *
     * @return one line per operation that did not throw CLOSED naming its object and region.
     */
    static List<String> probe(final Path dir)
    {
        final List<String> failures = new ArrayList<>();
        final RegionOptions options = RegionOptions.defaults().withDirectory(dir);
        final SharedRegion region = SharedRegion.create("closed-views", 1 << 20, options);
        final Map<String, Operation> operations = new LinkedHashMap<>();

        final SharedLong along = SharedLong.create(region, "long", 7);
        operations.put("long get", along::get);
        operations.put("long set", () -> { along.set(1); return null; });
        operations.put("long incrementAndGet", along::incrementAndGet);
        operations.put("long compareAndSet", () -> along.compareAndSet(7, 8));
        operations.put("long getPlain", along::getPlain);
        operations.put("long getLock().lock", () -> { along.getLock().lock(); return null; });
        final SharedInt anInt = SharedInt.create(region, "int", 7);
        operations.put("int get", anInt::get);
        operations.put("int getAndAdd", () -> anInt.getAndAdd(1));
        final SharedDouble aDouble = SharedDouble.create(region, "double", 7);
        operations.put("double get", aDouble::get);
        operations.put("double set", () -> { aDouble.set(1); return null; });
        final SharedByte aByte = SharedByte.create(region, "byte", (byte)7);
        operations.put("byte get", aByte::get);
        final SharedBoolean aBoolean = SharedBoolean.create(region, "boolean", true);
        operations.put("boolean get", aBoolean::get);
        operations.put("boolean set", () -> { aBoolean.set(false); return null; });
        final SharedLongArray longs = SharedLongArray.create(region, "longs", 4);
        operations.put("longs get", () -> longs.get(1));
        operations.put("longs set", () -> { longs.set(1, 2); return null; });
        operations.put("longs copyTo", () -> { longs.copyTo(0, new long[4], 0, 4); return null; });
        operations.put("longs fill", () -> { longs.fill(0, 4, 9); return null; });
        final SharedIntArray ints = SharedIntArray.create(region, "ints", 4);
        operations.put("ints incrementAndGet", () -> ints.incrementAndGet(1));
        final SharedDoubleArray doubles = SharedDoubleArray.create(region, "doubles", 4);
        operations.put("doubles get", () -> doubles.get(1));
        final SharedByteArray bytes = SharedByteArray.create(region, "bytes", 16);
        operations.put("bytes get", () -> bytes.get(1));
        operations.put("bytes set", () -> { bytes.set(1, (byte)2); return null; });

        final SharedLock lock = SharedLock.create(region, "lock");
        operations.put("lock lock", () -> { lock.lock(); return null; });
        operations.put("lock tryLock", lock::tryLock);
        operations.put("lock tryLock(timeout)", () -> lock.tryLock(1, TimeUnit.SECONDS));
        operations.put("lock unlock", () -> { lock.unlock(); return null; });
        operations.put("lock isLocked", lock::isLocked);
        final SharedRLock rlock = SharedRLock.create(region, "rlock");
        operations.put("rlock lock", () -> { rlock.lock(); return null; });
        final SharedLock held = SharedLock.create(region, "held");
        final SharedCondition condition = SharedCondition.create(region, "condition", held);
        held.lock(); // held when the region closes: signalling and waiting must still refuse
        operations.put("condition signal", () -> { condition.signal(); return null; });
        operations.put("condition await", () -> condition.await(1, TimeUnit.SECONDS));
        operations.put("condition waiters", condition::waiters);
        final SharedSemaphore semaphore = SharedSemaphore.create(region, "semaphore", 1);
        operations.put("semaphore tryAcquire", semaphore::tryAcquire);
        operations.put("semaphore acquire", () -> { semaphore.acquire(); return null; });
        operations.put("semaphore release", () -> { semaphore.release(); return null; });
        operations.put("semaphore availablePermits", semaphore::availablePermits);
        final SharedEvent event = SharedEvent.create(region, "event");
        operations.put("event set", () -> { event.set(); return null; });
        operations.put("event isSet", event::isSet);
        operations.put("event await", () -> event.await(1, TimeUnit.SECONDS));
        final SharedBarrier barrier = SharedBarrier.create(region, "barrier", 2);
        operations.put("barrier await", () -> barrier.await(1, TimeUnit.SECONDS));
        operations.put("barrier numberWaiting", barrier::numberWaiting);
        final SharedCountDownLatch latch = SharedCountDownLatch.create(region, "latch", 2);
        operations.put("latch countDown", () -> { latch.countDown(); return null; });
        operations.put("latch getCount", latch::getCount);
        operations.put("latch await", () -> latch.await(1, TimeUnit.SECONDS));
        final SharedDict<Object, Object> dict = SharedDict.create(region, "dict", 16, 4096);
        dict.put("k", "v");
        operations.put("dict get", () -> dict.get("k"));
        operations.put("dict put", () -> dict.put("k", "w"));
        operations.put("dict size", dict::size);
        final SharedList<Object> list = SharedList.create(region, "list", 16, 4096);
        list.add("a");
        operations.put("list get", () -> list.get(0));
        operations.put("list add", () -> list.add("b"));
        operations.put("list size", list::size);

        final List<Object> views = List.of(along, anInt, aDouble, aByte, aBoolean, longs, ints, doubles, bytes, lock,
            rlock, condition, semaphore, event, barrier, latch);
        region.close();

        for (final Map.Entry<String, Operation> operation : operations.entrySet())
        {
            final String objectName = operation.getKey().substring(0, operation.getKey().indexOf(' '));
            try
            {
                final Object result = operation.getValue().run();
                failures.add(operation.getKey() + ": returned " + result + " after close");
            }
            catch (final RegionException ex)
            {
                if (ex.reason() != RegionException.Reason.CLOSED ||
                    !ex.getMessage().contains(region.path().toString()) ||
                    !ex.getMessage().contains("'" + objectName + "'"))
                {
                    failures.add(operation.getKey() + ": " + ex);
                }
            }
            catch (final Throwable ex)
            {
                failures.add(operation.getKey() + ": " + ex);
            }
        }
        for (final Object view : views)
        {
            try
            {
                if (!view.toString().contains("closed"))
                {
                    failures.add("toString of a closed view does not say so: " + view);
                }
            }
            catch (final RuntimeException ex)
            {
                failures.add("toString of a closed view threw " + ex);
            }
        }
        failures.addAll(closeUnderRunningOperations(dir));
        return failures;
    }

    /** Threads increment, wait for a lock, an event and a latch while another thread closes the region. */
    private static List<String> closeUnderRunningOperations(final Path dir)
    {
        final List<String> failures = new ArrayList<>();
        for (int round = 0; round < 20; round++)
        {
            final SharedRegion region = SharedRegion.create(
                "closed-under-use-" + round, 1 << 16, RegionOptions.defaults().withDirectory(dir));
            final SharedLong counter = SharedLong.create(region, "counter", 0);
            final SharedLock lock = SharedLock.create(region, "lock");
            final SharedEvent event = SharedEvent.create(region, "event");
            final SharedCountDownLatch latch = SharedCountDownLatch.create(region, "latch", 1);
            lock.lock();
            final List<CompletableFuture<Throwable>> ends = List.of(
                untilFailure(() -> { while (true) { counter.incrementAndGet(); } }),
                untilFailure(() -> { while (true) { counter.get(); } }),
                untilFailure(() -> { final SharedLock other = SharedLock.open(region, "lock"); other.lock(); return null; }),
                untilFailure(() -> { event.await(); return null; }),
                untilFailure(() -> { latch.await(); return null; }));
            // Each worker is running (or waiting) before the close, at a point that varies from round to round.
            while (counter.get() < 1000L * (round + 1))
            {
                Thread.onSpinWait();
            }
            region.close();
            for (final CompletableFuture<Throwable> end : ends)
            {
                final Throwable thrown;
                try
                {
                    thrown = end.get(30, TimeUnit.SECONDS);
                }
                catch (final Exception ex)
                {
                    failures.add("round " + round + ": an operation did not end after the close: " + ex);
                    continue;
                }
                if (!(thrown instanceof RegionException) || ((RegionException)thrown).reason() != RegionException.Reason.CLOSED)
                {
                    failures.add("round " + round + ": an operation running across the close ended with " + thrown);
                }
            }
        }
        return failures;
    }

    private static CompletableFuture<Throwable> untilFailure(final Operation operation)
    {
        final CompletableFuture<Throwable> end = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                operation.run();
                end.complete(null);
            }
            catch (final Throwable ex)
            {
                end.complete(ex);
            }
        }, "closed-view-probe");
        thread.setDaemon(true);
        thread.start();
        return end;
    }
}
