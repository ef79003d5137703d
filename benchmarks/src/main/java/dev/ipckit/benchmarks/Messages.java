package dev.ipckit.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The messages of the messaging benchmarks: byte arrays of the payload size that carry a sequence number in their
 * first 8 bytes, and in fan-in runs the producer's index in the next 8, little-endian as the Python reference packs
 * them. The rest is zeros. Receivers check the numbers, so a lost, repeated or reordered message fails the run.
 */
final class Messages
{
    /** Bytes of the sequence number. */
    static final int SEQUENCE_BYTES = Long.BYTES;
    /** Offset of the producer's index. */
    static final int PRODUCER_OFFSET = SEQUENCE_BYTES;
    /** The sequence number of the message a fan-in producer sends after its last one. */
    static final long DONE = -1;
    /** The sequence number of the message that tells a fan-in consumer to stop. */
    static final long STOP = -2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Messages()
    {
    }

    /**
     * @param message a message.
     * @return its sequence number.
     */
    static long sequence(final byte[] message)
    {
        return (long)LONGS.get(message, 0);
    }

    /**
     * @param message  a message.
     * @param sequence its sequence number.
     */
    static void sequence(final byte[] message, final long sequence)
    {
        LONGS.set(message, 0, sequence);
    }

    /**
     * @param message a fan-in message.
     * @return its producer's index.
     */
    static int producer(final byte[] message)
    {
        return (int)(long)LONGS.get(message, PRODUCER_OFFSET);
    }

    /**
     * @param message  a fan-in message, at least 16 bytes.
     * @param producer its producer's index.
     */
    static void producer(final byte[] message, final int producer)
    {
        LONGS.set(message, PRODUCER_OFFSET, (long)producer);
    }

    /**
     * Checks a message's length.
     *
     * @param length   what was received.
     * @param expected the payload size.
     * @throws IllegalStateException when they differ.
     */
    static void checkLength(final int length, final int expected)
    {
        if (length != expected)
        {
            throw new IllegalStateException("received a message of " + length + " bytes, expected " + expected);
        }
    }
}
