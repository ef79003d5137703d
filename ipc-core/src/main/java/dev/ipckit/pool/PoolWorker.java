package dev.ipckit.pool;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ClassCache;
import dev.ipckit.platform.DeserializationRejectedException;
import dev.ipckit.process.RemoteFailures;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.sync.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The loop a pool's worker process runs: the initializer, then READY, then tasks from its ring until STOP, its task
 * limit, or its parent's death (the child's watchdog halts it). A task's exception goes back as a FAILURE and the
 * worker carries on; an {@link Error} (out of memory, say) ends the worker, and the pool replaces it.
 */
final class PoolWorker implements SerializableRunnable
{
    private static final long serialVersionUID = 1L;

    private final SharedRegion region;
    private final int slot;
    private final int ringCapacity;
    private final SerializableRunnable initializer;
    private final int maxTasks;
    private final WaitStrategy waitStrategy;
    private transient FunctionBytes.Reader tasksAndFunctions;
    private transient WorkerFunctions functions;
    private transient PoolValues.Reader reader;
    private transient UnsafeBuffer in;

    PoolWorker(
        final SharedRegion region, final int slot, final int ringCapacity, final SerializableRunnable initializer,
        final int maxTasks, final WaitStrategy waitStrategy)
    {
        this.region = region;
        this.slot = slot;
        this.ringCapacity = ringCapacity;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.waitStrategy = waitStrategy;
    }

    @Override
    public void run()
    {
        final RegionEntry entry = region.find(PoolLayout.slotName(slot), ObjectType.BYTES);
        // The two rings must lie inside the slot the directory gives (a damaged entry is CORRUPT, not a ring over
        // the neighbouring slot).
        RegionChecks.inSlot(region, entry, "pool slot '" + entry.name() + "' LENGTH", 0, PoolLayout.slotLength(ringCapacity));
        final OneToOneRingBuffer tasks = PoolLayout.tasks(region.buffer(), entry.offset(), ringCapacity);
        final OneToOneRingBuffer results = PoolLayout.results(region.buffer(), entry.offset(), ringCapacity);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        final IdleStrategy idle = waitStrategy.newIdleStrategy();
        if (initializer != null)
        {
            try
            {
                initializer.run();
            }
            catch (final RuntimeException ex)
            {
                final byte[] failure = RemoteFailures.encode(ex);
                out.putBytes(0, failure);
                send(results, PoolLayout.MSG_INIT_FAILED, out, failure.length, idle);
                return;
            }
        }
        out.putLong(0, ProcessHandle.current().pid());
        send(results, PoolLayout.MSG_READY, out, Long.BYTES, idle);

        final Inbox inbox = new Inbox();
        final ClassCache classes = new ClassCache(PoolWorker.class.getClassLoader());
        tasksAndFunctions = new FunctionBytes.Reader(classes);
        functions = new WorkerFunctions(tasksAndFunctions);
        reader = new PoolValues.Reader(classes);
        in = new UnsafeBuffer(0, 0);
        int done = 0;
        while (maxTasks <= 0 || done < maxTasks)
        {
            inbox.type = 0;
            if (tasks.read(inbox, 1) == 0)
            {
                idle.idle();
                continue;
            }
            idle.reset();
            if (inbox.type == PoolLayout.MSG_STOP)
            {
                return;
            }
            final long startNanos = System.nanoTime();
            out.putLong(0, inbox.taskId);
            if (inbox.type == PoolLayout.MSG_CHUNK)
            {
                final int length = executeChunk(inbox.payload, out);
                out.putLong(PoolLayout.RUN_NANOS_OFFSET, System.nanoTime() - startNanos);
                send(results, PoolLayout.MSG_CHUNK_RESULT, out, length, idle);
            }
            else
            {
                final int length = execute(inbox.type, inbox.payload, out);
                final int type = length >= 0 ? PoolLayout.MSG_RESULT : PoolLayout.MSG_FAILURE;
                out.putLong(PoolLayout.RUN_NANOS_OFFSET, System.nanoTime() - startNanos);
                send(results, type, out, PoolLayout.RESULT_HEADER_LENGTH + Math.abs(length), idle);
            }
            done++;
        }
    }

    /**
     * Runs one task or call; leaves its result (in {@link PoolValues} form) or its failure in {@code out} after the
     * result header.
     *
     * @return the result's length, or minus the failure's length.
     */
    @SuppressWarnings("unchecked")
    private int execute(final int type, final byte[] payload, final ExpandableArrayBuffer out)
    {
        final int start = PoolLayout.RESULT_HEADER_LENGTH;
        byte[] failure;
        try
        {
            final Object result;
            if (type == PoolLayout.MSG_CALL)
            {
                in.wrap(payload);
                final int functionLength = in.getInt(0);
                final TaskFunction<Object, Object> function =
                    (TaskFunction<Object, Object>)functions.get(payload, Integer.BYTES, functionLength);
                result = function.apply(reader.wrap(in, Integer.BYTES + functionLength).read());
            }
            else
            {
                // A task is read afresh every time: it is one job's object, state and all.
                result = readTask(payload).call();
            }
            final int end;
            try
            {
                end = PoolValues.write(out, start, result);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("the task's result cannot be sent back to the pool: " +
                    ex.getMessage(), ex);
            }
            final int limit = ringCapacity / 8;
            if (end > limit)
            {
                throw new IllegalArgumentException("the task's result is " + (end - start) + " bytes; the pool " +
                    "carries at most " + (limit - start) + " (PoolOptions.withRingCapacity)");
            }
            return end - start;
        }
        catch (final Exception ex)
        {
            failure = RemoteFailures.encode(ex);
        }
        out.putBytes(start, failure);
        return -failure.length;
    }

    private SerializableCallable<?> readTask(final byte[] payload) throws Exception
    {
        try
        {
            return (SerializableCallable<?>)tasksAndFunctions.read(payload, 0, payload.length);
        }
        catch (final DeserializationRejectedException ex)
        {
            throw new IllegalStateException("the task was rejected by the deserialization filter in worker " +
                PoolLayout.slotName(slot) + " (pid " + ProcessHandle.current().pid() + "): " + ex.getMessage(), ex);
        }
    }

    /**
     * Runs one chunk of a map: the function on each item until one throws; leaves the CHUNK_RESULT message in
     * {@code out} after the result header.
     *
     * @return the message's length.
     */
    @SuppressWarnings("unchecked")
    private int executeChunk(final byte[] payload, final ExpandableArrayBuffer out)
    {
        in.wrap(payload);
        final int functionLength = in.getInt(0);
        final int itemsOffset = Integer.BYTES + functionLength;
        final int countOffset = PoolLayout.RESULT_HEADER_LENGTH;
        int position = countOffset + Integer.BYTES;
        int produced = 0;
        byte[] failure = null;
        try
        {
            final TaskFunction<Object, Object> function =
                (TaskFunction<Object, Object>)functions.get(payload, Integer.BYTES, functionLength);
            final PoolValues.Reader items = reader.wrap(in, itemsOffset);
            final int count = items.readInt();
            final int limit = ringCapacity / 8;
            for (int i = 0; i < count; i++)
            {
                final Object result = function.apply(items.read());
                final int next = PoolValues.write(out, position, result);
                if (next + Integer.BYTES > limit)
                {
                    throw new IllegalArgumentException("the chunk's results exceed the " + limit + " bytes a pool " +
                        "message can hold; use a smaller chunkSize or PoolOptions.withRingCapacity");
                }
                position = next;
                produced++;
            }
        }
        catch (final Exception ex)
        {
            failure = RemoteFailures.encode(ex);
        }
        out.putInt(countOffset, produced);
        if (failure == null)
        {
            out.putInt(position, -1);
            return position + Integer.BYTES;
        }
        out.putInt(position, failure.length);
        out.putBytes(position + Integer.BYTES, failure);
        return position + Integer.BYTES + failure.length;
    }

    private static void send(
        final OneToOneRingBuffer ring, final int type, final DirectBuffer buffer, final int length, final IdleStrategy idle)
    {
        idle.reset();
        while (!ring.write(type, buffer, 0, length))
        {
            idle.idle();
        }
        idle.reset();
    }

    /** Copies one message out of the task ring. */
    private static final class Inbox implements MessageHandler
    {
        int type;
        long taskId;
        byte[] payload;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            type = msgTypeId;
            if (msgTypeId == PoolLayout.MSG_TASK || msgTypeId == PoolLayout.MSG_CALL || msgTypeId == PoolLayout.MSG_CHUNK)
            {
                taskId = buffer.getLong(index);
                payload = new byte[length - PoolLayout.TASK_ID_LENGTH];
                buffer.getBytes(index + PoolLayout.TASK_ID_LENGTH, payload);
            }
        }
    }
}
