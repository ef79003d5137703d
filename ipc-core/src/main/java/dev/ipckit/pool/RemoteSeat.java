package dev.ipckit.pool;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's side of a worker that joined over a {@link WorkerLink}: it sits in one of the pool's remote seats (a
 * {@link WorkerSlot} whose rings no process reads) and carries the slot's ring messages over the link, so the
 * dispatcher treats it as any worker. What the dispatcher writes into the slot's task ring goes onto the link from the
 * dispatching thread itself when the seat's forwarding thread is not at it and the message is small
 * ({@link #tasksWritten}); else the forwarding thread, unparked, sends it. A receiving thread writes what arrives into
 * the slot's result ring and then reads the results itself when the dispatcher is free ({@code afterResult}), and
 * answers the worker's questions about classes. So a short task's round trip wakes no thread of the pool's but the
 * receiving one.
 * <p>
 * The seat ends when the link ends (the worker closed it, died, or was unreachable past the transport's liveness
 * timeout) or the pool ends it ({@link #end}). {@link #isAlive} turns false only once both threads have stopped
 * touching the rings, so the dispatcher may then read what is left, zero the slot and give it to the next worker.
 */
final class RemoteSeat
{
    private static final long RECEIVE_SLICE_MILLIS = 50;
    /** How long the forwarding thread parks when the task ring is empty (the dispatcher unparks it sooner). */
    private static final long FORWARD_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long ROOM_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int MAX_CLASS_NAME = 1024;
    /** Messages up to this long go out from the dispatching thread; longer ones from the forwarding thread. */
    static final int INLINE_SEND_LIMIT = 64 * 1024;

    private final WorkerSlot slot;
    private final WorkerLink link;
    private final String host;
    private final long pid;
    private final String name;
    private final Runnable wakeDispatcher;
    private final Runnable afterResult;
    /** Held by whoever reads the task ring: the forwarding thread, or a dispatching thread sending inline. */
    private final ReentrantLock forwarding = new ReentrantLock();
    private final ClassLoader classes;
    private final ConcurrentHashMap<String, byte[]> classAnswers;
    private final Thread forwarder;
    private final Thread receiver;
    private final AtomicInteger running = new AtomicInteger(2);
    private volatile boolean ending;
    private volatile boolean alive = true;
    private volatile String endReason;

    RemoteSeat(final WorkerSlot slot, final WorkerLink link, final String host, final long pid, final String name,
        final Runnable wakeDispatcher, final Runnable afterResult, final ClassLoader classes,
        final ConcurrentHashMap<String, byte[]> classAnswers)
    {
        this.afterResult = afterResult;
        this.slot = slot;
        this.link = link;
        this.host = host;
        this.pid = pid;
        this.name = name;
        this.wakeDispatcher = wakeDispatcher;
        this.classes = classes;
        this.classAnswers = classAnswers;
        this.forwarder = new Thread(this::forwardTasks, "ipckit-" + name + "-out");
        this.receiver = new Thread(this::receive, "ipckit-" + name + "-in");
        forwarder.setDaemon(true);
        receiver.setDaemon(true);
    }

    void start()
    {
        forwarder.start();
        receiver.start();
    }

    String host()
    {
        return host;
    }

    long pid()
    {
        return pid;
    }

    String name()
    {
        return name;
    }

    String peer()
    {
        return link.peer();
    }

    /** @return false once the link ended and both threads stopped touching the slot's rings. */
    boolean isAlive()
    {
        return alive;
    }

    /** @return why the seat ended, or null while it has not. */
    String endReason()
    {
        return endReason;
    }

    /**
     * The dispatcher wrote into the slot's task ring: sends what is there from this thread when the forwarding thread
     * is not at it and the messages are small, and leaves the rest to the forwarding thread.
     */
    void tasksWritten()
    {
        if (!ending && forwarding.tryLock())
        {
            try
            {
                slot.tasks.controlledRead(smallToLink);
            }
            catch (final RuntimeException ex)
            {
                end("its link failed: " + (ex.getCause() != null ? ex.getCause() : ex));
            }
            finally
            {
                forwarding.unlock();
            }
            if (slot.tasks.size() == 0)
            {
                return;
            }
        }
        LockSupport.unpark(forwarder);
    }

    /**
     * Ends the seat: closes the link (the worker stops) and stops the threads. The first reason given is kept.
     *
     * @param reason why, for the failures of the tasks it held.
     */
    synchronized void end(final String reason)
    {
        // Synchronized: the dispatcher and both threads may end it at once; the first reason stays.
        if (endReason == null)
        {
            endReason = reason;
        }
        ending = true;
        link.close();
        LockSupport.unpark(forwarder);
    }

    /**
     * Waits until the seat has ended.
     *
     * @return whether it did within the time.
     */
    boolean awaitEnd(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (final Thread thread : new Thread[] {forwarder, receiver})
        {
            final long left = deadline - System.nanoTime();
            if (left > 0)
            {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
        }
        return !alive;
    }

    private void threadEnded()
    {
        if (running.decrementAndGet() == 0)
        {
            alive = false;
            wakeDispatcher.run();
        }
    }

    /** The forwarding thread: the task ring's messages onto the link, one RING frame each. */
    private void forwardTasks()
    {
        final MessageHandler toLink = this::forward;
        try
        {
            while (!ending)
            {
                final int sent;
                forwarding.lock();
                try
                {
                    sent = slot.tasks.read(toLink);
                }
                finally
                {
                    forwarding.unlock();
                }
                if (sent == 0)
                {
                    // The dispatcher unparks this thread when it leaves something; the timeout bounds a missed one.
                    LockSupport.parkNanos(FORWARD_PARK_NANOS);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            end(ex.getCause() instanceof IOException ? "its link failed: " + ex.getCause() : "the pool's side " +
                "failed: " + ex);
        }
        finally
        {
            threadEnded();
        }
    }

    /** Sends small messages; stops at a large one, left in the ring for the forwarding thread. */
    private final ControlledMessageHandler smallToLink = (type, buffer, index, length) ->
    {
        if (length > INLINE_SEND_LIMIT)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        forward(type, buffer, index, length);
        return ControlledMessageHandler.Action.CONTINUE;
    };

    private void forward(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final byte[] frame = new byte[SeatProtocol.RING_MESSAGE_OFFSET + length];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putByte(SeatProtocol.KIND_OFFSET, SeatProtocol.RING);
        view.putInt(SeatProtocol.RING_TYPE_OFFSET, type);
        buffer.getBytes(index, frame, SeatProtocol.RING_MESSAGE_OFFSET, length);
        try
        {
            link.send(frame);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
    }

    /** The receiving thread: RING frames into the result ring, class questions answered, until the link ends. */
    private void receive()
    {
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        try
        {
            while (!ending)
            {
                final byte[] frame = link.receive(RECEIVE_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                if (frame == null)
                {
                    continue;
                }
                SeatProtocol.requireLength(frame, 1, "", link.peer());
                if (frame[SeatProtocol.KIND_OFFSET] == SeatProtocol.RING)
                {
                    SeatProtocol.requireLength(frame, SeatProtocol.RING_MESSAGE_OFFSET, "RING", link.peer());
                    view.wrap(frame);
                    final int type = view.getInt(SeatProtocol.RING_TYPE_OFFSET);
                    while (!slot.results.write(type, view, SeatProtocol.RING_MESSAGE_OFFSET,
                        frame.length - SeatProtocol.RING_MESSAGE_OFFSET))
                    {
                        // The dispatcher reads the result rings all the time: room comes soon.
                        if (ending)
                        {
                            return;
                        }
                        LockSupport.parkNanos(ROOM_WAIT_NANOS);
                    }
                    afterResult.run();
                }
                else if (frame[SeatProtocol.KIND_OFFSET] == SeatProtocol.CLASS_QUERY)
                {
                    final String className = SeatProtocol.textOf(frame, 1);
                    byte[] answer = classAnswers.get(className);
                    if (answer == null)
                    {
                        answer = answer(className);
                        if (answer[SeatProtocol.ANSWER_VERDICT_OFFSET] != SeatProtocol.ABSENT)
                        {
                            // Only classes the pool has are kept: a peer's made-up names do not grow the map.
                            classAnswers.put(className, answer);
                        }
                    }
                    link.send(answer);
                }
                else
                {
                    throw new IOException("a frame of kind " + frame[SeatProtocol.KIND_OFFSET] + " from a working " +
                        "worker");
                }
            }
        }
        catch (final EOFException ex)
        {
            end("its connection ended (it closed it, died, or was unreachable past the liveness timeout)");
        }
        catch (final IOException | RuntimeException ex)
        {
            end("its link failed: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            end("the pool's thread was interrupted");
        }
        finally
        {
            threadEnded();
        }
    }

    /** The pool's class file digest of a class a worker asks about. */
    private byte[] answer(final String className)
    {
        if (!binaryName(className))
        {
            return SeatProtocol.classAnswer(className, SeatProtocol.ABSENT, null);
        }
        final Class<?> type;
        try
        {
            type = Class.forName(className, false, classes);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            return SeatProtocol.classAnswer(className, SeatProtocol.ABSENT, null);
        }
        final byte[] digest = ClassDigests.compared(type) ? ClassDigests.of(type.getClassLoader(), className) : null;
        return digest == null ? SeatProtocol.classAnswer(className, SeatProtocol.UNCHECKED, null) :
            SeatProtocol.classAnswer(className, SeatProtocol.FOUND, digest);
    }

    /** A binary class name and nothing else (no resource path of the pool's class path is looked up for a peer). */
    static boolean binaryName(final String name)
    {
        if (name.isEmpty() || name.length() > MAX_CLASS_NAME || name.startsWith(".") || name.endsWith(".") ||
            name.contains(".."))
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c != '.' && (!Character.isJavaIdentifierPart(c) || Character.isIdentifierIgnorable(c)))
            {
                return false;
            }
        }
        return true;
    }
}
