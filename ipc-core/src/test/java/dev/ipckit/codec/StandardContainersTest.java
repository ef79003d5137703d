package dev.ipckit.codec;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.testing.ChildJvms;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What Python users send all day, through {@code Codecs.standard()} without Java serialization: lists, sets, maps,
 * arrays, Optional, nested and with nulls, and the application's enums and records once registered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class StandardContainersTest
{
    /** A registered enum. */
    public enum Color
    {
        RED, GREEN
    }

    /** A registered record whose components are standard types, one of them a list. */
    public record Point(int x, String label, List<Object> tags)
    {
        /** The canonical constructor checks, as records do: the codec makes records through it. */
        public Point
        {
            if (x < 0)
            {
                throw new IllegalArgumentException("x must not be negative: " + x);
            }
        }
    }

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    @Test
    void collectionsArraysAndOptionalsNestWithNulls()
    {
        final Map<Object, Object> message = new LinkedHashMap<>();
        message.put("list", Arrays.asList(1, "a", null, 2.5));
        message.put("set", new LinkedHashSet<>(List.of("x", "y")));
        message.put("nested", List.of(Map.of("k", List.of(List.of(7L)))));
        message.put("present", Optional.of(List.of(2L)));
        message.put("empty", Optional.empty());
        message.put(3, "an int key");
        message.put("null", null);
        final Map<?, ?> decoded = (Map<?, ?>)CodecTesting.roundTrip(Codecs.standard(), message);
        assertEquals(message, decoded);
        assertEquals(List.copyOf(message.keySet()), List.copyOf(decoded.keySet()), "insertion order kept");
        assertInstanceOf(ArrayList.class, decoded.get("list"));
        assertInstanceOf(Set.class, decoded.get("set"));

        final Object[] arrays = {new int[]{1, -2}, new long[]{Long.MAX_VALUE}, new double[]{0.5, Double.NaN},
            new Object[]{null, "o", new byte[]{9}}, new int[0]};
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        Codecs.standard().encode(arrays, bytes);
        final Object[] back = (Object[])Codecs.standard().decode(bytes);
        assertTrue(Arrays.deepEquals(arrays, back), Arrays.deepToString(back));
    }

    @Test
    void registeredEnumsAndRecordsTravelAndOthersAreAClearError()
    {
        final Codecs.Standard codec = Codecs.standard().withTypes(Color.class, Point.class);
        final Point point = new Point(3, "p", List.of(Color.GREEN, Optional.of(1L)));
        assertEquals(point, CodecTesting.roundTrip(codec, point));
        assertEquals(List.of(Color.RED, point), CodecTesting.roundTrip(codec, List.of(Color.RED, point)));
        assertEquals("Codecs.standard().withTypes(" + Color.class.getName() + ", " + Point.class.getName() + ")",
            codec.toString());

        final IllegalArgumentException unregistered =
            assertThrows(IllegalArgumentException.class, () -> CodecTesting.roundTrip(Codecs.standard(), Color.RED));
        assertTrue(unregistered.getMessage().contains("withTypes(Color.class)"), unregistered.getMessage());
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        codec.encode(point, bytes);
        final IllegalStateException notGiven =
            assertThrows(IllegalStateException.class, () -> Codecs.standard().withTypes(Color.class).decode(bytes));
        assertTrue(notGiven.getMessage().contains("which this codec was not given"), notGiven.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.standard().withTypes(String.class), "not enum/record");

        // A record's bytes saying x = -1: made through the canonical constructor, whose check refuses them.
        final Bytes<?> forged = Bytes.allocateElasticOnHeap();
        codec.encode(new Point(1, "p", List.of()), forged);
        final byte[] raw = forged.toByteArray();
        final int x = indexOfIntegerOne(raw);
        raw[x] = (byte)0xff;
        raw[x + 1] = (byte)0xff;
        raw[x + 2] = (byte)0xff;
        raw[x + 3] = (byte)0xff;
        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> codec.decode(Bytes.wrapForRead(raw)));
        assertTrue(refused.getMessage().contains("x must not be negative"), refused.getMessage());
    }

    @Test
    void deepOrSelfContainingContainersAndShortCountsAreRefused()
    {
        List<Object> deep = new ArrayList<>();
        final List<Object> root = deep;
        for (int i = 0; i < StandardCodec.MAX_DEPTH + 1; i++)
        {
            final List<Object> next = new ArrayList<>();
            deep.add(next);
            deep = next;
        }
        assertThrows(IllegalArgumentException.class, () -> CodecTesting.roundTrip(Codecs.standard(), root));
        final List<Object> self = new ArrayList<>();
        self.add(self);
        final IllegalArgumentException loop =
            assertThrows(IllegalArgumentException.class, () -> CodecTesting.roundTrip(Codecs.standard(), self));
        assertTrue(loop.getMessage().contains("holds itself"), loop.getMessage());

        final Bytes<?> list = Bytes.allocateElasticOnHeap();
        list.writeByte(StandardCodec.LIST);
        list.writeStopBit(1_000_000);
        list.writeByte(StandardCodec.NULL);
        final IllegalStateException shortList = assertThrows(IllegalStateException.class, () -> Codecs.standard().decode(list));
        assertTrue(shortList.getMessage().contains("truncated"), shortList.getMessage());
        final Bytes<?> ints = Bytes.allocateElasticOnHeap();
        ints.writeByte(StandardCodec.INT_ARRAY);
        ints.writeStopBit(100);
        ints.writeInt(1);
        final IllegalStateException shortInts = assertThrows(IllegalStateException.class, () -> Codecs.standard().decode(ints));
        assertTrue(shortInts.getMessage().contains("truncated"), shortInts.getMessage());
        final Bytes<?> nullMessage = Bytes.allocateElasticOnHeap();
        nullMessage.writeByte(StandardCodec.NULL);
        assertThrows(IllegalStateException.class, () -> Codecs.standard().decode(nullMessage));
    }

    @Test
    void aQueueCarriesRecordsAndCollectionsToAChildJvm() throws Exception
    {
        final Codecs.Standard codec = Codecs.standard().withTypes(Color.class, Point.class);
        try (SharedQueue<Object> queue = SharedQueue.create("typed", codec, QueueOptions.defaults().withDirectory(dir)))
        {
            queue.put(new Point(5, "five", List.of(Color.RED)));
            queue.put(Map.of("ids", new long[]{1, 2, 3}));
            final IpcProcess<String> child = IpcProcess.of(() ->
            {
                final Point point = (Point)queue.take(); // the codec travelled with the queue, types and all
                final Map<?, ?> map = (Map<?, ?>)queue.take();
                return point.label() + " " + point.tags() + " " + ((long[])map.get("ids")).length;
            }).jvmOptions(ChildJvms.SMALL).start();
            assertTrue(child.join(60, TimeUnit.SECONDS));
            assertEquals("five [RED] 3", child.result());
        }
    }

    /** Where the record's int component 1 is in its encoding: the INTEGER tag followed by 1, little-endian. */
    private static int indexOfIntegerOne(final byte[] raw)
    {
        for (int i = 0; i + 4 < raw.length; i++)
        {
            if (raw[i] == StandardCodec.INTEGER && raw[i + 1] == 1 && raw[i + 2] == 0 && raw[i + 3] == 0 && raw[i + 4] == 0)
            {
                return i + 1;
            }
        }
        throw new AssertionError("no int 1 in " + Arrays.toString(raw));
    }
}
