package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.Attachable;
import dev.ipckit.platform.internal.ExitDuties;
import dev.ipckit.platform.internal.TimedWait;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.wait.internal.RingingWaitable;
import dev.ipckit.wait.Waiting;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.ObjectStreamException;
import java.nio.file.Path;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A FIFO queue between processes, Python's {@code multiprocessing.Queue}: many producers and many consumers in
 * different JVMs, each message taken by exactly one consumer, each producer's messages in the order it put them.
 * Messages are encoded by a {@link Codec} and carried by a Chronicle Queue journal in the queue's directory, or, with
 * {@link QueueOptions#withTransport} {@link Transport#RING}, by an Agrona ring in the queue's control region
 * ({@link #transport()}): transient, bounded in bytes, several times faster. What follows is said of the journal and
 * holds for the ring with ring positions for journal indices; {@code docs/transports.md} says what differs.
 * <p>
 * <b>Competing consumers.</b> Chronicle Queue is a broadcast journal: every tailer sees every message. A claim cursor
 * in the queue's control region (the journal index of the last claimed message, advanced under a cross-process
 * {@link SharedLock}) makes each message go to one consumer; every consumer reads the journal in order and skips
 * what is already claimed. A producer's appends are ordered in the journal and claims follow the journal, so a
 * producer's messages reach each consumer in order.
 * <p>
 * <b>Delivery: at least once.</b> A message taken by a thread stays recorded against that thread's consumer row until
 * the thread takes its next message (or calls {@link #poll}/{@link #take} again), calls
 * {@link JoinableQueue#taskDone()}, or closes the queue; a JVM that exits normally (or on SIGTERM) acknowledges what
 * its threads hold. If the consumer's process dies before that (SIGKILL, a crash), the message is delivered again to another consumer (out of order with respect to its producer's later messages), and
 * {@link #redeliveredCount()} counts it. So a message is lost only if its consumer's process dies after the next
 * take; a message is delivered twice only if the process dies after processing it and before that take.
 * <p>
 * <b>Process death.</b> A producer killed mid-write does not wedge the queue: the next producer takes the put lock
 * over from the dead process (within 100 ms), Chronicle's write lock is broken after its short timeout (150 ms,
 * see {@code Journal}), the half-written excerpt is overwritten, and the counters are repaired from a redo record.
 * A consumer killed while claiming is repaired the same way by the next consumer.
 * <p>
 * <b>Bounded queues.</b> With a capacity, {@link #put} waits and {@link #offer} fails while that many messages are
 * put and not yet taken. The count is exact across processes: producers check it under the put lock.
 * <p>
 * <b>What {@code BlockingQueue} cannot promise here.</b> {@link #iterator()}, and with it {@code contains},
 * {@code remove(Object)} and {@code toArray}, throw {@link UnsupportedOperationException}: other processes take
 * messages at any time, so there is nothing stable to iterate. {@link #size()} and {@link #peek()} are snapshots.
 * {@code null} is rejected, as by every {@code BlockingQueue}.
 * <p>
 * <b>Threads.</b> All methods may be called from any thread. Chronicle's appenders and tailers are single-thread
 * objects, so each thread that puts gets its own appender and each thread that takes its own tailer and consumer
 * row (created on first use, about 100 µs, kept until {@link #close()}); the per-call cost is one
 * {@link ThreadLocal} lookup. Threads of one process contend for the same cross-process locks as other processes.
 * <p>
 * <b>Lifetime.</b> A temporary queue (the default) is removed when the process that created it closes it, or by
 * {@link QueueFiles#removeStale} after its creator died; other processes must stop using it then. A persistent queue
 * survives every process; a new process {@linkplain #open opens} it and reads what was left. Roll files that every
 * consumer has passed are deleted as the queue runs, so steady traffic keeps its footprint to about two roll cycles.
 * <p>
 * <b>Message size.</b> A message, encoded, may be up to {@link #maxMessageBytes()}: {@link #MAX_MESSAGE_BYTES}
 * (512 MiB - 1) on the journal, an eighth of the ring's capacity on a ring; it is one journal document or ring
 * record, so it is written and claimed whole. A larger one is refused with an {@link IllegalArgumentException}
 * before anything is written. A thread that put or took a message over {@value #SCRATCH_TRIM_BYTES} bytes lets go of
 * the buffer it encoded or copied it in, so one big message does not keep its size on the heap.
 * <p>
 * <b>Shutdown.</b> {@link #shutdown(boolean)} (Python 3.13's {@code Queue.shutdown}) ends a queue for every process:
 * puts fail with a {@link QueueShutDownException} from then on; consumers take what is left and then get that
 * exception, blocked ones included, or get it at once after an immediate shutdown, which drops what is left.
 * A persistent queue stays shut down.
 * <p>
 * <b>Other processes.</b> A queue serializes as a small handle (directory, codec, wait strategy) and re-attaches in
 * the receiving JVM, so a task that captures it works in a child process.
 *
 * @param <E> the message type.
 */
public class SharedQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable, Attachable, RingingWaitable
{
    // Why this class is long (about 1,000 lines): it is the whole BlockingQueue contract and Python's Queue API (38
    // public members, each with its javadoc) and the put/poll protocol they share. What it stands on lives apart:
    // QueueControl (the shared counters and consumer rows), QueueThreadState (each thread's Chronicle appender and
    // tailers), QueueParts (creating and opening), Journal and JournalDamage.

    private static final long serialVersionUID = 1L;

    /** The largest message, encoded, a queue carries (512 MiB - 1 bytes); see the class comment. */
    public static final int MAX_MESSAGE_BYTES = Journal.MAX_MESSAGE_BYTES;
    /** A thread's encode/copy buffer grown past this many bytes is dropped after use instead of kept. */
    static final int SCRATCH_TRIM_BYTES = 1 << 20;
    static final int SCRATCH_CAPACITY = 256;

    static final String CONTROL_NAME = "queue";
    static final String PUT_LOCK_NAME = "put-lock";
    static final String CLAIM_LOCK_NAME = "claim-lock";
    static final String JOURNAL_DIRECTORY = "journal";

    /** While waiting for a message, how often to look for messages held by dead consumers and for dead producers. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A tailer further behind the claim cursor than this many messages jumps instead of reading its way up. */
    static final long CATCH_UP_JUMP = 1024;
    /** While messages keep coming, a consumer reads the clock (for its periodic checks) once per this many calls. */
    static final int CALLS_PER_CLOCK_READ = 256;
    /** Views open in this process: a JVM that exits normally acknowledges what their threads hold. */
    private static final Set<SharedQueue<?>> OPEN_VIEWS = ConcurrentHashMap.newKeySet();
    /** Whether the exit duty that acknowledges for OPEN_VIEWS is registered: by the first view, not by class loading. */
    private static final AtomicBoolean EXIT_DUTY_REGISTERED = new AtomicBoolean();

    final transient Path directory;
    final transient Codec<E> codec;
    final transient QueueOptions options;
    final transient SharedRegion region;
    final transient QueueControl control;
    private final transient SharedLock putLock;
    private final transient SharedLock claimLock;
    /** The journal with {@link Transport#JOURNAL}; null with a ring ({@link QueueControl#ring()}). */
    final transient SingleChronicleQueue journal;
    private final transient boolean creator;
    private final transient ThreadLocal<QueueThreadState<E>> threadState;
    private final transient List<QueueThreadState<E>> threadStates = new ArrayList<>();
    private transient volatile boolean closed;

    SharedQueue(final QueueParts parts, final Codec<E> codec, final QueueOptions options)
    {
        this.directory = parts.directory();
        this.codec = Objects.requireNonNull(codec, "codec");
        this.options = options;
        this.region = parts.region();
        this.control = parts.control();
        this.putLock = parts.putLock().withWaitStrategy(options.waitStrategy());
        this.claimLock = parts.claimLock().withWaitStrategy(options.waitStrategy());
        this.journal = parts.journal();
        this.creator = parts.creator();
        this.threadState = ThreadLocal.withInitial(this::newThreadState);
        OPEN_VIEWS.add(this);
        if (!EXIT_DUTY_REGISTERED.get() && EXIT_DUTY_REGISTERED.compareAndSet(false, true))
        {
            ExitDuties.register(ExitDuties.Stage.RELEASE_QUEUE_ROWS, SharedQueue::acknowledgeOnExit);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Creating and opening

    /**
     * Creates a temporary, unbounded queue of mixed messages ({@link Codecs#standard()}: primitives, strings,
     * byte arrays, buffers, {@code BytesMarshallable}) with a generated name in the default directory: Python's
     * {@code Queue()}.
     *
     * @return the new queue, owned by this process.
     */
    public static SharedQueue<Object> create()
    {
        return create(QueueFiles.temporaryName("queue"), Codecs.standard(), QueueOptions.defaults());
    }

    /**
     * Creates a queue of mixed messages ({@link Codecs#standard()}); fails if one of that name exists.
     *
     * @param name    the queue's name.
     * @param options capacity, persistence, directory, roll cycle, consumer rows, wait strategy.
     * @return the new queue, owned by this process.
     */
    public static SharedQueue<Object> create(final String name, final QueueOptions options)
    {
        return create(name, Codecs.standard(), options);
    }

    /**
     * Creates a temporary, unbounded queue with a generated name in the default directory.
     *
     * @param codec encodes the messages.
     * @param <E>   the message type.
     * @return the new queue, owned by this process.
     */
    public static <E> SharedQueue<E> create(final Codec<E> codec)
    {
        return create(QueueFiles.temporaryName("queue"), codec, QueueOptions.defaults());
    }

    /**
     * Creates a queue; fails if one of that name exists in the options' directory.
     *
     * @param name    the queue's name (no path separators, no {@code ..}).
     * @param codec   encodes the messages.
     * @param options capacity, persistence, directory, roll cycle, consumer rows, wait strategy.
     * @param <E>     the message type.
     * @return the new queue, owned by this process.
     * @throws IllegalStateException when the queue exists.
     */
    public static <E> SharedQueue<E> create(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new SharedQueue<>(QueueParts.create(name, options, false), codec, options);
    }

    /**
     * Opens an existing queue in the options' directory.
     *
     * @param name    the queue's name.
     * @param codec   decodes the messages (must match the creator's).
     * @param options directory, wait strategy and open timeout; the creator's capacity and persistence apply.
     * @param <E>     the message type.
     * @return the queue.
     * @throws IllegalStateException when there is no such queue, when its creator did not finish it within the open
     *                               timeout, or when its creator died before finishing it (the message names it).
     */
    public static <E> SharedQueue<E> open(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new SharedQueue<>(QueueParts.open(QueueFiles.directoryFor(
            options.directory(), name, QueueFiles.QUEUE_SUFFIX), options), codec, options);
    }

    /**
     * Opens the queue, or creates it when it does not exist. A queue whose creator died before finishing it (its
     * directory holds its control region but no control block) is adopted and finished here, with these options:
     * this process becomes its creator, as if it had created it (a temporary one is removed by its close); it keeps
     * the dead creator's persistence.
     *
     * @param name    the queue's name.
     * @param codec   encodes the messages.
     * @param options as for {@link #create(String, Codec, QueueOptions)}.
     * @param <E>     the message type.
     * @return the queue.
     */
    public static <E> SharedQueue<E> openOrCreate(final String name, final Codec<E> codec, final QueueOptions options)
    {
        return new SharedQueue<>(QueueParts.openOrCreate(name, options, false), codec, options);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Putting

    /**
     * Appends a message, waiting while a bounded queue is full.
     *
     * @param message the message.
     * @throws InterruptedException     when interrupted while waiting.
     * @throws IllegalArgumentException when the codec cannot encode it, or its encoding is larger than
     *                                  {@link #maxMessageBytes()} (nothing is appended).
     * @throws QueueShutDownException   when the queue is shut down, or is shut down while this waits.
     */
    @Override
    public void put(final E message) throws InterruptedException
    {
        offer(message, Long.MAX_VALUE, true);
    }

    /**
     * Appends a message if there is room now.
     *
     * @param message the message.
     * @return false when a bounded queue is full.
     * @throws IllegalArgumentException when the codec cannot encode it, or its encoding is larger than
     *                                  {@link #maxMessageBytes()} (nothing is appended).
     * @throws QueueShutDownException   when the queue is shut down.
     */
    @Override
    public boolean offer(final E message)
    {
        try
        {
            return offer(message, 0, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible offer was interrupted", ex);
        }
    }

    /**
     * Appends a message, waiting up to the timeout while a bounded queue is full.
     *
     * @param message the message.
     * @param timeout how long to wait.
     * @param unit    the timeout's unit.
     * @return false when the timeout passed with the queue full.
     * @throws InterruptedException     when interrupted while waiting.
     * @throws IllegalArgumentException when the codec cannot encode it, or its encoding is larger than
     *                                  {@link #maxMessageBytes()} (nothing is appended).
     * @throws QueueShutDownException   when the queue is shut down, or is shut down while this waits.
     */
    @Override
    public boolean offer(final E message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return offer(message, unit.toNanos(timeout), true);
    }

    private boolean offer(final E message, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        Objects.requireNonNull(message, "a queue message cannot be null");
        final QueueThreadState<E> state = openThreadState();
        final Bytes<?> payload = state.encode(message);
        try
        {
            return appendWaiting(state, payload, timeoutNanos, interruptible);
        }
        finally
        {
            state.trimScratch();
        }
    }

    private boolean appendWaiting(
        final QueueThreadState<E> state, final Bytes<?> payload, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        final TimedWait wait = state.timedWait.begin(timeoutNanos, TimedWait.NO_CHECK,
            interruptible ? TimedWait.Interrupts.THROW : TimedWait.Interrupts.DEFER, this);
        try
        {
            while (true)
            {
                if (control.shutdownState() != QueueControl.OPEN)
                {
                    throw new QueueShutDownException("queue '" + name() + "' is shut down: it takes no more messages");
                }
                if (!control.isFull())
                {
                    if (!lock(putLock, wait.remaining(), interruptible))
                    {
                        return false;
                    }
                    try
                    {
                        if (putLock.previousOwnerDied())
                        {
                            state.repairPut();
                        }
                        if (!control.isFull() && append(state, payload))
                        {
                            return true;
                        }
                    }
                    finally
                    {
                        putLock.unlock();
                    }
                }
                if (wait.miss() == TimedWait.TIMED_OUT)
                {
                    return false;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /**
     * Appends under the put lock and counts the message.
     *
     * @return false when there was no room (a full ring; for a journal, Chronicle's write lock held by a process it
     * still counts as alive): nothing was appended, the caller waits and tries again.
     */
    private boolean append(final QueueThreadState<E> state, final Bytes<?> payload)
    {
        final long position = state.append(payload);
        if (position == QueueThreadState.NO_ROOM)
        {
            return false;
        }
        control.recordPut(position);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Taking

    /**
     * Takes the next message, waiting until there is one. Acknowledges the message this thread took before.
     *
     * @return the message.
     * @throws InterruptedException   when interrupted while waiting.
     * @throws QueueDamagedException  when the journal cannot be read where messages are pending (see
     *                                {@link #skipDamaged()}).
     * @throws QueueShutDownException when the queue is shut down and nothing is left to take.
     */
    @Override
    public E take() throws InterruptedException
    {
        return poll(Long.MAX_VALUE, true);
    }

    /**
     * Takes the next message if there is one now. Acknowledges the message this thread took before.
     *
     * @return the message, or null when the queue is empty.
     * @throws QueueDamagedException  when the journal cannot be read where messages are pending (see
     *                                {@link #skipDamaged()}): a damaged queue is never reported empty.
     * @throws QueueShutDownException when the queue is shut down and nothing is left to take (Python's
     *                                {@code get_nowait()} raises {@code ShutDown} there too, not {@code Empty}).
     */
    @Override
    public E poll()
    {
        try
        {
            return poll(0, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible poll was interrupted", ex);
        }
    }

    /**
     * Takes the next message, waiting up to the timeout. Acknowledges the message this thread took before.
     *
     * @param timeout how long to wait.
     * @param unit    the timeout's unit.
     * @return the message, or null when the timeout passed.
     * @throws InterruptedException   when interrupted while waiting.
     * @throws QueueShutDownException when the queue is shut down and nothing is left to take.
     */
    @Override
    public E poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return poll(unit.toNanos(timeout), true);
    }

    private E poll(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        final QueueThreadState<E> state = openThreadState();
        state.acknowledge();
        // The queue rings (a put, a shutdown, damage found): once spun and yielded, the wait sleeps until then.
        final TimedWait wait = state.timedWait.begin(timeoutNanos, TimedWait.NO_CHECK,
            interruptible ? TimedWait.Interrupts.THROW : TimedWait.Interrupts.DEFER, this, this);
        try
        {
            while (true)
            {
                // Read before the claim below: shut down then, and nothing to claim after it, means nothing is left.
                final int shutdown = control.shutdownState();
                if (shutdown == QueueControl.SHUT_DOWN_IMMEDIATELY)
                {
                    throw new QueueShutDownException(
                        "queue '" + name() + "' was shut down immediately: what was left in it was dropped");
                }
                final boolean checkDue = state.checkDue(wait.waited());
                if (checkDue)
                {
                    repairDeadProducer(state, wait.remaining());
                }
                // The transport tells whether it holds anything past what this thread saw: the same read a bare
                // Chronicle or Agrona consumer makes, and no shared counter line for producers and consumers to pass
                // back and forth. When it shows nothing, the counters tell whether that is an empty queue or damage:
                // only then are they read, so a flowing queue's consumers do not touch the producers' counter line.
                if (checkDue || state.hasMore() || control.size() > 0)
                {
                    final boolean found;
                    if (!checkDue && state.claimsWithoutLock())
                    {
                        found = state.claim(false);
                    }
                    else
                    {
                        // Adopting what dead consumers held, and every journal claim: one holder at a time.
                        if (!lock(claimLock, wait.remaining(), interruptible))
                        {
                            return null;
                        }
                        try
                        {
                            if (claimLock.previousOwnerDied())
                            {
                                control.repairClaim();
                            }
                            found = state.claim(checkDue) || state.claimOrReportDamage();
                        }
                        finally
                        {
                            claimLock.unlock();
                        }
                    }
                    if (found)
                    {
                        return state.decode();
                    }
                }
                if (shutdown == QueueControl.SHUT_DOWN && control.size() == 0)
                {
                    throw new QueueShutDownException("queue '" + name() + "' is shut down and empty");
                }
                if (wait.miss() == TimedWait.TIMED_OUT)
                {
                    return null;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /**
     * A producer that died after appending but before counting leaves a message that the counters do not show; with
     * no live producer to repair it, waiting consumers do, by taking the put lock over.
     */
    private void repairDeadProducer(final QueueThreadState<E> state, final long remainingNanos)
        throws InterruptedException
    {
        if (!putLock.isLocked())
        {
            return;
        }
        final long wait = Math.min(remainingNanos, 2 * CHECK_INTERVAL_NANOS);
        // Only a lock that stays held past a liveness check can be a dead producer's; a live holder lets go at once.
        if (wait > 0 && putLock.tryLock(wait, TimeUnit.NANOSECONDS))
        {
            try
            {
                if (putLock.previousOwnerDied())
                {
                    state.repairPut();
                }
            }
            finally
            {
                putLock.unlock();
            }
        }
    }

    /**
     * The next message a consumer would take, without taking it: a snapshot, another consumer may take it first.
     *
     * @return the message, or null when the queue is empty.
     */
    @Override
    public E peek()
    {
        final QueueThreadState<E> state = openThreadState();
        if (control.size() == 0)
        {
            return null;
        }
        if (state.claimsWithoutLock())
        {
            return state.peek() ? state.decode() : null;
        }
        claimLock.lock();
        final boolean found;
        try
        {
            if (claimLock.previousOwnerDied())
            {
                control.repairClaim();
            }
            found = state.peek() || state.peekOrReportDamage();
        }
        finally
        {
            claimLock.unlock();
        }
        return found ? state.decode() : null;
    }

    @Override
    public int drainTo(final Collection<? super E> target)
    {
        return drainTo(target, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(final Collection<? super E> target, final int maxElements)
    {
        Objects.requireNonNull(target, "target");
        if (target == this)
        {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int drained = 0;
        try
        {
            E message;
            while (drained < maxElements && (message = poll()) != null)
            {
                target.add(message);
                drained++;
            }
        }
        catch (final QueueShutDownException ex)
        {
            // Shut down and drained: nothing more to move.
        }
        return drained;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Shuts the queue down for every process, letting consumers take what is left: {@code shutdown(false)}.
     */
    public void shutdown()
    {
        shutdown(false);
    }

    /**
     * Shuts the queue down for every process (Python 3.13's {@code Queue.shutdown(immediate)}). From then on every
     * put fails with a {@link QueueShutDownException}, and so does every take or poll once nothing is left to take:
     * consumers blocked in {@code take} wake with it within one wait. With {@code immediate}, what is left is
     * dropped (never delivered, {@link #size()} is 0) and consumers fail at once; {@link JoinableQueue#join()}
     * then waits only for the messages already taken. A put that was under way when this returned may still land
     * (and is taken, unless the shutdown was immediate). A shutdown is for good: a persistent queue stays shut
     * down, and a later {@code shutdown(true)} makes a plain one immediate.
     *
     * @param immediate whether to drop what is left.
     */
    public void shutdown(final boolean immediate)
    {
        ensureOpen();
        control.shutDown(immediate ? QueueControl.SHUT_DOWN_IMMEDIATELY : QueueControl.SHUT_DOWN);
    }

    /**
     * Whether a take would not block, for {@link Waiting#any}: a message is there, or the queue is shut down or
     * damaged (a take would throw at once). A look only: another consumer may take the message first.
     *
     * @return true when a take would not block now.
     */
    @Override
    public boolean isReady()
    {
        ensureOpen();
        return control.size() > 0 || control.shutdownRequested() || control.damagedAt() != QueueControl.NONE;
    }

    /**
     * Internal, for {@link Waiting}: a put, a shutdown or damage found rings the bell.
     *
     * @param bell the waiter's bell id.
     * @return {@code ONLY_WHEN_RUNG}, or {@code LOOK_AGAIN_SOON} when the control region's waiter table is full.
     */
    @Override
    public long ringWhenReady(final int bell)
    {
        ensureOpen();
        return control.ringWhenReady(bell) ? ONLY_WHEN_RUNG : LOOK_AGAIN_SOON;
    }

    /**
     * Internal, for {@link Waiting}.
     *
     * @param bell the waiter's bell id.
     */
    @Override
    public void stopRinging(final int bell)
    {
        if (!closed)
        {
            control.stopRinging(bell);
        }
    }

    /**
     * Whether the queue was shut down, by any process.
     *
     * @return true after {@link #shutdown(boolean)}.
     */
    public boolean isShutDown()
    {
        ensureOpen();
        return control.shutdownState() != QueueControl.OPEN;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facts

    /**
     * Messages put and not yet taken, across all processes: a snapshot.
     *
     * @return the count, at most {@link Integer#MAX_VALUE}.
     * @throws QueueDamagedException once a read found the journal damaged, until {@link #skipDamaged()}.
     */
    @Override
    public int size()
    {
        ensureOpen();
        final long damagedAt = control.damagedAt();
        if (damagedAt != QueueControl.NONE)
        {
            throw damaged(damagedAt, control.size());
        }
        return (int)Math.min(Integer.MAX_VALUE, control.size());
    }

    /**
     * Moves the queue past a damaged stretch of its journal: the messages from the next one a consumer would take up
     * to the first readable one after them (or to the end, when nothing after them can be read) are counted as
     * taken and are lost. Call it after a read threw {@link QueueDamagedException}; reading then continues after
     * the damage, and {@link #size()} counts only what is left. Does nothing when the next message can be read.
     * The CLI does the same: {@code ipckit repair <queue directory>}.
     * <p>
     * Chronicle finds excerpts past damage through its index, which records every {@code indexSpacing}-th
     * excerpt's position: messages between the damage and the next indexed one cannot be found and are lost too.
     *
     * @return how many messages were lost (0 when nothing was damaged at the read position).
     */
    public long skipDamaged()
    {
        final QueueThreadState<E> state = openThreadState();
        // A ring is emptied past damage: no producer may be writing then (the put lock first, as everywhere).
        final boolean ring = control.ring() != null;
        if (ring)
        {
            putLock.lock();
        }
        try
        {
            if (ring && putLock.previousOwnerDied())
            {
                state.repairPut();
            }
            claimLock.lock();
            try
            {
                if (claimLock.previousOwnerDied())
                {
                    control.repairClaim();
                }
                return state.skipDamaged();
            }
            finally
            {
                claimLock.unlock();
            }
        }
        finally
        {
            if (ring)
            {
                putLock.unlock();
            }
        }
    }

    QueueDamagedException damaged(final long index, final long pending)
    {
        final Path file = JournalDamage.fileOf(journal, index);
        return new QueueDamagedException("queue '" + name() + "': journal file " + file + " cannot be read at " +
            JournalDamage.describe(journal, index) + " though " + pending + " message(s) are pending: the file is " +
            "damaged or truncated. SharedQueue.skipDamaged() or 'ipckit repair " + directory() + "' skips the " +
            "damaged part and reports how many messages were lost", file, index, pending);
    }

    @Override
    public int remainingCapacity()
    {
        ensureOpen();
        final long capacity = control.capacity();
        return capacity == 0 ? Integer.MAX_VALUE : (int)Math.max(0, capacity - control.size());
    }

    /**
     * @return the capacity, 0 when unbounded.
     */
    public int capacity()
    {
        return (int)control.capacity();
    }

    /**
     * @return messages put into the queue ever, by all processes.
     */
    public long putCount()
    {
        return control.published();
    }

    /**
     * @return messages taken from the queue ever, by all processes (a redelivery is not counted again).
     */
    public long takenCount()
    {
        return control.taken();
    }

    /**
     * @return messages delivered again because the consumer holding them died.
     */
    public long redeliveredCount()
    {
        return control.redelivered();
    }

    /**
     * @return the queue's name.
     */
    public String name()
    {
        final String file = directory.getFileName().toString();
        return file.substring(0, file.length() - QueueFiles.QUEUE_SUFFIX.length());
    }

    /**
     * @return the queue's directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return the codec.
     */
    public Codec<E> codec()
    {
        return codec;
    }

    /**
     * @return whether the queue survives its creator.
     */
    public boolean isPersistent()
    {
        return region.isPersistent();
    }

    /**
     * @return the number of roll files the journal holds now (retention keeps this small).
     */
    public int rollFileCount()
    {
        return journal == null ? 0 : Retention.rollFileCount(journal);
    }

    /**
     * @return what carries this queue's messages, as its creator chose.
     */
    public Transport transport()
    {
        return control.ring() == null ? Transport.JOURNAL : Transport.RING;
    }

    /**
     * @return the largest message, encoded, this queue carries: {@link #MAX_MESSAGE_BYTES} with the journal, an
     * eighth of the ring's capacity with a ring.
     */
    public int maxMessageBytes()
    {
        return control.ring() == null ? MAX_MESSAGE_BYTES : control.ring().maxMessageBytes;
    }

    /**
     * @return whether {@link #close()} was called in this process.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Not supported: other processes take messages at any time, so there is nothing stable to iterate.
     *
     * @throws UnsupportedOperationException always.
     */
    @Override
    public Iterator<E> iterator()
    {
        throw new UnsupportedOperationException(
            "a SharedQueue cannot be iterated: other processes take messages at any time (use poll or drainTo)");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Closing

    /**
     * Closes this process's view: messages its threads hold count as acknowledged, its appenders and tailers are
     * closed. The creator of a temporary queue also removes the queue's files. Idempotent.
     */
    @Override
    public void close()
    {
        final List<QueueThreadState<E>> states;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            states = new ArrayList<>(threadStates);
            threadStates.clear();
        }
        OPEN_VIEWS.remove(this);
        for (final QueueThreadState<E> state : states)
        {
            state.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        region.close();
        if (creator && !region.isPersistent())
        {
            QueueFiles.deleteTree(directory);
        }
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{" + directory + (closed ? ", closed" :
            ", size=" + control.size() + ", capacity=" + (control.capacity() == 0 ? "unbounded" : control.capacity()) +
            (control.shutdownRequested() ? ", shut down" : "")) + "}";
    }

    /**
     * Serialization replaces the queue with its handle.
     *
     * @return the handle.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        ensureOpen();
        return new QueueHandle(directory.toString(), codec, options.waitStrategy(), this instanceof JoinableQueue);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    final void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("queue " + directory + " is closed in this process");
        }
    }

    final QueueThreadState<E> currentThreadState()
    {
        ensureOpen();
        return threadState.get();
    }

    private QueueThreadState<E> openThreadState()
    {
        return currentThreadState();
    }

    private QueueThreadState<E> newThreadState()
    {
        final QueueRing ring = control.ring();
        final QueueThreadState<E> state =
            ring == null ? new JournalQueueThreadState<>(this, journal) : new RingQueueThreadState<>(this, ring);
        synchronized (this)
        {
            ensureOpen();
            threadStates.add(state);
        }
        return state;
    }

    /**
     * Under the claim lock, when every row is taken: frees the rows of this view's threads that have ended (what
     * they hold counts as acknowledged, as on close).
     */
    int releaseRowsOfEndedThreads()
    {
        int released = 0;
        synchronized (this)
        {
            for (final QueueThreadState<E> state : threadStates)
            {
                if (!state.thread.isAlive() && state.row >= 0)
                {
                    control.releaseRow(state.row);
                    state.row = -1;
                    released++;
                }
            }
        }
        return released;
    }

    /**
     * A JVM that exits normally (or on SIGTERM) is done with what its threads took: their rows are freed so the
     * messages are not delivered again. Only a process that dies without running hooks (SIGKILL, a crash) leaves
     * its messages to be redelivered.
     */
    private static void acknowledgeOnExit()
    {
        for (final SharedQueue<?> view : OPEN_VIEWS)
        {
            view.releaseRowsAtExit();
        }
    }

    private synchronized void releaseRowsAtExit()
    {
        if (closed)
        {
            return;
        }
        for (final QueueThreadState<E> state : threadStates)
        {
            if (state.row >= 0)
            {
                control.releaseRow(state.row);
                state.row = -1;
            }
        }
    }

    private static boolean lock(final SharedLock lock, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        if (!interruptible)
        {
            lock.lock();
            return true;
        }
        if (timeoutNanos == Long.MAX_VALUE)
        {
            lock.lockInterruptibly();
            return true;
        }
        return lock.tryLock(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

}
