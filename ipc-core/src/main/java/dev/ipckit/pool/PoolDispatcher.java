package dev.ipckit.pool;

import dev.ipckit.platform.internal.PlainValues;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import dev.ipckit.process.RemoteFailures;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's dispatcher: hands queued jobs to workers (a worker gets its next jobs ahead, as many as
 * about {@link DispatchPolicy#AHEAD_NANOS} of work, so small jobs stream and long ones do not pile up behind each
 * other; the choices are {@link DispatchPolicy}'s), reads results, watches the workers' processes, fails the job a dead worker was running and re-queues the ones it had not
 * started, replaces dead and retired workers, and kills a worker whose job passed its timeout. It parks while no
 * result is due soon, judging by how long recent jobs ran in their workers. Callers hand it jobs through a
 * concurrent deque.
 * <p>
 * <b>Callers help.</b> The worker slots are touched only under {@link #stepLock}: by the dispatcher's thread, and by
 * a caller's thread that queued a job ({@link #dispatchNow}) or waits for one ({@link #helpUntilDone}) and finds the
 * lock free. Such a caller reads the results and dispatches itself, so a short task's round trip is its thread, the
 * worker and back, without waking the dispatcher's thread or being woken by it (each wake-up of a parked thread costs
 * several microseconds here). While callers help, the dispatcher's thread parks instead of spinning, so on a 2-core
 * machine the caller and the worker have the cores; it still watches the workers' processes and timeouts, a new job
 * does not wake it ({@link #wakeForNewJob}), and the last helper to stop unparks it when jobs are left (its own still
 * running, or others'). In a busy-spin pool callers do not wait this way: its dispatcher spins already.
 */
final class PoolDispatcher implements Runnable, Job.Helper
{
    /** Workers held back by the staggered start start at the latest this long after the first. */
    private static final long STAGGER_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** After this long without a result or a dispatch, the running tasks are long ones: the dispatcher parks. */
    private static final long LONG_TASK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A result expected later than this lets the dispatcher park until about then instead of spinning and yielding. */
    private static final long DUE_SOON_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_PARK_NANOS = LIVENESS_CHECK_NANOS;
    /**
     * The longest park of an idle dispatcher (nothing queued or in flight, every worker started): a job, a worker's
     * exit ({@link #startWorker} hooks it) and a shutdown wake it, so it only bounds what nothing wakes.
     */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long the dispatcher's thread parks at a time while callers help: the last helper to stop unparks it when work
     * is left, so this bounds only a race (a job dispatched by another thread as that helper looked).
     */
    private static final long WHILE_HELPED_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    static final int RUNNING = 0;
    static final int SHUTDOWN = 1;
    static final int STOPPED = 2;
    static final int TERMINATED = 3;

    private final String name;
    private final PoolOptions options;
    private final SharedRegion region;
    private final WorkerSlot[] slots;
    final ConcurrentLinkedDeque<Job> pending = new ConcurrentLinkedDeque<>();
    final CountDownLatch terminated = new CountDownLatch(1);
    volatile int state = RUNNING;
    volatile RuntimeException broken;
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private final ResultHandler handler = new ResultHandler();
    private volatile Thread thread;
    private long lastLivenessCheck;
    private long firstStartNanos;
    /** Slots from here on have not been started yet (the staggered start). */
    private int nextToStart;
    /**
     * Under the step lock: the held-back workers may start now. Set where a result or READY is read, which may be a
     * helping caller's thread; the dispatcher's own thread starts them, so that a caller gets its result without
     * waiting for a JVM start.
     */
    private boolean heldBackMayStart;
    private final DispatchPolicy policy;
    /** Held by whoever touches the worker slots: the dispatcher's thread or a helping caller (see the class comment). */
    private final ReentrantLock stepLock = new ReentrantLock();
    /** Callers in {@link #helpUntilDone} now: while there are any, the dispatcher's thread parks. */
    private final AtomicInteger helping = new AtomicInteger();
    /** Jobs handed to workers, ever; by whoever dispatches, under the step lock. */
    private final AtomicLong dispatches = new AtomicLong();
    /**
     * Whether the dispatcher's thread parks (or is about to) other than for helping callers: only then does a new job
     * wake it ({@link #wakeForNewJob}). Written by that thread only; a Dekker pair with the queue and
     * {@link #dispatches}: it stores this, then looks at them again, and a submitter adds its job, then reads this.
     */
    private volatile boolean parked;
    /** Set by a worker process's exit (the JDK's reaper thread) before it wakes the dispatcher: look at the workers. */
    private volatile boolean workerExitSeen;
    /** Whether callers help at all: not in a busy-spin pool, whose dispatcher spins anyway (three spinning threads
     * on two cores would starve the worker). */
    private final boolean callersHelp;
    /** The slots the pool starts workers in; the rest are seats for workers that join ({@link #acceptWorker}). */
    private final int localCount;
    /** Where the pool looks up the classes a joined worker asks about: the pool creator's. */
    private final ClassLoader classes;
    /** The pool's answers about its classes, shared by the joined workers. */
    private final ConcurrentHashMap<String, byte[]> classAnswers = new ConcurrentHashMap<>();

    PoolDispatcher(final String name, final PoolOptions options, final SharedRegion region, final ClassLoader classes)
    {
        this.name = name;
        this.options = options;
        this.region = region;
        this.classes = classes;
        this.localCount = options.workers();
        this.slots = new WorkerSlot[options.slots()];
        final int capacity = options.ringCapacity();
        for (int i = 0; i < slots.length; i++)
        {
            final RegionEntry entry = region.allocate(
                PoolLayout.slotName(i), ObjectType.BYTES, PoolLayout.slotLength(capacity), 0, null);
            slots[i] = new WorkerSlot(i, i >= localCount, entry.offset(), (int)entry.length(),
                PoolLayout.tasks(region.buffer(), entry.offset(), capacity),
                PoolLayout.results(region.buffer(), entry.offset(), capacity));
        }
        this.policy = new DispatchPolicy(slots, options.maxTasksPerChild(), MAX_PARK_NANOS);
        this.callersHelp = !options.waitStrategy().isBusySpin();
    }

    /**
     * Starts the first workers and the dispatcher. JVMs starting at once compete for the CPUs (a JVM's start is
     * several threads' work), so at most one fewer than the CPUs start at first, at least one; the others start when
     * a worker reports ready with no job waiting, after the first result otherwise (so that they do not slow the
     * first job down), or {@link #STAGGER_LIMIT_NANOS} after the first start. On 2 CPUs a pool of 2 has its first
     * result after one worker's start (~100 ms) instead of two at once (~140 ms).
     */
    void start(final Thread dispatcherThread)
    {
        firstStartNanos = System.nanoTime();
        final int atOnce = Math.min(localCount, Math.max(1, ProcessInfo.cpuCount() - 1));
        for (int i = 0; i < atOnce; i++)
        {
            startWorker(slots[i]);
        }
        nextToStart = atOnce;
        thread = dispatcherThread;
        dispatcherThread.start();
    }

    /** Under the step lock: has the dispatcher's thread start the held-back workers on its next step. */
    private void letHeldBackWorkersStart()
    {
        if (nextToStart < localCount && !heldBackMayStart)
        {
            heldBackMayStart = true;
            wake();
        }
    }

    /** Starts the workers the staggered start held back. */
    private int startHeldBackWorkers()
    {
        int started = 0;
        while (nextToStart < localCount && state <= SHUTDOWN && broken == null)
        {
            startWorker(slots[nextToStart++]);
            started++;
        }
        return started;
    }

    /**
     * After a job was queued (and perhaps dispatched by the caller, {@link #dispatchNow}): wakes the dispatcher's thread
     * if it parks for want of work or until a result is due, so that someone reads the job's result even if its caller
     * never waits for it (a callback). While callers help it parks too, but is left alone: a helper reads every result
     * and dispatches, and the last to stop wakes it if work is left; a wake per call would take a CPU from a caller and
     * a worker for each round trip.
     */
    void wakeForNewJob()
    {
        if (parked)
        {
            wake();
        }
    }

    /** Wakes the dispatcher if it is parked: a job was queued or the state changed. */
    @Override
    public void wake()
    {
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    /** Waiters in the pool region's table: its local workers asleep on their bells (nothing else waits there). */
    int sleepingWorkers()
    {
        return region.waiters().waiters();
    }

    List<Long> workerPids()
    {
        final List<Long> pids = new ArrayList<>();
        for (final WorkerSlot slot : slots)
        {
            final IpcProcess<Void> process = slot.process;
            if (process != null && process.isAlive())
            {
                pids.add(process.pid());
            }
        }
        return pids;
    }

    @Override
    public void run()
    {
        final IdleStrategy idle = options.waitStrategy().newIdleStrategy();
        // While no result is due soon the dispatcher parks instead of yielding: a yielding thread still takes its
        // share of a CPU a worker needs, and every wake of a parked one preempts a worker. A busy-spin pool spins
        // regardless, as its owner asked.
        final boolean parkWhileNotDue = !options.waitStrategy().isBusySpin();
        try
        {
            long lastWork = System.nanoTime();
            while (state != TERMINATED)
            {
                if (parkWhileNotDue && helping.get() > 0)
                {
                    // A caller reads the results and dispatches: give it and the worker the CPUs.
                    LockSupport.parkNanos(WHILE_HELPED_PARK_NANOS);
                    if (System.nanoTime() - lastLivenessCheck < LIVENESS_CHECK_NANOS && !workerExitSeen)
                    {
                        continue;
                    }
                }
                int work;
                final long now;
                // What the parking below decides on is read under the lock too: callers change the slots.
                final boolean anyInFlight;
                final long untilDue;
                final long park;
                final long dispatchesSeen;
                final boolean allStarted;
                stepLock.lock();
                try
                {
                    work = exchange();
                    if (heldBackMayStart)
                    {
                        heldBackMayStart = false;
                        work += startHeldBackWorkers();
                    }
                    now = System.nanoTime();
                    if (now - lastLivenessCheck >= LIVENESS_CHECK_NANOS || state != RUNNING || workerExitSeen)
                    {
                        workerExitSeen = false;
                        lastLivenessCheck = now;
                        work += checkWorkers(now);
                        work += finishIfDone();
                    }
                    anyInFlight = policy.anyInFlight();
                    untilDue = policy.nanosUntilResultDue(now);
                    park = policy.parkNanos(now);
                    dispatchesSeen = dispatches.get();
                    allStarted = nextToStart >= localCount;
                }
                finally
                {
                    stepLock.unlock();
                }
                if (work > 0)
                {
                    idle.reset();
                    lastWork = now;
                }
                else if (parkWhileNotDue && !anyInFlight)
                {
                    if (pending.isEmpty())
                    {
                        // Nothing to do until a caller queues a job, and that unparks this thread (wakeForNewJob), or a
                        // worker exits; while held-back workers wait to start, at most until their time comes.
                        parkUnlessNewJob(allStarted ? IDLE_PARK_NANOS : MAX_PARK_NANOS, dispatchesSeen);
                    }
                    else
                    {
                        idle.idle();
                    }
                }
                else if (parkWhileNotDue && (now - lastWork > LONG_TASK_NANOS || untilDue > DUE_SOON_NANOS))
                {
                    parkUnlessNewJob(park, dispatchesSeen);
                }
                else
                {
                    idle.idle();
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            fail(ex);
            throw ex;
        }
    }

    /**
     * Parks the dispatcher's thread unless a job came since its step ({@code dispatchesSeen}): announced, then looked at
     * again, so a job queued or dispatched by a caller meanwhile is seen here, or its submitter sees the announcement
     * and unparks this thread ({@link #wakeForNewJob}).
     */
    private void parkUnlessNewJob(final long nanos, final long dispatchesSeen)
    {
        parked = true;
        if (pending.isEmpty() && dispatches.get() == dispatchesSeen)
        {
            LockSupport.parkNanos(nanos);
        }
        parked = false;
    }

    /** Something that reads results or dispatches failed (in the dispatcher's thread or a helping caller's). */
    private void fail(final Throwable ex)
    {
        stepLock.lock();
        try
        {
            if (state == TERMINATED)
            {
                return;
            }
            breakPool(new IllegalStateException("pool '" + name + "': its dispatcher failed: " + ex, ex));
            stopWorkers(true);
            terminate();
        }
        finally
        {
            stepLock.unlock();
        }
    }

    /** Under {@link #stepLock}: reads every worker's results, then hands out what is queued. */
    private int exchange()
    {
        int work = 0;
        for (final WorkerSlot slot : slots)
        {
            handler.slot = slot;
            work += slot.results.read(handler);
        }
        return work + dispatch();
    }

    /**
     * By a caller that just queued a job: hands it to a worker now when nobody else is reading results or
     * dispatching, instead of waiting for the dispatcher's thread to wake.
     */
    void dispatchNow()
    {
        // Not from inside a step (a callback that a completion ran, queuing a job): the step is half done.
        if (!stepLock.isHeldByCurrentThread())
        {
            tryStep(false);
        }
    }

    /**
     * One step by a caller's thread when the lock is free: all of {@link #exchange}, or only the dispatch. A failure
     * is handled as the dispatcher's own and rethrown.
     */
    private void tryStep(final boolean readResults)
    {
        if (!stepLock.tryLock())
        {
            return;
        }
        try
        {
            if (readResults)
            {
                exchange();
            }
            else if (state < STOPPED)
            {
                dispatch();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            fail(ex);
            throw ex;
        }
        finally
        {
            stepLock.unlock();
        }
    }

    /**
     * By a caller waiting for {@code future}: reads results and dispatches itself while the lock is free, until the
     * future is done or {@code deadlineNanos} (a {@code System.nanoTime()}) passes; the caller then waits on the
     * future, which the dispatcher's thread completes.
     */
    @Override
    public void helpUntilDone(final CompletableFuture<?> future, final long deadlineNanos)
    {
        if (!callersHelp || stepLock.isHeldByCurrentThread())
        {
            // Or a callback that a completion ran waits for another job: the step it runs in is half done, so this
            // thread cannot step again; it waits as any thread would.
            return;
        }
        helping.incrementAndGet();
        try
        {
            while (!future.isDone() && state < STOPPED && System.nanoTime() - deadlineNanos < 0)
            {
                tryStep(true);
                Thread.onSpinWait();
            }
        }
        finally
        {
            // The last helper to stop while work is left (its job, or jobs others queued): the dispatcher's thread
            // takes over at once.
            if (helping.decrementAndGet() == 0 && (!future.isDone() || workLeft()))
            {
                wake();
            }
        }
    }

    /** Whether jobs are queued or in flight; true when the step lock is busy (whoever holds it may leave some). */
    private boolean workLeft()
    {
        if (!pending.isEmpty())
        {
            return true;
        }
        if (!stepLock.tryLock())
        {
            return true;
        }
        try
        {
            return policy.anyInFlight();
        }
        finally
        {
            stepLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private int dispatch()
    {
        int sent = 0;
        while (!pending.isEmpty())
        {
            final WorkerSlot slot = policy.leastBusyReadyWorker(pending);
            if (slot == null)
            {
                break;
            }
            // Polled, not peeked and removed: removing a given element walks the deque. Only shutdownNow takes
            // jobs from it too; a job it misses this way is run or, back in the queue, cancelled at termination.
            final Job job = pending.pollFirst();
            if (job == null)
            {
                break;
            }
            if (job.future.isDone())
            {
                continue;
            }
            final int length = PoolLayout.TASK_ID_LENGTH + job.payload.length;
            final int index = slot.tasks.tryClaim(job.type, length);
            if (index < 0)
            {
                pending.addFirst(job); // the worker's ring is full: it gets the job when it has read some
                break;
            }
            final AtomicBuffer ring = slot.tasks.buffer();
            ring.putLong(index, job.id);
            ring.putBytes(index + PoolLayout.TASK_ID_LENGTH, job.payload);
            slot.tasks.commit(index); // publishes the message to the worker (an ordered write of its length)
            if (slot.remote != null)
            {
                slot.remote.tasksWritten();
            }
            else
            {
                WorkerLoop.wakeWorker(region.waiters(), slot.offset);
            }
            if (slot.inFlight.isEmpty())
            {
                startClock(slot, job, System.nanoTime());
            }
            slot.inFlight.addLast(job);
            slot.dispatched++;
            dispatches.incrementAndGet();
            sent++;
        }
        return sent;
    }

    /** A job reached the head of its worker's queue: it runs from now. */
    private static void startClock(final WorkerSlot slot, final Job job, final long now)
    {
        slot.headStartNanos = now;
        if (job.timeoutNanos > 0)
        {
            job.deadlineNanos = now + job.timeoutNanos;
        }
    }

    private int checkWorkers(final long now)
    {
        int work = 0;
        if (nextToStart < localCount && now - firstStartNanos >= STAGGER_LIMIT_NANOS)
        {
            work += startHeldBackWorkers();
        }
        for (final WorkerSlot slot : slots)
        {
            final IpcProcess<Void> process = slot.process;
            final RemoteSeat remote = slot.remote;
            if (process == null && remote == null)
            {
                continue;
            }
            if (remote != null ? !remote.isAlive() : !process.isAlive())
            {
                workerExited(slot);
                work++;
                continue;
            }
            final Job running = slot.inFlight.peekFirst();
            if (running != null && running.timeoutNanos > 0 && !running.timedOut && now - running.deadlineNanos >= 0)
            {
                running.timedOut = true;
                kill(slot, "its task " + running.id + " ran past its timeout");
                work++;
            }
            else if (running != null && !running.cancelKilled && running.future.interruptRequested())
            {
                // cancel(true): a JVM cannot stop another JVM's thread, so the worker goes and another takes its
                // place; the jobs handed to it ahead go back to the queue (workerExited).
                running.cancelKilled = true;
                kill(slot, "its task " + running.id + " was cancelled");
                work++;
            }
        }
        return work;
    }

    /** Kills a worker: its process, or the link of a joined one (its JVM ends itself when its link ends). */
    private static void kill(final WorkerSlot slot, final String why)
    {
        if (slot.remote != null)
        {
            slot.remote.end("the pool ended its link: " + why);
        }
        else
        {
            slot.process.kill();
        }
    }

    /**
     * A worker's process ended, or a joined worker's link: read what it completed, fail what it was running, re-queue
     * the rest, replace it (a joined worker's seat is left free for the next to join).
     */
    private void workerExited(final WorkerSlot slot)
    {
        final IpcProcess<Void> process = slot.process;
        final RemoteSeat remote = slot.remote;
        if (process != null)
        {
            try
            {
                process.join(1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        handler.slot = slot;
        while (slot.results.read(handler) > 0)
        {
            // Results it completed before it died still count.
        }
        final int exitCode = process != null ? process.exitCode().orElse(Integer.MIN_VALUE) : Integer.MIN_VALUE;
        final Job running = slot.inFlight.pollFirst();
        if (running != null)
        {
            if (running.timedOut)
            {
                running.future.completeExceptionally(new TimeoutException("task " + running.id + " of pool '" + name +
                    "' ran longer than its timeout of " + TimeUnit.NANOSECONDS.toMillis(running.timeoutNanos) +
                    " ms; worker '" + slot.name() + "' (pid " + slot.pid + ") was killed and replaced"));
            }
            else if (remote != null)
            {
                running.future.completeExceptionally(new WorkerDiedException(slot.name(), remote.host(),
                    slot.pid != 0 ? slot.pid : remote.pid(), remote.peer(), remote.endReason(),
                    "while running task " + running.id));
            }
            else
            {
                running.future.completeExceptionally(
                    new WorkerDiedException(slot.name(), process.pid(), exitCode, "while running task " + running.id));
            }
        }
        // Jobs it had not started go back to the front of the queue, in their order.
        while (!slot.inFlight.isEmpty())
        {
            pending.addFirst(slot.inFlight.pollLast());
        }
        slot.process = null;
        slot.ready = false;
        if (remote != null)
        {
            // Its threads no longer touch the rings (isAlive turned false after they stopped): the seat is free.
            region.buffer().setMemory(slot.offset, slot.length, (byte)0);
            slot.pid = 0;
            slot.remote = null;
        }
        else if (state <= SHUTDOWN && broken == null)
        {
            region.buffer().setMemory(slot.offset, slot.length, (byte)0);
            startWorker(slot);
        }
    }

    /**
     * A seat's receiving thread wrote a result: it reads the results and dispatches itself when nobody else is at it
     * (as a waiting caller does), else wakes the dispatcher's thread. A failure is the dispatcher's, as in
     * {@link #tryStep}, and does not end the receiving thread.
     */
    private void resultArrived()
    {
        if (!stepLock.tryLock())
        {
            wake();
            return;
        }
        try
        {
            if (state < TERMINATED)
            {
                exchange();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            stepLock.unlock();
            fail(ex);
            return;
        }
        stepLock.unlock();
    }

    /** @return the workers in remote seats now. */
    int remoteWorkerCount()
    {
        int count = 0;
        for (final WorkerSlot slot : slots)
        {
            if (slot.remote != null && slot.remote.isAlive())
            {
                count++;
            }
        }
        return count;
    }

    /** Seats a worker that joins over a link: its HELLO, a free seat, the WELCOME (see {@link SeatProtocol}). */
    void acceptWorker(final WorkerLink link) throws IOException, InterruptedException
    {
        final byte[] hello;
        try
        {
            hello = link.receive(JoinedWorker.ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (hello == null)
            {
                throw new IOException("pool '" + name + "': no HELLO from " + link.peer() + " within " +
                    JoinedWorker.ANSWER_TIMEOUT_SECONDS + " s");
            }
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            link.close();
            throw ex;
        }
        final String refusal = helloRefusal(hello, link.peer());
        if (refusal != null)
        {
            refuse(link, SeatProtocol.REFUSED, refusal);
        }
        final UnsafeBuffer view = new UnsafeBuffer(hello);
        final long pid = view.getLong(SeatProtocol.HELLO_PID_OFFSET);
        final String host = SeatProtocol.textOf(hello, SeatProtocol.HELLO_HOST_OFFSET);
        final RemoteSeat seat;
        stepLock.lock();
        try
        {
            if (state != RUNNING || broken != null)
            {
                seat = null;
            }
            else
            {
                seat = seat(link, host, pid);
            }
        }
        finally
        {
            stepLock.unlock();
        }
        if (seat == null)
        {
            if (state != RUNNING || broken != null)
            {
                refuse(link, SeatProtocol.SHUT_DOWN, "pool '" + name + "' is shut down");
            }
            refuse(link, SeatProtocol.REFUSED, "pool '" + name + "' has no free seat for a remote worker (" +
                options.remoteWorkers() + " seats, PoolOptions.withRemoteWorkers)");
        }
        try
        {
            link.send(SeatProtocol.welcome(Serialization.toBytes(new WorkerTerms(seat.name(), options.ringCapacity(),
                options.initializer(), options.maxTasksPerChild()))));
        }
        catch (final IOException | RuntimeException ex)
        {
            // The seat ends at once (its threads stop as they start) and is free again.
            seat.end("it could not be welcomed: " + ex);
            seat.start();
            throw ex;
        }
        seat.start();
        wake();
    }

    /** Under {@link #stepLock}: the first free seat, taken by a joined worker; null when none is free. */
    private RemoteSeat seat(final WorkerLink link, final String host, final long pid)
    {
        for (int i = localCount; i < slots.length; i++)
        {
            final WorkerSlot slot = slots[i];
            if (slot.remote != null && !slot.remote.isAlive())
            {
                // Its link ended and this step's liveness check has not come yet (remoteWorkerCount() already says
                // it is gone): settle what it held now, as that check would, and the seat is free.
                workerExited(slot);
            }
            if (slot.remote == null)
            {
                final RemoteSeat seat = new RemoteSeat(slot, link, host, pid, name + "-remote-" + i, this::wake,
                    this::resultArrived, classes, classAnswers);
                slot.remote = seat;
                slot.dispatched = 0;
                slot.ready = false;
                slot.pid = 0;
                return seat;
            }
        }
        return null;
    }

    private static String helloRefusal(final byte[] hello, final String peer)
    {
        if (hello.length < SeatProtocol.HELLO_HOST_OFFSET || hello[SeatProtocol.KIND_OFFSET] != SeatProtocol.HELLO)
        {
            return "a first frame of " + hello.length + " bytes from " + peer + " is no worker's HELLO";
        }
        final int version = new UnsafeBuffer(hello).getInt(SeatProtocol.VERSION_OFFSET);
        if (version != SeatProtocol.VERSION)
        {
            return "the worker at " + peer + " speaks worker protocol " + version + ", the pool " +
                SeatProtocol.VERSION + ": run the same ipckit version on both hosts";
        }
        return null;
    }

    /** Tells a worker why it was refused (REFUSED, or SHUT_DOWN), closes its link and throws. */
    private static void refuse(final WorkerLink link, final byte kind, final String why)
    {
        try
        {
            link.send(SeatProtocol.text(kind, why));
        }
        catch (final IOException ex)
        {
            // It is gone already; the refusal is thrown all the same.
        }
        link.close();
        throw new IllegalStateException(why);
    }

    private void startWorker(final WorkerSlot slot)
    {
        slot.dispatched = 0;
        slot.ready = false;
        slot.pid = 0;
        final PoolWorker worker = new PoolWorker(region, slot.index, options.ringCapacity(), options.initializer(),
            options.maxTasksPerChild(), options.waitStrategy());
        slot.process = IpcProcess.of(worker)
            .name(name + "-worker-" + slot.index)
            .daemon(true)
            .jvmOptions(options.jvm().options().toArray(new String[0]))
            .classPath(options.jvm().classPath())
            .javaExecutable(options.jvm().java())
            .startMethod(options.jvm().startMethod() != null ?
                options.jvm().startMethod() : IpcProcess.defaultStartMethod())
            .start();
        // A worker that dies (or ends at its task limit) while the pool idles is replaced at once, not at the end of
        // the idle park.
        slot.process.onExit().thenRun(() ->
        {
            workerExitSeen = true;
            wake();
        });
    }

    /** After shutdown: once every queued and running job is done, stop the workers and terminate. */
    private int finishIfDone()
    {
        if (state == RUNNING)
        {
            return 0;
        }
        if (state == SHUTDOWN)
        {
            if (!pending.isEmpty())
            {
                return 0;
            }
            for (final WorkerSlot slot : slots)
            {
                if (!slot.inFlight.isEmpty())
                {
                    return 0;
                }
            }
        }
        stopWorkers(state == STOPPED);
        terminate();
        return 1;
    }

    private void stopWorkers(final boolean now)
    {
        for (final WorkerSlot slot : slots)
        {
            if (slot.process == null && slot.remote == null)
            {
                continue;
            }
            if (now)
            {
                kill(slot, "the pool was terminated");
            }
            else if (slot.remote == null && !slot.ready && slot.inFlight.isEmpty())
            {
                // Still starting (a worker the staggered start let go late, a replacement): it holds nothing, and
                // waiting for its JVM to come up only to read STOP would make close() wait a JVM start.
                slot.process.kill();
            }
            else
            {
                slot.tasks.write(PoolLayout.MSG_STOP, out, 0, 0);
                if (slot.remote != null)
                {
                    slot.remote.tasksWritten();
                }
                else
                {
                    WorkerLoop.wakeWorker(region.waiters(), slot.offset); // an idle worker sleeps on its bell
                }
            }
        }
        for (final WorkerSlot slot : slots)
        {
            final RemoteSeat remote = slot.remote;
            if (remote != null)
            {
                stopJoined(slot, remote);
                continue;
            }
            final IpcProcess<Void> process = slot.process;
            if (process == null)
            {
                continue;
            }
            try
            {
                if (!process.join(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                {
                    process.kill();
                    process.join(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.kill();
            }
            failInFlight(slot, new CancellationException("pool '" + name + "' was terminated"));
            slot.process = null;
        }
    }

    /** Waits for a joined worker told to STOP to leave; ends its link when it does not in time. */
    private void stopJoined(final WorkerSlot slot, final RemoteSeat remote)
    {
        try
        {
            // It closes its link after STOP; the seat's threads then stop.
            if (!remote.awaitEnd(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                remote.end("the pool was terminated");
                remote.awaitEnd(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            remote.end("the pool was terminated");
        }
        failInFlight(slot, new CancellationException("pool '" + name + "' was terminated"));
        slot.remote = null;
    }

    private void terminate()
    {
        state = TERMINATED;
        Job job;
        while ((job = pending.pollFirst()) != null)
        {
            job.future.completeExceptionally(broken != null ? broken :
                new CancellationException("pool '" + name + "' was terminated before the task started"));
        }
        region.close();
        terminated.countDown();
    }

    private void breakPool(final RuntimeException failure)
    {
        if (broken == null)
        {
            broken = failure;
        }
        state = STOPPED;
        for (final WorkerSlot slot : slots)
        {
            failInFlight(slot, failure);
        }
        Job job;
        while ((job = pending.pollFirst()) != null)
        {
            job.future.completeExceptionally(failure);
        }
    }

    private static void failInFlight(final WorkerSlot slot, final Throwable failure)
    {
        for (final Iterator<Job> it = slot.inFlight.iterator(); it.hasNext(); )
        {
            it.next().future.completeExceptionally(failure);
            it.remove();
        }
    }

    /** Reads a worker's messages: READY, RESULT, FAILURE, INIT_FAILED. */
    private final class ResultHandler implements MessageHandler
    {
        WorkerSlot slot;
        private final PlainValues.Reader reader = new PlainValues.Reader();

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            switch (msgTypeId)
            {
                case PoolLayout.MSG_READY:
                    slot.pid = buffer.getLong(index);
                    slot.ready = true;
                    if (pending.isEmpty())
                    {
                        // Nothing to run yet: the others may start now. Otherwise they start after the first result,
                        // so that their start does not slow the first job down.
                        letHeldBackWorkersStart();
                    }
                    break;
                case PoolLayout.MSG_RESULT:
                case PoolLayout.MSG_FAILURE:
                case PoolLayout.MSG_CHUNK_RESULT:
                    completed(msgTypeId, buffer, index, length);
                    break;
                case PoolLayout.MSG_INIT_FAILED:
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(index, bytes);
                    final Throwable cause = RemoteFailures.decode(bytes, slot.name(), slot.pid);
                    if (slot.remote != null)
                    {
                        // A worker from another host without what the initializer needs: that host's trouble, not
                        // the pool's. It is dropped (its seat is free again) and the pool goes on.
                        System.err.println("ipckit: pool '" + name + "': the initializer failed in remote worker '" +
                            slot.name() + "' on host " + slot.remote.host() + ": " + cause + "; the worker was dropped");
                        slot.remote.end("its initializer failed: " + cause);
                        break;
                    }
                    breakPool(new IllegalStateException("pool '" + name + "' is broken: the initializer failed in " +
                        "worker '" + slot.name() + "': " + cause, cause));
                    break;
                default:
                    throw new IllegalStateException("pool '" + name + "': unknown message type " + msgTypeId +
                        " from worker '" + slot.name() + "'");
            }
        }

        private void completed(final int type, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long taskId = buffer.getLong(index);
            letHeldBackWorkersStart();
            final Job job = slot.inFlight.pollFirst();
            if (job == null || job.id != taskId)
            {
                throw new IllegalStateException("pool '" + name + "': worker '" + slot.name() + "' answered task " +
                    taskId + " but was running " + (job == null ? "nothing" : "task " + job.id));
            }
            policy.jobEnded(buffer.getLong(index + PoolLayout.RUN_NANOS_OFFSET));
            final Job next = slot.inFlight.peekFirst();
            if (next != null)
            {
                startClock(slot, next, System.nanoTime());
            }
            final int start = index + PoolLayout.RESULT_HEADER_LENGTH;
            try
            {
                if (type == PoolLayout.MSG_CHUNK_RESULT)
                {
                    job.future.complete(chunkOutcome(reader.wrap(buffer, start)));
                    return;
                }
                if (type == PoolLayout.MSG_FAILURE)
                {
                    final byte[] bytes = new byte[length - PoolLayout.RESULT_HEADER_LENGTH];
                    buffer.getBytes(start, bytes);
                    job.future.completeExceptionally(RemoteFailures.decode(bytes, slot.name(), slot.pid));
                }
                else
                {
                    job.future.complete(reader.wrap(buffer, start).read());
                }
            }
            catch (final Exception | LinkageError ex)
            {
                // A result the deserialization filter rejects fails its task alone; the pool goes on.
                job.future.completeExceptionally(new IllegalStateException("pool '" + name + "': the result of task " +
                    taskId + " cannot be read in this process: " +
                    (ex instanceof IllegalStateException ? ex.getMessage() : ex), ex));
            }
        }

        private ChunkOutcome chunkOutcome(final PlainValues.Reader in)
        {
            final Object[] results = new Object[in.readInt()];
            for (int i = 0; i < results.length; i++)
            {
                results[i] = in.read();
            }
            final int failureLength = in.readInt();
            if (failureLength < 0)
            {
                return new ChunkOutcome(results, null);
            }
            final byte[] failure = new byte[failureLength];
            in.buffer().getBytes(in.offset(), failure);
            return new ChunkOutcome(results, RemoteFailures.decode(failure, slot.name(), slot.pid));
        }
    }

    /** A chunk's results in the parent, with its failure decoded. */
    record ChunkOutcome(Object[] results, Throwable failure)
    {
    }
}
