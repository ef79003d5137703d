package dev.ipckit.memory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Test helper for other modules: damages fields of a region file at offsets taken from {@link RegionLayout}. */
public final class RegionFileDamage
{
    private RegionFileDamage()
    {
    }

    /** Writes the header's ENTRY_COUNT. */
    public static void entryCount(final Path file, final int value) throws IOException
    {
        write(file, RegionLayout.ENTRY_COUNT_OFFSET, ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder())
            .putInt(value).array());
    }

    /** Writes the OFFSET of directory entry {@code index}. */
    public static void entryOffset(final Path file, final int index, final long value) throws IOException
    {
        write(file, RegionLayout.entryOffset(index) + RegionLayout.ENTRY_OFFSET_OFFSET,
            ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(value).array());
    }

    private static void write(final Path file, final long at, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            raf.write(bytes);
        }
    }
}
