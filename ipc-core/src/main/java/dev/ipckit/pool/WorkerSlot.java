package dev.ipckit.pool;

import dev.ipckit.process.IpcProcess;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.ArrayDeque;

/**
 * The parent's view of one worker: its process (or, in a remote seat, the worker that joined over a link), its two
 * rings and the jobs sent to it, oldest (running) first.
 */
final class WorkerSlot
{
    final int index;
    final int offset;
    final int length;
    final OneToOneRingBuffer tasks;
    final OneToOneRingBuffer results;
    final ArrayDeque<Job> inFlight = new ArrayDeque<>();
    /** A seat for a worker joining over a link ({@link ProcessPool#acceptWorker}), not one the pool starts. */
    final boolean seat;
    IpcProcess<Void> process;
    /** The worker in this seat, or null while it is free. */
    RemoteSeat remote;
    long pid;
    boolean ready;
    int dispatched;
    /** When the job at the head of {@link #inFlight} started running, as far as the dispatcher knows. */
    long headStartNanos;

    WorkerSlot(final int index, final boolean seat, final int offset, final int length, final OneToOneRingBuffer tasks,
        final OneToOneRingBuffer results)
    {
        this.index = index;
        this.seat = seat;
        this.offset = offset;
        this.length = length;
        this.tasks = tasks;
        this.results = results;
    }

    String name()
    {
        if (remote != null)
        {
            return remote.name();
        }
        return process == null ? "worker-" + index : process.name();
    }
}
