package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One-way throughput between two JVMs: a producer child sends {@code messages} messages of {@code size} bytes (64
 * by default) as fast as it can, a consumer child receives them and checks that each carries the next sequence
 * number. Both start together through a {@link StartGate}; the time runs from the gate opening to the consumer's last
 * message, and the best of the rounds counts, in messages per second. Each round is a fresh channel and fresh JVMs;
 * before the gate the producer sends a tenth as many warm-up messages, which the consumer takes before it arrives,
 * so the channel is empty and both loops are compiled when timing starts. The channels are unbounded (Python's Pipe
 * is bounded by the OS pipe buffer). In one run:
 * <ul>
 *     <li>ipckit {@code Pipe}: a one-way pipe, {@code sendBytes} and {@code recvBytesInto}, default wait strategy
 *     and busy-spin ({@link PipeTransport});</li>
 *     <li>ipckit {@code Pipe} on the ring transport (its default 1 MiB ring, bounded: a full ring makes the producer
 *     wait), the same calls, beside its raw reference: one bare Agrona one-to-one ring, busy-polled
 *     ({@link RawRingTransport});</li>
 *     <li>ipckit {@code SharedQueue}: {@code put} and {@code take} of a {@code byte[]}, default wait and
 *     busy-spin;</li>
 *     <li>raw Chronicle: one bare journal, a bare appender and a busy-polling tailer
 *     ({@link RawChronicleTransport});</li>
 *     <li>Python (fork): {@code multiprocessing.Pipe(duplex=False)} with {@code send_bytes}/{@code recv_bytes}, and a
 *     {@code multiprocessing.Queue} with {@code put}/{@code get}, between two processes, likewise gated, checked and
 *     timed.</li>
 * </ul>
 * Ends with one markdown table with the ratios ipckit/raw and ipckit/Python.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine with 2 free cores:
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.MessageThroughput [messages] [rounds] [pythonMessages] [size]
 * </pre>
 * Defaults: 2,000,000 messages per round, 3 rounds, 200,000 Python messages per round (0 skips Python, as does a
 * missing {@code python3}), 64-byte messages. About two minutes.
 */
public final class MessageThroughput
{
    /** Warm-up messages are this fraction of the measured ones. */
    private static final int WARMUP_FRACTION = 10;

    private MessageThroughput()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args messages per round (default 2,000,000), rounds (3), Python messages per round (200,000; 0 skips
     *             Python), message size in bytes (64).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long messages = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final long pythonMessages = args.length > 2 ? Long.parseLong(args[2]) : 200_000L;
        final int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        checkSize(size);
        CrossProcessLock.printMachine();
        System.out.printf(Locale.ROOT, "one-way: %,d messages of %d B per round, best of %d rounds; " +
            "Python: %,d messages, 0 skips it%n", messages, size, rounds, pythonMessages);
        final Map<String, Double> best = measure(messages, rounds, size);
        printTable(size, best, python(pythonMessages, rounds, size));
    }

    /**
     * Runs the comparison without printing a table: the rows of the {@code ipckit bench} report. The progress goes
     * to standard output.
     *
     * @param messages       messages per round.
     * @param rounds         rounds; the best counts.
     * @param pythonMessages Python messages per round, 0 skips Python.
     * @param size           message size in bytes, at least 8.
     * @return the pipe's and the queue's row, in k messages per second.
     * @throws Exception when a run fails or a message arrives wrong.
     */
    public static List<ResultRow> rows(final long messages, final int rounds, final long pythonMessages, final int size)
        throws Exception
    {
        checkSize(size);
        final Map<String, Double> best = measure(messages, rounds, size);
        final Optional<Map<String, String>> python = python(pythonMessages, rounds, size);
        final double raw = thousands(best, Transports.rawChronicle());
        return List.of(
            ResultRow.higher(pipeIds(size), "Pipe one-way " + size + " B, 1 producer -> 1 consumer", "k msg/s",
                thousands(best, Transports.pipe(false)), thousands(best, Transports.pipe(true)), raw,
                PythonReference.number(python, "pipe_msgs_per_s") / 1e3),
            ResultRow.higher(ringIds(size), "Pipe (ring) one-way " + size + " B, 1 producer -> 1 consumer",
                "k msg/s", thousands(best, Transports.ringPipe(false)), thousands(best, Transports.ringPipe(true)),
                thousands(best, Transports.rawRing()), PythonReference.number(python, "pipe_msgs_per_s") / 1e3),
            ResultRow.higher(queueIds(size), "SharedQueue one-way " + size + " B, 1 producer -> 1 consumer",
                "k msg/s",
                thousands(best, Transports.sharedQueue(false)), thousands(best, Transports.sharedQueue(true)), raw,
                PythonReference.number(python, "queue_msgs_per_s") / 1e3),
            ResultRow.higher(ringQueueIds(size), "SharedQueue (ring) one-way " + size + " B, 1 producer -> 1 consumer",
                "k msg/s", thousands(best, Transports.ringQueue(false)), thousands(best, Transports.ringQueue(true)),
                thousands(best, Transports.rawRing()), PythonReference.number(python, "queue_msgs_per_s") / 1e3));
    }

    /**
     * @param size the message size; ids name it when it is not 64 bytes, say {@code pipe.journal.throughput.128b}.
     * @return the ids of the pipe's row: {@code pipe.journal.throughput} and its references at 64 bytes.
     */
    public static RowIds pipeIds(final int size)
    {
        final String sized = RowIds.qualifier(size, 64, "b");
        return RowIds.waits("pipe.journal.throughput" + sized, "raw.chronicle.throughput" + sized,
            "python.pipe.throughput" + sized);
    }

    /**
     * @param size the message size.
     * @return the ids of the ring pipe's row: {@code pipe.ring.throughput} and its raw reference, a bare Agrona
     *         ring, {@code raw.ring.throughput}, at 64 bytes.
     */
    public static RowIds ringIds(final int size)
    {
        final String sized = RowIds.qualifier(size, 64, "b");
        return RowIds.waits("pipe.ring.throughput" + sized, "raw.ring.throughput" + sized,
            "python.pipe.throughput" + sized);
    }

    /**
     * @param size the message size.
     * @return the ids of the ring queue's row, {@code queue.ring.throughput}; its raw reference is the ring pipe's (a
     *         bare Agrona ring, one producer and one consumer, as here).
     */
    public static RowIds ringQueueIds(final int size)
    {
        final String sized = RowIds.qualifier(size, 64, "b");
        return RowIds.waits("queue.ring.throughput" + sized, "raw.ring.throughput" + sized,
            "python.queue.throughput" + sized);
    }

    /**
     * @param size the message size.
     * @return the ids of the queue's row (its raw reference is the pipe's).
     */
    public static RowIds queueIds(final int size)
    {
        final String sized = RowIds.qualifier(size, 64, "b");
        return RowIds.waits("queue.journal.throughput" + sized, "raw.chronicle.throughput" + sized,
            "python.queue.throughput" + sized);
    }

    private static void checkSize(final int size)
    {
        if (size < Messages.SEQUENCE_BYTES)
        {
            throw new IllegalArgumentException("messages start at 8 bytes: " + size);
        }
    }

    /**
     * Every variant, round after round, printing each.
     *
     * @return the best messages per second by variant.
     */
    private static Map<String, Double> measure(final long messages, final int rounds, final int size)
        throws Exception
    {
        final List<Transport> transports = new ArrayList<>();
        transports.add(Transports.pipe(false));
        transports.add(Transports.pipe(true));
        transports.add(Transports.ringPipe(false));
        transports.add(Transports.ringPipe(true));
        transports.add(Transports.sharedQueue(false));
        transports.add(Transports.sharedQueue(true));
        transports.add(Transports.ringQueue(false));
        transports.add(Transports.ringQueue(true));
        transports.add(Transports.rawChronicle());
        transports.add(Transports.rawRing());

        final Map<String, Double> best = new LinkedHashMap<>();
        try (ScratchDirectory scratch = ScratchDirectory.create("throughput"))
        {
            for (int round = 1; round <= rounds; round++)
            {
                for (final Transport transport : transports)
                {
                    final double perSecond = run(transport, scratch, size, messages);
                    best.merge(transport.label(), perSecond, Math::max);
                    System.out.printf(Locale.ROOT, "round %d  %-28s %10.1f k msg/s%n",
                        round, transport.label(), perSecond / 1e3);
                }
            }
        }
        return best;
    }

    private static Optional<Map<String, String>> python(final long pythonMessages, final int rounds, final int size)
        throws Exception
    {
        if (pythonMessages <= 0)
        {
            System.out.println("Python reference skipped: pythonMessages is 0");
            return Optional.empty();
        }
        final Optional<Map<String, String>> python =
            PythonReference.run(PythonReference.MP_MESSAGING, "throughput", pythonMessages, rounds, size);
        python.ifPresent(p -> System.out.printf("Python %s, multiprocessing start method %s%n",
            p.get("python"), p.get("start_method")));
        return python;
    }

    /**
     * One round of one variant: a fresh one-way channel, a producer child and a consumer child.
     *
     * @return messages per second.
     */
    private static double run(
        final Transport transport, final ScratchDirectory scratch, final int size, final long messages)
        throws Exception
    {
        final String name = scratch.nextName("tp");
        try (Channel channel = transport.create(scratch.path(), name, false);
            SharedRegion region = SharedRegion.create("bench-" + name + "-" + ProcessHandle.current().pid(), 1 << 16))
        {
            final StartGate gate = StartGate.create(region, 2);
            final Channel.Opener first = channel.first();
            final Channel.Opener second = channel.second();
            final long warmup = messages / WARMUP_FRACTION;
            final List<IpcProcess<Void>> children = List.of(
                IpcProcess.of(() -> produce(first, size, warmup, messages, gate, 0))
                    .name("producer-" + name).daemon(true),
                IpcProcess.of(() -> consume(second, size, warmup, messages, gate, 1))
                    .name("consumer-" + name).daemon(true));
            return messages * 1e9 / gate.run(children);
        }
    }

    private static void produce(
        final Channel.Opener opener, final int size, final long warmup, final long messages, final StartGate gate,
        final int index)
    {
        try (Endpoint end = opener.open())
        {
            final byte[] message = new byte[size];
            send(end, message, 0, warmup);
            gate.await();
            send(end, message, warmup, warmup + messages);
            gate.finished(index);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static void consume(
        final Channel.Opener opener, final int size, final long warmup, final long messages, final StartGate gate,
        final int index)
    {
        try (Endpoint end = opener.open())
        {
            final byte[] message = new byte[size];
            receive(end, message, 0, warmup);
            gate.await();
            receive(end, message, warmup, warmup + messages);
            gate.finished(index);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static void send(final Endpoint end, final byte[] message, final long from, final long to)
        throws InterruptedException
    {
        for (long i = from; i < to; i++)
        {
            Messages.sequence(message, i);
            end.send(message);
        }
    }

    private static void receive(final Endpoint end, final byte[] message, final long from, final long to)
        throws InterruptedException
    {
        for (long i = from; i < to; i++)
        {
            Messages.checkLength(end.receive(message), message.length);
            if (Messages.sequence(message) != i)
            {
                throw new IllegalStateException("expected message " + i + ", received " + Messages.sequence(message));
            }
        }
    }

    private static void printTable(
        final int size, final Map<String, Double> best, final Optional<Map<String, String>> python)
    {
        final double raw = best.get(Transports.rawChronicle().label()) / 1e3;
        final ResultTable table = new ResultTable("raw Chronicle");
        table.row("Pipe one-way " + size + " B [k msg/s]", 1, thousands(best, Transports.pipe(false)),
            thousands(best, Transports.pipe(true)), raw, PythonReference.number(python, "pipe_msgs_per_s") / 1e3);
        table.row("Pipe (ring) one-way " + size + " B [k msg/s], raw = Agrona ring", 1,
            thousands(best, Transports.ringPipe(false)), thousands(best, Transports.ringPipe(true)),
            thousands(best, Transports.rawRing()), PythonReference.number(python, "pipe_msgs_per_s") / 1e3);
        table.row("SharedQueue one-way " + size + " B [k msg/s]", 1,
            thousands(best, Transports.sharedQueue(false)), thousands(best, Transports.sharedQueue(true)), raw,
            PythonReference.number(python, "queue_msgs_per_s") / 1e3);
        table.row("SharedQueue (ring) one-way " + size + " B [k msg/s], raw = Agrona ring", 1,
            thousands(best, Transports.ringQueue(false)), thousands(best, Transports.ringQueue(true)),
            thousands(best, Transports.rawRing()), PythonReference.number(python, "queue_msgs_per_s") / 1e3);
        table.note("One producer JVM -> one consumer JVM, from the start gate to the consumer's last message, best " +
            "of the rounds. Throughput: higher is better; the goal is ipckit/raw >= 0.8.");
        table.note("raw Chronicle: one bare journal, an appender and a busy-polling tailer. Python: " +
            "multiprocessing.Pipe(duplex=False) send_bytes/recv_bytes (Pipe row), multiprocessing.Queue put/get " +
            "(SharedQueue row).");
        table.print();
    }

    private static double thousands(final Map<String, Double> best, final Transport transport)
    {
        return best.getOrDefault(transport.label(), Double.NaN) / 1e3;
    }
}
