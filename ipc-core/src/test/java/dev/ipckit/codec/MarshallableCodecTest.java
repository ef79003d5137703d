package dev.ipckit.codec;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static dev.ipckit.codec.CodecTesting.*;

/**
 * Codecs.marshallable: Chronicle BytesMarshallable messages made by their factory, and a class it could not decode
 * refused.
 */
class MarshallableCodecTest
{
    @Test
    void marshallableRoundTripsThroughTheFactory()
    {
        final Codec<Point> codec = Codecs.marshallable(Point::new);
        final Point point = new Point(-3, 1L << 50, "caf\u00e9");
        assertEquals(point, roundTrip(codec, point));
        assertEquals(new Point(), roundTrip(codec, new Point()));
        assertEquals("Codecs.marshallable(" + Point.class.getName() + ")", codec.toString());
        final Bytes<?> bytes = encoded(codec, point);
        assertEquals(4 + 8 + 1 + 5, bytes.readRemaining(), "just the fields: no class name, no tag");
    }

    @Test
    void marshallableRefusesAClassItCouldNotDecode()
    {
        final Codec<Point> codec = Codecs.marshallable(Point::new);
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> codec.encode(new Point3(), bytes));
        assertContains(ex.getMessage(), Point3.class.getName(), Point.class.getName());
        assertEquals(0, bytes.writePosition());
        assertThrows(IllegalArgumentException.class, () -> Codecs.<Point>marshallable(() -> null));
        assertThrows(NullPointerException.class, () -> Codecs.<Point>marshallable(null));
    }
}
