package dev.ipckit.memory;

import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.ipckit.memory.internal.ObjectType;

import static dev.ipckit.memory.RegionLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every field of a region file that ipckit reads, damaged in a real file made by ipckit: each gives a
 * {@link RegionException} with the fitting reason, naming the file and the field, never an OutOfMemoryError, a bare
 * IllegalArgumentException or a read of the wrong bytes. Offsets come from {@link RegionLayout}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionDamageTest
{
    private static final int SIZE = 1 << 16;
    private static final int ENTRY = entryOffset(0);

    @TempDir
    Path dir;

    /** One damage: where, what is written (a long or an int), the reason expected and the words the message names. */
    private record Damage(String what, long at, int width, long value, RegionException.Reason reason, String field)
    {
    }

    private static Damage asLong(final String what, final long at, final long value, final RegionException.Reason reason,
        final String field)
    {
        return new Damage(what, at, Long.BYTES, value, reason, field);
    }

    private static Damage asInt(final String what, final long at, final long value, final RegionException.Reason reason,
        final String field)
    {
        return new Damage(what, at, Integer.BYTES, value, reason, field);
    }

    private static final RegionException.Reason CORRUPT = RegionException.Reason.CORRUPT;

    private static List<Damage> damages()
    {
        final List<Damage> damages = new ArrayList<>();
        // The header.
        damages.add(asLong("magic", MAGIC_OFFSET, 0x1234L, RegionException.Reason.BAD_MAGIC, "not an ipckit region"));
        damages.add(asInt("layout version", LAYOUT_VERSION_OFFSET, 99, RegionException.Reason.UNSUPPORTED_VERSION, "version 99"));
        damages.add(asLong("region length 0", REGION_LENGTH_OFFSET, 0, CORRUPT, "REGION_LENGTH is 0"));
        damages.add(asLong("region length -1", REGION_LENGTH_OFFSET, -1, CORRUPT, "REGION_LENGTH is -1"));
        damages.add(asLong("region length 2^40", REGION_LENGTH_OFFSET, 1L << 40, CORRUPT, "REGION_LENGTH is " + (1L << 40)));
        damages.add(asLong("region length past the file", REGION_LENGTH_OFFSET, SIZE + 4096,
            RegionException.Reason.TRUNCATED, "truncated"));
        damages.add(asInt("directory capacity 0", DIRECTORY_CAPACITY_OFFSET, 0, CORRUPT, "DIRECTORY_CAPACITY is 0"));
        damages.add(asInt("directory capacity 2^20", DIRECTORY_CAPACITY_OFFSET, 1 << 20, CORRUPT, "DIRECTORY_CAPACITY"));
        damages.add(asInt("directory capacity beyond the length", DIRECTORY_CAPACITY_OFFSET, MAX_DIRECTORY_CAPACITY,
            CORRUPT, "DIRECTORY_CAPACITY is " + MAX_DIRECTORY_CAPACITY));
        damages.add(asLong("data offset 2^40", DATA_OFFSET_OFFSET, 1L << 40, CORRUPT, "DATA_OFFSET"));
        damages.add(asInt("entry count 10^9", ENTRY_COUNT_OFFSET, 1_000_000_000, CORRUPT, "ENTRY_COUNT is 1000000000"));
        damages.add(asInt("entry count -1", ENTRY_COUNT_OFFSET, -1, CORRUPT, "ENTRY_COUNT is -1"));
        damages.add(asLong("allocation cursor -1", ALLOCATION_CURSOR_OFFSET, -1, CORRUPT, "ALLOCATION_CURSOR is -1"));
        damages.add(asLong("allocation cursor 2^40", ALLOCATION_CURSOR_OFFSET, 1L << 40, CORRUPT, "ALLOCATION_CURSOR"));
        // The directory entry of the value.
        damages.add(asInt("entry type unknown", ENTRY + ENTRY_TYPE_OFFSET, 777, CORRUPT, "TYPE is 777"));
        damages.add(asInt("name length 0", ENTRY + ENTRY_NAME_LENGTH_OFFSET, 0, CORRUPT, "NAME_LENGTH is 0"));
        damages.add(asInt("name length -5", ENTRY + ENTRY_NAME_LENGTH_OFFSET, -5, CORRUPT, "NAME_LENGTH is -5"));
        damages.add(asInt("name length past the entry", ENTRY + ENTRY_NAME_LENGTH_OFFSET, MAX_OBJECT_NAME_BYTES + 1,
            CORRUPT, "NAME_LENGTH"));
        damages.add(asLong("data offset of the object 2^40", ENTRY + ENTRY_OFFSET_OFFSET, 1L << 40, CORRUPT,
            "OFFSET is " + (1L << 40)));
        damages.add(asLong("data offset of the object 0 (the header)", ENTRY + ENTRY_OFFSET_OFFSET, 0, CORRUPT,
            "OFFSET is 0"));
        damages.add(asLong("data offset of the object past the end", ENTRY + ENTRY_OFFSET_OFFSET, SIZE, CORRUPT,
            "OFFSET is " + SIZE));
        damages.add(asLong("element count 0", ENTRY + ENTRY_COUNT_FIELD_OFFSET, 0, CORRUPT, "COUNT is 0"));
        damages.add(asLong("element count 10^12", ENTRY + ENTRY_COUNT_FIELD_OFFSET, 1_000_000_000_000L, CORRUPT,
            "COUNT is 1000000000000"));
        damages.add(asLong("data length 9", ENTRY + ENTRY_LENGTH_OFFSET, 9, CORRUPT, "LENGTH is 9"));
        damages.add(asLong("data length 2^31-1", ENTRY + ENTRY_LENGTH_OFFSET, Integer.MAX_VALUE, CORRUPT, "LENGTH"));
        damages.add(asLong("lock offset 2^33", ENTRY + ENTRY_LOCK_OFFSET_OFFSET, 1L << 33, CORRUPT,
            "LOCK_OFFSET is " + (1L << 33)));
        damages.add(asLong("lock offset -128", ENTRY + ENTRY_LOCK_OFFSET_OFFSET, -128, CORRUPT, "LOCK_OFFSET is -128"));
        return damages;
    }

    @Test
    void everyDamagedFieldIsReportedWithItsReasonFileAndField() throws IOException
    {
        final List<String> failures = new ArrayList<>();
        int i = 0;
        for (final Damage damage : damages())
        {
            final Path file = makeRegion("r" + i++);
            write(file, damage.at(), damage.width(), damage.value());
            try
            {
                final long read = openAndRead(file);
                failures.add(damage.what() + ": no error, read " + read);
            }
            catch (final RegionException ex)
            {
                if (ex.reason() != damage.reason() || !ex.getMessage().contains(file.toString()) ||
                    !ex.getMessage().contains(damage.field()))
                {
                    failures.add(damage.what() + ": " + ex.reason() + " " + ex.getMessage());
                }
            }
            catch (final RuntimeException | Error ex)
            {
                failures.add(damage.what() + ": " + ex);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void aFileTruncatedAfterItsHeaderIsTruncated() throws IOException
    {
        final Path file = makeRegion("cut");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(SIZE / 2);
        }
        final RegionException ex = assertThrows(RegionException.class, () -> openAndRead(file));
        assertEquals(RegionException.Reason.TRUNCATED, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
    }

    @Test
    void anUndamagedFileReadsItsValue() throws IOException
    {
        assertEquals(42, openAndRead(makeRegion("fine")));
    }

    /** A persistent region holding a SharedLong 'value' = 42 with a lock of its own, closed. */
    private Path makeRegion(final String name)
    {
        try (SharedRegion region = SharedRegion.create(name, SIZE, options().withPersistent(true)))
        {
            SharedLong.create(region, "value", 42);
            assertTrue(region.find("value", ObjectType.LONG).hasLock());
            return region.path();
        }
    }

    private long openAndRead(final Path file)
    {
        try (SharedRegion region = SharedRegion.openAt(file, options()))
        {
            return SharedLong.open(region, "value").get();
        }
    }

    private RegionOptions options()
    {
        return RegionOptions.defaults().withDirectory(dir).withTimeout(Duration.ofMillis(200));
    }

    static void write(final Path file, final long at, final int width, final long value) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.nativeOrder());
        if (width == Long.BYTES)
        {
            bytes.putLong(value);
        }
        else
        {
            bytes.putInt(Math.toIntExact(value));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            raf.write(bytes.array());
        }
    }
}
