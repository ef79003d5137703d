package dev.ipckit.stress.harness;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import dev.ipckit.queue.Transport;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedLongArray;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code pipe} and {@code pipe-ring}: sessions of one writer JVM and one reader JVM on a one-way {@link Pipe}, on the
 * journal or on the ring transport. The writer sends 1, 2, 3, ...
 * and records the last number sent; it keeps at most {@value #WINDOW} numbers ahead of the reader (the pipe itself is
 * unbounded). The reader checks each number is the one after the last and records it. A session ends when a
 * participant is killed or the duration is over; the next session gets a new pipe.
 * <p>
 * Invariants: in order with no gap and no repeat, in every session; the reader sees end of stream (after draining)
 * whenever the writer stopped or was killed; nothing lost: the reader's last number is at least the writer's last
 * acknowledged send, and at most one more (a writer killed inside {@code send} may or may not have sent it).
 * Faults reach a session only once both participants have their ends: a writer killed before it deserialized its end would leave
 * the end owned by the harness, which handed it off and so cannot close it, and the reader would get no end of stream.
 * <p>
 * The clock starts when the first session's reader and writer are both ready (their ends open); a session whose
 * participants are not ready within the ready limit of their start is a problem. Progress is judged over the time in
 * which the current session's two participants are ready.
 */
final class PipeWorkload implements Workload
{
    static final int SENT = 0;
    static final int RECEIVED = 1;
    static final int GAPS = 2;
    static final int END_OF_STREAM = 3;
    static final int WRITER_READY = 4;
    static final int READER_READY = 5;
    private static final int FIELDS = 6;
    private static final long WINDOW = 10_000;

    private final Transport transport;
    private volatile IpcProcess<?> reader;
    private volatile IpcProcess<?> writer;
    private volatile SharedLongArray sessionState;
    private volatile boolean aborted;
    /** When the clock started ({@link System#nanoTime()}); 0 until the first session's participants are ready. */
    private long clockStart;

    /**
     * @param transport what carries the pipe's messages.
     */
    PipeWorkload(final Transport transport)
    {
        this.transport = transport;
    }

    private String name()
    {
        return transport == Transport.RING ? "pipe-ring" : "pipe";
    }

    @Override
    public void run(final WorkloadContext context, final WorkloadReport report) throws Exception
    {
        report.processes(2);
        final Totals totals = new Totals();
        final long launched = System.nanoTime();
        try (SharedRegion region = SharedRegion.create("pipe-state", 1 << 16, context.regionOptions());
             FaultInjector injector = context.injector(name(), this::faultTargets).start())
        {
            final SharedLongArray state = SharedLongArray.createRaw(region, "state", FIELDS);
            sessionState = state;
            final SharedEvent stop = SharedEvent.create(region, "stop");
            final StallWatch watch = new StallWatch(() -> totals.received + state.get(RECEIVED),
                () -> readyPids().size() == 2, launched);
            while (!aborted && !totals.notReady &&
                (clockStart == 0 || !context.over(clockStart, System.nanoTime(), watch)))
            {
                session(context, state, stop, totals, report, watch);
            }
            injector.close();
            report.faults(injector);
            report.durationNanos(System.nanoTime() - (clockStart == 0 ? launched : clockStart));
            watch.check(report);
            if (clockStart != 0)
            {
                report.note(String.format(java.util.Locale.ROOT, "reader and writer ready %.1f s after the first " +
                    "start; the clock started then", (clockStart - launched) / 1e9));
            }
        }
        report.operations(totals.received);
        report.restarts(totals.sessions - 1);
        report.check(Check.exactly("numbers out of order, repeated or skipped", totals.gaps, 0));
        report.check(Check.exactly("sessions whose live reader saw no end of stream after the writer ended",
            totals.noEndOfStream, 0));
        report.check(Check.exactly("sessions whose reader ended short of the writer's last send (lost)", totals.lost, 0));
        report.check(Check.atMost("numbers received beyond the last acknowledged send <= writers killed",
            totals.beyond, totals.writersKilled));
        report.note(totals.sessions + " sessions; " + totals.writersKilled + " writers and " + totals.readersKilled +
            " readers killed");
    }

    /** Running totals over the sessions. */
    private static final class Totals
    {
        long sessions;
        long received;
        long gaps;
        long noEndOfStream;
        long lost;
        long beyond;
        long writersKilled;
        long readersKilled;
        boolean notReady;
    }

    private void session(final WorkloadContext context, final SharedLongArray state, final SharedEvent stop,
        final Totals totals, final WorkloadReport report, final StallWatch watch) throws Exception
    {
        try (Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(context.directory()).withDuplex(false)
            .withTransport(transport)))
        {
            totals.sessions++;
            for (int field = 0; field < FIELDS; field++)
            {
                state.set(field, 0);
            }
            stop.clear();
            final Connection readEnd = pipe.end1();
            final Connection writeEnd = pipe.end2();
            reader = IpcProcess.of((SerializableCallable<Long>)() -> read(readEnd, state))
                .name("pipe-reader").daemon(true).jvmOptions(WorkloadContext.CHRONICLE_JVM).start();
            writer = IpcProcess.of((SerializableCallable<Long>)() -> write(writeEnd, state, stop))
                .name("pipe-writer").daemon(true).jvmOptions(WorkloadContext.CHRONICLE_JVM).start();
            final long sessionStart = System.nanoTime();
            long stopDeadline = Long.MAX_VALUE;
            boolean stopping = false;
            boolean ready = false;
            while (reader.isAlive() || writer.isAlive())
            {
                final long now = System.nanoTime();
                if (!ready && readyPids().size() == 2)
                {
                    ready = true;
                    if (clockStart == 0)
                    {
                        clockStart = now;
                        watch.sample(now);      // the time spent starting is not ready time
                    }
                }
                if (!ready && !stopping && now - sessionStart > context.readyLimitNanos())
                {
                    report.problem("pipe session " + totals.sessions + ": reader and writer not both ready within " +
                        "the ready limit of " + context.options().readyLimit().toSeconds() + " s");
                    totals.notReady = true;
                    stop.set();
                }
                final boolean over = clockStart != 0 && context.over(clockStart, now, watch);
                if (!stopping && (over || exitedBySignal(reader) || aborted))
                {
                    stop.set();
                }
                if (!stopping && (stop.isSet() || !writer.isAlive()))
                {
                    stopping = true;
                    stopDeadline = context.stopDeadline();
                }
                if (stopping && now - stopDeadline >= 0)
                {
                    report.problem("pipe session " + totals.sessions + ": " + (writer.isAlive() ? "writer" : "reader") +
                        " still running long after the session ended (reader waiting for end of stream?): killed");
                    Signals.resume(reader.pid());
                    Signals.resume(writer.pid());
                    reader.kill();
                    writer.kill();
                    reader.join(30, TimeUnit.SECONDS);
                    writer.join(30, TimeUnit.SECONDS);
                    break;
                }
                watch.sample();
                LockSupport.parkNanos(WorkloadContext.SUPERVISE_NANOS);
            }
            account(totals, state, report);
        }
    }

    private void account(final Totals totals, final SharedLongArray state, final WorkloadReport report)
    {
        final boolean writerKilled = exitedBySignal(writer);
        final boolean readerKilled = exitedBySignal(reader);
        totals.writersKilled += writerKilled ? 1 : 0;
        totals.readersKilled += readerKilled ? 1 : 0;
        for (final IpcProcess<?> child : List.of(reader, writer))
        {
            final int code = child.exitCode().orElse(0);
            if (code > 0)
            {
                report.problem("pipe " + child.name() + " exited with " + code + ": " +
                    child.failure().map(Throwable::getMessage).orElse(""));
            }
        }
        final long sent = state.get(SENT);
        final long received = state.get(RECEIVED);
        totals.received += received;
        totals.gaps += state.get(GAPS);
        totals.beyond += Math.max(0, received - sent);
        if (!readerKilled)
        {
            totals.noEndOfStream += state.get(END_OF_STREAM) == 1 ? 0 : 1;
            totals.lost += received < sent ? 1 : 0;
        }
    }

    private static boolean exitedBySignal(final IpcProcess<?> child)
    {
        return !child.isAlive() && child.exitCode().orElse(0) < 0;
    }

    /**
     * Faults hit a session only once both its participants are ready: a reader killed while its writer's JVM is still
     * starting would end the session before it did anything, and on a busy machine every session could end so.
     */
    private List<Long> faultTargets()
    {
        final List<Long> pids = readyPids();
        return pids.size() == 2 ? pids : List.of();
    }

    /** The participants that have their ends (see the class comment). */
    private List<Long> readyPids()
    {
        final List<Long> pids = new ArrayList<>(2);
        final SharedLongArray state = sessionState;
        final IpcProcess<?> currentReader = reader;
        final IpcProcess<?> currentWriter = writer;
        if (state == null)
        {
            return pids;
        }
        if (currentReader != null && currentReader.isAlive() && state.getAcquire(READER_READY) == 1)
        {
            pids.add(currentReader.pid());
        }
        if (currentWriter != null && currentWriter.isAlive() && state.getAcquire(WRITER_READY) == 1)
        {
            pids.add(currentWriter.pid());
        }
        return pids;
    }

    /** The reader, in its child: reads until end of stream. */
    static long read(final Connection end, final SharedLongArray state) throws Exception
    {
        // Ready once its first call went through: Chronicle sets a reader up lazily, seconds on a busy machine.
        end.poll();
        state.setRelease(READER_READY, 1);
        long expected = 1;
        while (true)
        {
            final Object message;
            try
            {
                message = end.recv(WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException ex)
            {
                continue;
            }
            catch (final EOFException ex)
            {
                state.setRelease(END_OF_STREAM, 1);
                end.close();
                return expected - 1;
            }
            final long number = (Long)message;
            if (number != expected)
            {
                state.incrementAndGet(GAPS);
            }
            expected = number + 1;
            state.setRelease(RECEIVED, number);
        }
    }

    /** The writer, in its child: sends until told to stop, then closes its end. */
    static long write(final Connection end, final SharedLongArray state, final SharedEvent stop)
    {
        // Ready once its first send went through: Chronicle sets an appender up lazily, seconds on a busy machine.
        long number = 1;
        end.send(number);
        state.setRelease(SENT, number);
        state.setRelease(WRITER_READY, 1);
        while (!stop.isSet())
        {
            if (number - state.getAcquire(RECEIVED) >= WINDOW)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                continue;
            }
            end.send(++number);
            state.setRelease(SENT, number);
        }
        end.close();
        return number;
    }

    @Override
    public void abort()
    {
        aborted = true;
        for (final IpcProcess<?> child : new IpcProcess<?>[] {reader, writer})
        {
            if (child != null && child.isAlive())
            {
                Signals.resume(child.pid());
                child.kill();
            }
        }
    }
}
