package dev.ipckit.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A pipe journal whose excerpt header was overwritten with a huge length: reported, never copied (the JVM lives). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeDamageTest
{
    /** An excerpt header of a complete data excerpt of ~1 GiB: what random bytes can look like to Chronicle. */
    private static final int HUGE_HEADER = 0x3FFF_FFF0;

    @TempDir
    Path dir;

    @Test
    void anExcerptWithADamagedLengthIsReportedNamingFileAndIndex() throws Exception
    {
        try (Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir)))
        {
            final Connection sender = pipe.end1();
            final Connection receiver = pipe.end2();
            for (int i = 0; i < 10; i++)
            {
                sender.sendBytes(new byte[] {(byte)i});
            }
            final Path cq4;
            try (Stream<Path> files = Files.walk(dir))
            {
                cq4 = files.filter(p -> p.toString().endsWith(Retention.ROLL_FILE_SUFFIX)).findFirst().orElseThrow();
            }
            final long at = QueueDamageTest.positionOf(cq4.getParent(), 5);
            try (RandomAccessFile file = new RandomAccessFile(cq4.toFile(), "rw"))
            {
                file.seek(at);
                file.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(HUGE_HEADER).array());
            }

            for (int i = 0; i < 5; i++)
            {
                assertArrayEquals(new byte[] {(byte)i}, receiver.recvBytes());
            }
            final QueueDamagedException ex = assertThrows(QueueDamagedException.class, receiver::recvBytes);
            assertEquals(cq4.toAbsolutePath(), ex.file());
            assertTrue(ex.getMessage().contains(cq4.toAbsolutePath().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("index 0x" + Long.toHexString(ex.index())), ex.getMessage());
            // Still there on the next look: the damaged excerpt is not passed over silently.
            assertThrows(QueueDamagedException.class, receiver::poll);
        }
    }
}
