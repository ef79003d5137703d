package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.value.SharedLong;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Many producers, many consumers, one queue: {@code producers} child JVMs (2 by default) each put
 * {@code perProducer} messages of {@code size} bytes (64) into one ipckit {@code SharedQueue}, and {@code consumers}
 * child JVMs (2) take them, each message by exactly one consumer. The time runs from the start gate opening to the
 * last consumer's end; the figure is the measured messages over that time (best of the rounds; a fresh queue and
 * fresh JVMs each round).
 * <p>
 * Ending and checking: each message carries its producer's index and sequence number; a producer puts a DONE message
 * after its last one. A consumer that takes a DONE counts it in a shared counter; the one that takes the last DONE
 * knows every message was taken (each producer's messages come out in order) and puts a STOP for each other consumer.
 * Consumers check that each producer's numbers rise and report count and sum, which must add up to every message
 * exactly once.
 * <p>
 * Warm-up: before the gate, the same exchange runs once with a tenth as many messages per producer (its own DONE
 * counter), so the queue is empty and every loop compiled when timing starts. Python runs without one (no JIT).
 * <p>
 * In one run:
 * <ul>
 *     <li>ipckit {@code SharedQueue} (competing consumers), default wait strategy and busy-spin (with more spinning
 *     processes than cores, busy-spin mostly measures the scheduler);</li>
 *     <li>raw Chronicle, <b>not the same work</b>: the producers append to one bare journal (Chronicle's own write
 *     lock orders them) and each consumer's bare tailer reads <em>every</em> message (broadcast; a consumer stops
 *     after every producer's DONE). Chronicle has no competing consumers; this is the journal's cost without the
 *     claim that hands each message to one consumer. Its figure also counts each message once;</li>
 *     <li>Python (fork): the same protocol over one {@code multiprocessing.Queue}, {@code put}/{@code get}.</li>
 * </ul>
 * Ends with one markdown table with the ratios ipckit/raw and ipckit/Python.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine:
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.QueueFanIn [perProducer] [rounds] [pythonPerProducer] [producers] [consumers] [size]
 * </pre>
 * Defaults: 500,000 messages per producer, 3 rounds, 50,000 Python messages per producer (0 skips Python, as does a
 * missing {@code python3}), 2 producers, 2 consumers, 64-byte messages. A few minutes.
 */
public final class QueueFanIn
{
    private static final int MIN_SIZE = 2 * Long.BYTES;
    /** Warm-up messages are this fraction of the measured ones. */
    private static final int WARMUP_FRACTION = 10;

    /**
     * How the consumers of a variant share the messages.
     */
    private enum Sharing
    {
        /** Each message goes to one consumer. */
        COMPETING,
        /** Each consumer reads every message. */
        BROADCAST
    }

    private QueueFanIn()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args messages per producer (default 500,000), rounds (3), Python messages per producer (50,000; 0 skips
     *             Python), producers (2), consumers (2), message size in bytes (64, at least 16).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long perProducer = args.length > 0 ? Long.parseLong(args[0]) : 500_000L;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final long pythonPerProducer = args.length > 2 ? Long.parseLong(args[2]) : 50_000L;
        final int producers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        final int consumers = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        final int size = args.length > 5 ? Integer.parseInt(args[5]) : 64;
        checkShape(size, producers, consumers);
        CrossProcessLock.printMachine();
        System.out.printf(Locale.ROOT, "%d producers x %,d messages of %d B, %d consumers, best of %d rounds; " +
            "Python: %,d per producer, 0 skips it%n",
            producers, perProducer, size, consumers, rounds, pythonPerProducer);
        final Map<String, Double> best = measure(perProducer, rounds, producers, consumers, size);
        final Optional<Map<String, String>> python =
            python(pythonPerProducer, rounds, producers, consumers, size);

        final ResultTable table = new ResultTable("raw Chronicle");
        table.row(producers + "x" + consumers + " queue, " + size + " B [k msg/s]", 1,
            best.get(Transports.sharedQueue(false).label()) / 1e3,
            best.get(Transports.sharedQueue(true).label()) / 1e3,
            best.get(Transports.rawChronicle().label()) / 1e3,
            PythonReference.number(python, "queue_msgs_per_s") / 1e3);
        table.row(producers + "x" + consumers + " ring queue, " + size + " B [k msg/s]", 1,
            best.get(Transports.ringQueue(false).label()) / 1e3,
            best.get(Transports.ringQueue(true).label()) / 1e3,
            ResultRow.NONE, PythonReference.number(python, "queue_msgs_per_s") / 1e3);
        table.note(producers + " producer JVMs -> one queue -> " + consumers + " consumer JVMs, each message taken " +
            "once; measured messages over the time from the start gate to the last consumer's end, best of the " +
            "rounds. Higher is better.");
        table.note("raw Chronicle is broadcast, not the same work: " + producers + " bare appenders into one " +
            "journal, each of " + consumers + " bare tailers reads every message (its figure counts each message " +
            "once). ipckit/raw is the price of handing each message to exactly one consumer.");
        table.note("Python: one multiprocessing.Queue, put/get, the same DONE/STOP protocol.");
        table.print();
    }

    /**
     * Runs the comparison without printing a table: the row of the {@code ipckit bench} report. The progress goes
     * to standard output.
     *
     * @param perProducer       messages per producer.
     * @param rounds            rounds; the best counts.
     * @param pythonPerProducer Python messages per producer, 0 skips Python.
     * @param producers         producer processes.
     * @param consumers         consumer processes.
     * @param size              message size in bytes, at least 16.
     * @return one row, in k messages per second; the raw figure is Chronicle's broadcast.
     * @throws Exception when a run fails or a message is lost or repeated.
     */
    public static List<ResultRow> rows(
        final long perProducer, final int rounds, final long pythonPerProducer, final int producers,
        final int consumers, final int size) throws Exception
    {
        checkShape(size, producers, consumers);
        final Map<String, Double> best = measure(perProducer, rounds, producers, consumers, size);
        final Optional<Map<String, String>> python =
            python(pythonPerProducer, rounds, producers, consumers, size);
        return List.of(ResultRow.higher(ids(producers, consumers, size),
            producers + " producers -> 1 SharedQueue -> " + consumers + " consumers, " + size + " B", "k msg/s",
            best.get(Transports.sharedQueue(false).label()) / 1e3,
            best.get(Transports.sharedQueue(true).label()) / 1e3,
            best.get(Transports.rawChronicle().label()) / 1e3,
            PythonReference.number(python, "queue_msgs_per_s") / 1e3),
            ResultRow.higher(ringIds(producers, consumers, size),
            producers + " producers -> 1 ring SharedQueue -> " + consumers + " consumers, " + size + " B", "k msg/s",
            best.get(Transports.ringQueue(false).label()) / 1e3,
            best.get(Transports.ringQueue(true).label()) / 1e3,
            ResultRow.NONE, ResultRow.NONE));
    }

    /**
     * @param producers producer processes.
     * @param consumers consumer processes.
     * @param size      the message size; ids name it when it is not 64 bytes.
     * @return the ids of the ring row of {@link #rows}, say {@code queue.ring.throughput.2x2}: no raw reference (Agrona
     *         has no ring with competing consumers), Python's figure is on the journal row.
     */
    public static RowIds ringIds(final int producers, final int consumers, final int size)
    {
        return RowIds.waits("queue.ring.throughput." + producers + "x" + consumers + RowIds.qualifier(size, 64, "b"),
            null, null);
    }

    /**
     * @param producers producer processes.
     * @param consumers consumer processes.
     * @param size      the message size; ids name it when it is not 64 bytes.
     * @return the ids of the row of {@link #rows}, say {@code queue.journal.throughput.2x2}; the raw figure is
     *         Chronicle's broadcast ({@code raw.chronicle.broadcast.2x2}), not the same work.
     */
    public static RowIds ids(final int producers, final int consumers, final int size)
    {
        final String shape = "." + producers + "x" + consumers + RowIds.qualifier(size, 64, "b");
        return RowIds.waits("queue.journal.throughput" + shape, "raw.chronicle.broadcast" + shape,
            "python.queue.throughput" + shape);
    }

    private static void checkShape(final int size, final int producers, final int consumers)
    {
        if (size < MIN_SIZE || producers < 1 || consumers < 1)
        {
            throw new IllegalArgumentException("need size >= 16, producers >= 1, consumers >= 1");
        }
    }

    /**
     * Every variant, round after round, printing each.
     *
     * @return the best messages per second by variant.
     */
    private static Map<String, Double> measure(
        final long perProducer, final int rounds, final int producers, final int consumers, final int size)
        throws Exception
    {
        final Map<Transport, Sharing> variants = new LinkedHashMap<>();
        variants.put(Transports.sharedQueue(false), Sharing.COMPETING);
        variants.put(Transports.sharedQueue(true), Sharing.COMPETING);
        variants.put(Transports.ringQueue(false), Sharing.COMPETING);
        variants.put(Transports.ringQueue(true), Sharing.COMPETING);
        variants.put(Transports.rawChronicle(), Sharing.BROADCAST);

        final Map<String, Double> best = new LinkedHashMap<>();
        try (ScratchDirectory scratch = ScratchDirectory.create("fanin"))
        {
            for (int round = 1; round <= rounds; round++)
            {
                for (final Map.Entry<Transport, Sharing> variant : variants.entrySet())
                {
                    final Transport transport = variant.getKey();
                    final double perSecond = run(
                        transport, variant.getValue(), scratch, size, producers, consumers, perProducer);
                    best.merge(transport.label(), perSecond, Math::max);
                    System.out.printf(Locale.ROOT, "round %d  %-28s %10.1f k msg/s%s%n", round, transport.label(),
                        perSecond / 1e3, variant.getValue() == Sharing.BROADCAST ? "  (broadcast)" : "");
                }
            }
        }
        return best;
    }

    private static Optional<Map<String, String>> python(
        final long pythonPerProducer, final int rounds, final int producers, final int consumers, final int size)
        throws Exception
    {
        if (pythonPerProducer <= 0)
        {
            System.out.println("Python reference skipped: pythonPerProducer is 0");
            return Optional.empty();
        }
        final Optional<Map<String, String>> python = PythonReference.run(
            PythonReference.MP_MESSAGING, "fanin", pythonPerProducer, rounds, size, producers, consumers);
        python.ifPresent(p -> System.out.printf("Python %s, multiprocessing start method %s%n",
            p.get("python"), p.get("start_method")));
        return python;
    }

    /**
     * One round of one variant: a fresh one-way channel, the producers and the consumers.
     *
     * @return all messages over the time from the gate opening to the last consumer's end, per second.
     */
    private static double run(
        final Transport transport, final Sharing sharing, final ScratchDirectory scratch, final int size,
        final int producers, final int consumers, final long perProducer) throws Exception
    {
        final String name = scratch.nextName("fan");
        try (Channel channel = transport.create(scratch.path(), name, false);
            SharedRegion region = SharedRegion.create("bench-" + name + "-" + ProcessHandle.current().pid(), 1 << 16))
        {
            final StartGate gate = StartGate.create(region, producers + consumers);
            final long warmup = perProducer / WARMUP_FRACTION;
            final Phases phases = new Phases(sharing, producers, consumers, warmup, perProducer,
                SharedLong.create(region, "warmup-done-taken", 0), SharedLong.create(region, "done-taken", 0));
            final Channel.Opener first = channel.first();
            final Channel.Opener second = channel.second();
            final List<IpcProcess<?>> children = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final int index = p;
                children.add(IpcProcess.of(() -> phases.produce(first, size, gate, index))
                    .name("producer-" + index + "-" + name).daemon(true));
            }
            final List<IpcProcess<long[]>> consumerProcesses = new ArrayList<>();
            for (int c = 0; c < consumers; c++)
            {
                final int index = producers + c;
                final IpcProcess<long[]> process = IpcProcess.of(
                    (SerializableCallable<long[]>)() -> phases.consume(first, second, size, gate, index))
                    .name("consumer-" + c + "-" + name).daemon(true);
                consumerProcesses.add(process);
                children.add(process);
            }
            final long elapsed = gate.run(children);
            check(sharing, consumerProcesses, producers, warmup + perProducer);
            return producers * perProducer * 1e9 / elapsed;
        }
    }

    /**
     * Every message exactly once: competing consumers together took each message once; broadcast consumers each
     * read every message. Warm-up messages included.
     */
    private static void check(
        final Sharing sharing, final List<IpcProcess<long[]>> consumers, final int producers, final long perProducer)
    {
        final long count = producers * perProducer;
        final long sum = producers * (perProducer * (perProducer - 1) / 2);
        long totalCount = 0;
        long totalSum = 0;
        for (final IpcProcess<long[]> consumer : consumers)
        {
            final long[] taken = consumer.result();
            if (sharing == Sharing.BROADCAST && (taken[0] != count || taken[1] != sum))
            {
                throw new IllegalStateException(consumer.name() + " read " + taken[0] + " messages, expected " + count);
            }
            totalCount += taken[0];
            totalSum += taken[1];
        }
        if (sharing == Sharing.COMPETING && (totalCount != count || totalSum != sum))
        {
            throw new IllegalStateException("consumers took " + totalCount + " messages, expected " + count +
                " each once (sequence sum " + totalSum + ", expected " + sum + ")");
        }
    }

    /**
     * The tasks of a variant's producers and consumers: a warm-up exchange before the start gate, the measured one
     * after it, each ended by DONE messages. Sequence numbers run on from the warm-up into the measured messages.
     *
     * @param sharing         how consumers share the messages.
     * @param producers       the number of producers.
     * @param consumers       the number of consumers.
     * @param warmup          warm-up messages per producer.
     * @param perProducer     measured messages per producer.
     * @param warmupDoneTaken DONE messages of the warm-up taken so far, by all consumers (competing only).
     * @param doneTaken       DONE messages of the measured exchange taken so far (competing only).
     */
    private record Phases(
        Sharing sharing, int producers, int consumers, long warmup, long perProducer, SharedLong warmupDoneTaken,
        SharedLong doneTaken) implements Serializable
    {
        /**
         * A producer's task.
         */
        void produce(final Channel.Opener opener, final int size, final StartGate gate, final int index)
        {
            try (Endpoint end = opener.open())
            {
                final byte[] message = new byte[size];
                Messages.producer(message, index);
                send(end, message, 0, warmup);
                gate.await();
                send(end, message, warmup, warmup + perProducer);
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
            Messages.sequence(message, Messages.DONE);
            end.send(message);
        }

        /**
         * A consumer's task.
         *
         * @return the number of messages taken and the sum of their sequence numbers, warm-up included.
         */
        long[] consume(
            final Channel.Opener sender, final Channel.Opener receiver, final int size, final StartGate gate,
            final int index) throws InterruptedException
        {
            final long[] last = new long[producers];
            Arrays.fill(last, -1);
            final long[] taken = new long[2];
            try (Endpoint in = receiver.open();
                Endpoint out = sharing == Sharing.COMPETING ? sender.open() : null)
            {
                final byte[] message = new byte[size];
                take(in, out, message, warmupDoneTaken, last, taken);
                gate.await();
                take(in, out, message, doneTaken, last, taken);
                gate.finished(index);
            }
            return taken;
        }

        /**
         * Takes messages until this exchange is over: competing, until this consumer took the last DONE or a STOP;
         * broadcast, until it read every producer's DONE.
         */
        private void take(
            final Endpoint in, final Endpoint out, final byte[] message, final SharedLong dones, final long[] last,
            final long[] taken) throws InterruptedException
        {
            int donesRead = 0;
            while (true)
            {
                Messages.checkLength(in.receive(message), message.length);
                final long sequence = Messages.sequence(message);
                final int producer = Messages.producer(message);
                if (sequence >= 0)
                {
                    final boolean inOrder = sharing == Sharing.BROADCAST ?
                        sequence == last[producer] + 1 : sequence > last[producer];
                    if (!inOrder)
                    {
                        throw new IllegalStateException(
                            "producer " + producer + "'s message " + sequence + " after " + last[producer]);
                    }
                    last[producer] = sequence;
                    taken[0]++;
                    taken[1] += sequence;
                }
                else if (sequence == Messages.DONE)
                {
                    if (sharing == Sharing.BROADCAST)
                    {
                        if (++donesRead == producers)
                        {
                            return;
                        }
                    }
                    else if (dones.incrementAndGet() == producers)
                    {
                        // Each producer's messages come out in order: with every DONE taken, all were taken.
                        Messages.sequence(message, Messages.STOP);
                        for (int i = 1; i < consumers; i++)
                        {
                            out.send(message);
                        }
                        return;
                    }
                }
                else
                {
                    return;
                }
            }
        }
    }
}
