package dev.ipckit.sync;

import dev.ipckit.testing.Await;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.DeserializationRejectedException;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A barrier whose stored action the deserialization filter rejects (bytes written straight into the region, or an
 * action of a class the user's filter denies) breaks for every party, is never run, and leaves nobody waiting.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedBarrierFilterTest
{
    /** A thread per party: the common pool may have one thread on a small machine. */
    private static final java.util.concurrent.Executor THREAD = task -> new Thread(task, "party").start();
    private static final String[] CHILD = {"-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

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
    void aDeepGraphWrittenIntoTheRegionAsTheActionBreaksTheBarrierForEveryParty() throws Exception
    {
        final Path marker = dir.resolve("ran");
        final SharedBarrier barrier = SharedBarrier.create(region, "b", 3, new MarkerAction(marker, new byte[16 << 10]));
        final byte[] crafted = Serialization.toBytes(nested(1000));
        final RegionEntry entry = region.find("b", ObjectType.BARRIER);
        region.buffer().putBytes(entry.offset() + SharedBarrier.ARRIVALS_OFFSET + 3 * Long.BYTES, crafted);
        region.buffer().putIntVolatile(entry.offset() + SharedBarrier.ACTION_LENGTH_OFFSET, crafted.length);

        final List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            waiting.add(CompletableFuture.supplyAsync(() -> awaitQuietly(barrier), THREAD));
        }
        Await.until(() -> barrier.numberWaiting() == 2, "two parties wait at the barrier");
        final BrokenBarrierException last =
            assertThrows(BrokenBarrierException.class, () -> barrier.await(30, TimeUnit.SECONDS));
        assertContains(last.getMessage(), "barrier 'b' in region " + region.path(),
            "action rejected by the deserialization filter", "objects nest 65 deep", "ipckit.serial.maxDepth=64",
            "broken for every party");
        assertInstanceOf(DeserializationRejectedException.class, last.getCause());
        for (final CompletableFuture<Integer> party : waiting)
        {
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> party.get(30, TimeUnit.SECONDS));
            assertInstanceOf(BrokenBarrierException.class, failure.getCause().getCause());
        }
        assertTrue(barrier.isBroken());
        assertFalse(Files.exists(marker));
    }

    @Test
    void anActionOfAClassTheUserFilterDeniesBreaksTheBarrierAcrossProcesses() throws Exception
    {
        final Path marker = dir.resolve("ran");
        final SharedBarrier barrier = SharedBarrier.create(region, "denied", 3, new MarkerAction(marker, new byte[0]));
        // The parent arrives first, so one of the children (whose filter denies the action) is the last party.
        final CompletableFuture<Integer> parent = CompletableFuture.supplyAsync(() -> awaitQuietly(barrier), THREAD);
        Await.until(() -> barrier.numberWaiting() == 1, "one party waits at the barrier");
        final List<IpcProcess<String>> children = new ArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            children.add(IpcProcess.of((SerializableCallable<String>)() ->
            {
                try
                {
                    barrier.await(60, TimeUnit.SECONDS);
                    return "tripped";
                }
                catch (final BrokenBarrierException ex)
                {
                    return "broken: " + ex.getMessage();
                }
            }).jvmOptions(options("-Dipckit.serialFilter=!" + MarkerAction.class.getName())).start());
        }
        final List<String> outcomes = new ArrayList<>();
        for (final IpcProcess<String> child : children)
        {
            assertTrue(child.join(90, TimeUnit.SECONDS));
            outcomes.add(child.result());
        }
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> parent.get(30, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, failure.getCause().getCause());
        assertTrue(outcomes.stream().allMatch(outcome -> outcome.startsWith("broken: ")), outcomes.toString());
        assertTrue(outcomes.stream().anyMatch(outcome -> outcome.contains("action rejected by the deserialization " +
            "filter: the class filter ipckit.serialFilter=\"!" + MarkerAction.class.getName() + "\" rejected class " +
            MarkerAction.class.getName())), outcomes.toString());
        assertTrue(barrier.isBroken());
        assertFalse(Files.exists(marker), "the rejected action never ran");
    }

    /** An action that leaves a file behind when it runs. */
    static final class MarkerAction implements SharedBarrier.Action
    {
        private static final long serialVersionUID = 1L;

        private final String marker;
        private final byte[] padding;

        MarkerAction(final Path marker, final byte[] padding)
        {
            this.marker = marker.toString();
            this.padding = padding;
        }

        @Override
        public void run()
        {
            try
            {
                Files.writeString(Path.of(marker), "ran " + padding.length);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static int awaitQuietly(final SharedBarrier barrier)
    {
        try
        {
            return barrier.await(60, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Object[] nested(final int depth)
    {
        Object[] value = new Object[0];
        for (int i = 1; i < depth; i++)
        {
            value = new Object[] {value};
        }
        return value;
    }


    private static String[] options(final String... more)
    {
        final List<String> all = new ArrayList<>(List.of(CHILD));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static void assertContains(final String text, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(text != null && text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }
}
