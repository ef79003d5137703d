package dev.ipckit.pool;

import dev.ipckit.platform.internal.FunctionBytes;
import dev.ipckit.platform.internal.PlainValues;
import dev.ipckit.memory.internal.WaiterTable;
import dev.ipckit.platform.internal.BellRinger;
import dev.ipckit.platform.internal.ClassCache;
import dev.ipckit.platform.internal.TimedWait;
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
 * What a pool's worker does: the initializer, then READY, then tasks until STOP or its task limit. A task's exception
 * goes back as a FAILURE and the worker carries on. A worker process runs it over the two rings of its slot in the
 * pool's region ({@link PoolWorker}); a worker that joined from another host over its link ({@link JoinedWorker}).
 */
final class WorkerLoop
{
    /** How a loop ended. */
    enum End
    {
        /** The pool sent STOP. */
        STOPPED,
        /** It ran its task limit. */
        TASK_LIMIT,
        /** The initializer threw (INIT_FAILED was sent). */
        INIT_FAILED
    }

    private final String name;
    private final int ringCapacity;
    private final FunctionBytes.Reader tasksAndFunctions;
    private final WorkerFunctions functions;
    private final PlainValues.Reader reader;
    private final UnsafeBuffer in = new UnsafeBuffer(0, 0);

    /**
     * @param name         the worker's name, for messages.
     * @param ringCapacity the rings' capacity (a result is at most an eighth of it).
     * @param classes      resolves the classes of the tasks.
     */
    WorkerLoop(final String name, final int ringCapacity, final ClassCache classes)
    {
        this.name = name;
        this.ringCapacity = ringCapacity;
        this.tasksAndFunctions = new FunctionBytes.Reader(classes);
        this.functions = new WorkerFunctions(tasksAndFunctions);
        this.reader = new PlainValues.Reader(classes);
    }

    /**
     * Runs the worker until STOP, its task limit, or a failed initializer.
     *
     * @param tasks       where tasks come from.
     * @param results     where results go back.
     * @param initializer run first, or null.
     * @param maxTasks    the task limit, 0 for none.
     * @return how it ended.
     */
    End run(final Tasks tasks, final Results results, final SerializableRunnable initializer, final int maxTasks)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
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
                results.send(PoolLayout.MSG_INIT_FAILED, out, failure.length);
                return End.INIT_FAILED;
            }
        }
        out.putLong(0, ProcessHandle.current().pid());
        results.send(PoolLayout.MSG_READY, out, Long.BYTES);

        final Inbox inbox = new Inbox();
        int done = 0;
        while (maxTasks <= 0 || done < maxTasks)
        {
            inbox.type = 0;
            if (!tasks.next(inbox))
            {
                continue;
            }
            if (inbox.type == PoolLayout.MSG_STOP)
            {
                return End.STOPPED;
            }
            final long startNanos = System.nanoTime();
            out.putLong(0, inbox.taskId);
            if (inbox.type == PoolLayout.MSG_CHUNK)
            {
                final int length = executeChunk(inbox.payload, out);
                out.putLong(PoolLayout.RUN_NANOS_OFFSET, System.nanoTime() - startNanos);
                results.send(PoolLayout.MSG_CHUNK_RESULT, out, length);
            }
            else
            {
                final int length = execute(inbox.type, inbox.payload, out);
                final int type = length >= 0 ? PoolLayout.MSG_RESULT : PoolLayout.MSG_FAILURE;
                out.putLong(PoolLayout.RUN_NANOS_OFFSET, System.nanoTime() - startNanos);
                results.send(type, out, PoolLayout.RESULT_HEADER_LENGTH + Math.abs(length));
            }
            done++;
        }
        return End.TASK_LIMIT;
    }

    /**
     * Runs one task or call; leaves its result (in {@link PlainValues} form) or its failure in {@code out} after the
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
                end = PlainValues.write(out, start, result);
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
                name + " (pid " + ProcessHandle.current().pid() + "): " + ex.getMessage(), ex);
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
            final PlainValues.Reader items = reader.wrap(in, itemsOffset);
            final int count = items.readInt();
            final int limit = ringCapacity / 8;
            for (int i = 0; i < count; i++)
            {
                final Object result = function.apply(items.read());
                final int next = PlainValues.write(out, position, result);
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

    /** Where a worker's tasks come from: its task ring, or the link of a worker on another host. */
    interface Tasks
    {
        /**
         * Hands the next message to {@code handler}, or waits a while for one.
         *
         * @param handler gets the message.
         * @return false when none came within the wait (the loop asks again).
         */
        boolean next(MessageHandler handler);
    }

    /**
     * The task ring of a worker's slot, waited on with the pool's wait strategy; once that would park, the worker
     * sleeps on a doorbell its pool rings when it writes a task ({@link #wakeWorker}), so an idle worker costs no CPU
     * (it looks again at least every {@code TimedWait}'s longest sleep, 100 ms, as any bell sleeper does).
     */
    static final class RingTasks implements Tasks, BellRinger
    {
        private final OneToOneRingBuffer ring;
        private final WaiterTable waiters;
        private final int key;
        private final TimedWait wait;

        /**
         * @param waiters the pool region's waiter table.
         * @param key     the slot's offset in the region: what the pool wakes after a task ({@link #wakeWorker}).
         */
        RingTasks(final OneToOneRingBuffer ring, final WaitStrategy waitStrategy, final WaiterTable waiters,
            final int key)
        {
            this.ring = ring;
            this.waiters = waiters;
            this.key = key;
            this.wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin());
        }

        @Override
        public boolean next(final MessageHandler handler)
        {
            if (ring.read(handler, 1) != 0)
            {
                return true;
            }
            // Interrupts are kept for the task (a worker's thread is not interrupted by the pool).
            wait.begin(TimedWait.FOREVER, TimedWait.NO_CHECK, TimedWait.Interrupts.DEFER, "the next task", this);
            try
            {
                while (ring.read(handler, 1) == 0)
                {
                    wait.missUninterruptibly();
                }
                return true;
            }
            finally
            {
                wait.end();
            }
        }

        @Override
        public long ringWhenReady(final int bell)
        {
            return waiters.add(key, bell) ? ONLY_WHEN_RUNG : LOOK_AGAIN_SOON;
        }

        @Override
        public void stopRinging(final int bell)
        {
            waiters.remove(key, bell);
        }
    }

    /**
     * By the pool after it wrote a task into a worker's ring (a release of the record's length): rings the worker's
     * bell if it sleeps ({@link RingTasks}); one fence and one load when it does not.
     *
     * @param waiters the pool region's waiter table.
     * @param key     the worker's slot offset.
     */
    static void wakeWorker(final WaiterTable waiters, final int key)
    {
        waiters.wake(key);
    }

    /** Where a worker's messages to its pool go: its results ring, or the link of a worker on another host. */
    interface Results
    {
        /**
         * Sends one message, waiting for room as long as it takes (the pool reads its rings all the time).
         *
         * @param type   its {@link PoolLayout} type.
         * @param buffer holds it from index 0.
         * @param length its length.
         */
        void send(int type, DirectBuffer buffer, int length);
    }

    /** The results ring of a worker's slot. */
    static final class RingResults implements Results
    {
        private final OneToOneRingBuffer ring;
        private final IdleStrategy idle;

        RingResults(final OneToOneRingBuffer ring, final WaitStrategy waitStrategy)
        {
            this.ring = ring;
            this.idle = waitStrategy.newIdleStrategy();
        }

        @Override
        public void send(final int type, final DirectBuffer buffer, final int length)
        {
            idle.reset();
            while (!ring.write(type, buffer, 0, length))
            {
                idle.idle();
            }
            idle.reset();
        }
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
