package dev.ipckit.pool;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A pool's region holds one slot per worker, each two single-producer single-consumer Agrona ring buffers: no
 * Chronicle journal, so a worker JVM starts in about 0.1 s instead of about 0.8 s.
 * <pre>
 * Worker slot (region object "worker-i", BYTES)
 *   0                      TASKS     ring, parent -> worker: TASK, CALL, CHUNK and STOP messages
 *   ringLength             RESULTS   ring, worker -> parent: READY, RESULT, FAILURE, CHUNK_RESULT, INIT_FAILED
 *   ringLength = capacity (a power of two) + RingBufferDescriptor.TRAILER_LENGTH
 * </pre>
 * Each ring has one writer and one reader, so a worker that dies leaves no half-claimed record for anyone else: its
 * slot is zeroed before its replacement starts. A message is at most capacity / 8 bytes (Agrona's limit).
 */
final class PoolLayout
{
    /** Parent -> worker: [long taskId][a SerializableCallable, Java serialization]. */
    static final int MSG_TASK = 1;
    /** Parent -> worker: finish and exit. */
    static final int MSG_STOP = 2;
    /**
     * Parent -> worker: one chunk of a map: [long taskId][int function length][function, Java serialization]
     * [int count][count values in PlainValues form]. The worker keeps the functions it has read (WorkerFunctions).
     */
    static final int MSG_CHUNK = 3;
    /**
     * Parent -> worker: {@code apply(function, argument)}: [long taskId][int function length][function]
     * [the argument, one value in PlainValues form]; answered with RESULT or FAILURE.
     */
    static final int MSG_CALL = 4;
    /** Worker -> parent: [long pid], initializer done. */
    static final int MSG_READY = 11;
    /** Worker -> parent: [result header][the result, one value in PlainValues form]. */
    static final int MSG_RESULT = 12;
    /** Worker -> parent: [result header][failure bytes]. */
    static final int MSG_FAILURE = 13;
    /** Worker -> parent: [failure bytes], the initializer threw. */
    static final int MSG_INIT_FAILED = 14;
    /**
     * Worker -> parent: [result header][int count][count values][int failure length, -1 for none][failure bytes]: the
     * results of the items before the first that failed, and its failure.
     */
    static final int MSG_CHUNK_RESULT = 15;

    static final int TASK_ID_LENGTH = Long.BYTES;
    /**
     * A RESULT, FAILURE or CHUNK_RESULT starts with [long taskId][long run nanos]: how long the worker spent on the
     * job, from which the dispatcher judges when the next results are due (its own view would include its lateness).
     */
    static final int RUN_NANOS_OFFSET = TASK_ID_LENGTH;
    static final int RESULT_HEADER_LENGTH = RUN_NANOS_OFFSET + Long.BYTES;

    private PoolLayout()
    {
    }

    static int ringLength(final int capacity)
    {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    static int slotLength(final int capacity)
    {
        return 2 * ringLength(capacity);
    }

    static String slotName(final int slot)
    {
        return "worker-" + slot;
    }

    static OneToOneRingBuffer tasks(final AtomicBuffer region, final int slotOffset, final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(region, slotOffset, ringLength(capacity)));
    }

    static OneToOneRingBuffer results(final AtomicBuffer region, final int slotOffset, final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(region, slotOffset + ringLength(capacity), ringLength(capacity)));
    }
}
