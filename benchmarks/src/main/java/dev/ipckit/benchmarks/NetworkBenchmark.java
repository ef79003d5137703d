package dev.ipckit.benchmarks;

import dev.ipckit.net.Client;
import dev.ipckit.net.Listener;
import dev.ipckit.net.NetConnection;
import dev.ipckit.net.NetOptions;
import dev.ipckit.net.Network;
import dev.ipckit.net.PoolServer;
import dev.ipckit.net.QueueServer;
import dev.ipckit.net.RemoteWorker;
import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.WorkerDiedException;
import dev.ipckit.net.RemoteQueue;
import dev.ipckit.codec.Codecs;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.WaitStrategy;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Two JVMs talking over loopback UDP as two hosts would, each with its own embedded media driver:
 * <ul>
 *     <li>ipckit's {@code NetConnection} ({@code Listener}/{@code Client}), default wait and busy-spin: round trips of
 *     8 bytes ({@code sendBytes}, {@code recvBytesInto}) one at a time, p50 and p99; 64-byte messages one way,
 *     from the first send to the receiver's acknowledgement of the last; the time to connect (handshake included);</li>
 *     <li>raw Aeron in the same configuration: an exclusive publication and a subscription each way on the same
 *     embedded driver, run by the polling thread ({@code NetDriver.invoke()}), busy-polled;</li>
 *     <li>the floor: two {@link DatagramChannel}s, non-blocking, each busy-polling for the other's datagram;</li>
 *     <li>Python: {@code multiprocessing.connection.Listener}/{@code Client} over TCP with an authkey.</li>
 * </ul>
 * The child is an {@link IpcProcess} started by spawn for each variant; the parent times. Run it from the shaded jar
 * with the ipckit JVM flags, on a quiet machine:
 * <pre>
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.NetworkBenchmark [roundTrips] [messages] [pythonScale]
 * </pre>
 */
public final class NetworkBenchmark
{
    /** Round trip p50: ipckit, raw Aeron (same driver configuration), Python. */
    public static final RowIds RTT_P50_IDS =
        RowIds.waits("remote.pipe.rtt.p50", "remote.raw.rtt.p50", "python.remote.rtt.p50");
    /** Round trip p99. */
    public static final RowIds RTT_P99_IDS =
        RowIds.waits("remote.pipe.rtt.p99", "remote.raw.rtt.p99", "python.remote.rtt.p99");
    /** The UDP floor's p50, in the raw column. */
    public static final RowIds FLOOR_P50_IDS = RowIds.single(null, "floor.udp.rtt.p50", null);
    /** The UDP floor's p99. */
    public static final RowIds FLOOR_P99_IDS = RowIds.single(null, "floor.udp.rtt.p99", null);
    /** 64-byte messages one way. */
    public static final RowIds THROUGHPUT_IDS =
        RowIds.waits("remote.pipe.throughput", "remote.raw.throughput", "python.remote.throughput");
    /** Client connect, handshake included, median. */
    public static final RowIds CONNECT_IDS = RowIds.single("remote.connect", null, "python.remote.connect");
    /** A served queue: 2 remote producers, 2 remote consumers, beside Python's remote-manager queue. */
    public static final RowIds QUEUE_IDS =
        RowIds.single("remote.queue.throughput", null, "python.remote.queue.throughput");
    /** A pool's {@code apply(inc, i)} round trip through a worker that joined from another host (a JVM), p50. */
    public static final RowIds REMOTE_POOL_IDS = RowIds.single("remote.pool.rtt.p50", null, null);
    /**
     * From SIGKILL of a remote worker running a task to that task's failure, median of {@value #KILLS}; the raw column
     * holds the liveness timeout it is measured against.
     */
    public static final RowIds WORKER_LOST_IDS = RowIds.single("remote.pool.worker.lost", "remote.liveness.timeout",
        null);
    /** Every id of {@link #rows}, in row order. */
    public static final List<RowIds> IDS = List.of(RTT_P50_IDS, RTT_P99_IDS, FLOOR_P50_IDS, FLOOR_P99_IDS,
        THROUGHPUT_IDS, CONNECT_IDS, QUEUE_IDS, REMOTE_POOL_IDS, WORKER_LOST_IDS);

    private static final byte[] KEY = "the benchmark's key, 32 bytes..".getBytes(StandardCharsets.US_ASCII);
    private static final String LOOPBACK = "127.0.0.1:0";
    private static final int RTT_BYTES = Messages.SEQUENCE_BYTES;
    private static final int THROUGHPUT_BYTES = 64;
    private static final int STREAM_ID = 1001;
    private static final int CONNECTS = 5;
    private static final int KILLS = 3;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** No loop of a child or of the parent runs longer than this. */
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final Duration CHILD_WAIT = Duration.ofSeconds(120);

    private NetworkBenchmark()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args recorded round trips per variant (default 100,000), one-way messages (1,000,000), Python's share
     *             of both (1.0; 0 skips Python).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long roundTrips = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
        final long messages = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        final double pythonScale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        CrossProcessLock.printMachine();
        final ResultTable table = new ResultTable("raw Aeron / UDP floor");
        for (final ResultRow row : rows(roundTrips, messages, pythonScale))
        {
            table.row(row.operation() + ", " + row.unit(), 2, row.figure(Variant.IPCKIT),
                row.figure(Variant.IPCKIT_BUSY_SPIN), row.figure(Variant.RAW), row.figure(Variant.PYTHON));
        }
        table.print();
    }

    /**
     * Runs every variant; progress to standard output.
     *
     * @param roundTrips  recorded round trips per variant, after a quarter as many unrecorded.
     * @param messages    one-way messages per variant, after a tenth as many unmeasured.
     * @param pythonScale Python's share of both counts; 0 skips Python.
     * @return the rows: µs for round trips, k msg/s for throughput, ms for connect.
     * @throws Exception when a variant fails or a message comes back wrong.
     */
    public static List<ResultRow> rows(final long roundTrips, final long messages, final double pythonScale)
        throws Exception
    {
        final long warmup = Math.max(1, roundTrips / 4);
        final Histogram ipckit = ipckitRoundTrips(WaitStrategy.backoff(), roundTrips, warmup);
        final Histogram ipckitSpin = ipckitRoundTrips(WaitStrategy.busySpin(), roundTrips, warmup);
        final Histogram raw = rawRoundTrips(roundTrips, warmup);
        final Histogram floor = udpRoundTrips(roundTrips, warmup);
        final long messagesWarmup = Math.max(1, messages / 10);
        final double throughput = ipckitThroughput(WaitStrategy.backoff(), messages, messagesWarmup);
        final double throughputSpin = ipckitThroughput(WaitStrategy.busySpin(), messages, messagesWarmup);
        final double rawThroughput = rawThroughput(messages, messagesWarmup);
        final double connect = connectMillis();
        final long queueMessages = Math.max(2, messages / 20);
        final double queue = servedQueueThroughput(queueMessages);
        final double[] remotePool = remotePool(Math.max(100, roundTrips / 10));
        print("ipckit default", ipckit);
        print("ipckit busy-spin", ipckitSpin);
        print("raw Aeron", raw);
        print("UDP floor", floor);
        System.out.printf(Locale.ROOT, "one way, %d B: ipckit %.0f k msg/s, busy-spin %.0f, raw Aeron %.0f; " +
            "connect %.2f ms; served queue 2x2 %.1f k msg/s; remote pool apply p50 %.1f µs; a killed remote " +
            "worker's task failed after %.0f ms (liveness timeout %.0f ms)%n", THROUGHPUT_BYTES, throughput,
            throughputSpin, rawThroughput, connect, queue, remotePool[0], remotePool[1], remotePool[2]);

        final Optional<Map<String, String>> python;
        if (pythonScale > 0)
        {
            final long pythonTrips = Math.max(100, (long)(roundTrips * pythonScale / 5));
            final long pythonMessages = Math.max(1_000, (long)(messages * pythonScale / 10));
            python = PythonReference.run(PythonReference.MP_REMOTE, pythonTrips, Math.max(1, pythonTrips / 4),
                pythonMessages, CONNECTS, Math.max(2, (long)(queueMessages * pythonScale)));
        }
        else
        {
            System.out.println("Python reference skipped: pythonScale is 0");
            python = Optional.empty();
        }
        final List<ResultRow> rows = new ArrayList<>();
        rows.add(ResultRow.lower(RTT_P50_IDS, "network round trip 8 B over loopback UDP, p50 (Python: TCP)", "µs",
                micros(ipckit, 50), micros(ipckitSpin, 50), micros(raw, 50),
                PythonReference.number(python, "remote_rtt_p50_us"))
            .withCurve(Variant.IPCKIT, LatencyCurve.micros(ipckit))
            .withCurve(Variant.IPCKIT_BUSY_SPIN, LatencyCurve.micros(ipckitSpin))
            .withCurve(Variant.RAW, LatencyCurve.micros(raw)));
        rows.add(ResultRow.lower(RTT_P99_IDS, "network round trip 8 B over loopback UDP, p99 (Python: TCP)", "µs",
            micros(ipckit, 99), micros(ipckitSpin, 99), micros(raw, 99),
            PythonReference.number(python, "remote_rtt_p99_us")));
        rows.add(ResultRow.lower(FLOOR_P50_IDS, "floor: busy-polled UDP ping-pong, 8 B, p50", "µs",
            ResultRow.NONE, ResultRow.NONE, micros(floor, 50), ResultRow.NONE).withCurve(Variant.RAW,
            LatencyCurve.micros(floor)));
        rows.add(ResultRow.lower(FLOOR_P99_IDS, "floor: busy-polled UDP ping-pong, 8 B, p99", "µs",
            ResultRow.NONE, ResultRow.NONE, micros(floor, 99), ResultRow.NONE));
        rows.add(ResultRow.higher(THROUGHPUT_IDS, "network one way, 64 B messages (Python: TCP)", "k msg/s",
            throughput, throughputSpin, rawThroughput, PythonReference.number(python, "remote_throughput_kmsgs")));
        rows.add(ResultRow.lower(CONNECT_IDS, "network connect with the authkey handshake, median", "ms",
            connect, ResultRow.NONE, ResultRow.NONE, PythonReference.number(python, "remote_connect_ms")));
        rows.add(ResultRow.higher(QUEUE_IDS, "served queue: 2 remote producers -> 2 remote consumers, 64 B " +
            "(Python: a BaseManager's queue)", "k msg/s", queue, ResultRow.NONE, ResultRow.NONE,
            PythonReference.number(python, "remote_queue_kmsgs")));
        rows.add(ResultRow.lower(REMOTE_POOL_IDS, "pool apply(inc, i) through a worker on another host (a JVM), p50",
            "µs", remotePool[0], ResultRow.NONE, ResultRow.NONE, ResultRow.NONE));
        rows.add(ResultRow.lower(WORKER_LOST_IDS, "remote worker SIGKILLed -> its task failed, median (raw column: " +
            "the liveness timeout)", "ms", remotePool[1], ResultRow.NONE, remotePool[2], ResultRow.NONE));
        return rows;
    }

    /**
     * A pool whose one worker joined from another JVM over loopback UDP: {@code calls} {@code apply(inc, i)} round
     * trips after a quarter as many unrecorded; then {@value #KILLS} times a worker running a long task is SIGKILLed
     * and the time to the task's failure taken.
     *
     * @return the round trip's p50 in µs, the median time to failure in ms, the liveness timeout in ms.
     */
    private static double[] remotePool(final long calls) throws Exception
    {
        final ProcessPool pool = ProcessPool.create(PoolOptions.defaults().withWorkers(0).withRemoteWorkers(1)
            .withName("bench-remote"));
        try (PoolServer server = PoolServer.serve(pool, LOOPBACK, KEY, NetOptions.defaults()))
        {
            final String address = server.address();
            IpcProcess<Integer> worker = joinedWorker(pool, address);
            final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            final long warmup = Math.max(1, calls / 4);
            for (long i = 0; i < warmup + calls; i++)
            {
                final long start = System.nanoTime();
                final int answer = pool.apply((Integer n) -> n + 1, (int)i);
                final long took = System.nanoTime() - start;
                if (answer != (int)i + 1)
                {
                    throw new IllegalStateException("the remote worker answered " + answer + " to " + i);
                }
                if (i >= warmup)
                {
                    histogram.recordValue(Math.min(took, HIGHEST_TRACKABLE_NANOS));
                }
                overdue(deadline, "remote pool round trips");
            }
            final double[] lost = new double[KILLS];
            for (int k = 0; k < KILLS; k++)
            {
                if (k > 0)
                {
                    worker = joinedWorker(pool, address);
                }
                final CompletableFuture<Integer> running = pool.applyAsync(() ->
                {
                    Thread.sleep(120_000);
                    return 0;
                });
                Thread.sleep(300); // it has started (the round trip is microseconds)
                final long killed = System.nanoTime();
                worker.kill();
                try
                {
                    running.get(60, TimeUnit.SECONDS);
                    throw new IllegalStateException("the killed remote worker's task did not fail");
                }
                catch (final ExecutionException ex)
                {
                    if (!(ex.getCause() instanceof WorkerDiedException))
                    {
                        throw ex;
                    }
                    lost[k] = (System.nanoTime() - killed) / 1e6;
                }
                while (pool.remoteWorkerCount() > 0)
                {
                    overdue(deadline, "the lost worker's seat to be free");
                    Thread.sleep(5);
                }
            }
            Arrays.sort(lost);
            return new double[] {micros(histogram, 50), lost[KILLS / 2], Network.livenessTimeout().toMillis()};
        }
        finally
        {
            pool.close();
        }
    }

    /** Starts a worker JVM that joins the pool, and waits until it has run a task. */
    private static IpcProcess<Integer> joinedWorker(final ProcessPool pool, final String address) throws Exception
    {
        final IpcProcess<Integer> worker = IpcProcess.of((SerializableCallable<Integer>)() ->
            RemoteWorker.exitCodeOf(RemoteWorker.run(address, KEY, NetOptions.defaults()))).name("bench-remote-worker")
            .start();
        final long pid = pool.apply(() -> ProcessHandle.current().pid());
        if (pid != worker.pid())
        {
            throw new IllegalStateException("a task ran in pid " + pid + ", not in the remote worker " + worker.pid());
        }
        return worker;
    }

    private static double micros(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    private static void print(final String label, final Histogram histogram)
    {
        System.out.printf(Locale.ROOT, "%-18s round trip %d B: p50 %.2f µs, p99 %.2f µs, max %.1f µs%n", label,
            RTT_BYTES, micros(histogram, 50), micros(histogram, 99), histogram.getMaxValue() / 1e3);
    }

    private static NetOptions options(final WaitStrategy wait)
    {
        return NetOptions.defaults().withWaitStrategy(wait);
    }

    private static <T> T finished(final IpcProcess<T> child) throws Exception
    {
        if (!child.join(CHILD_WAIT))
        {
            child.kill();
            throw new IllegalStateException("the benchmark's child " + child.name() + " did not finish");
        }
        return child.result();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ipckit

    private static Histogram ipckitRoundTrips(final WaitStrategy wait, final long recorded, final long warmup)
        throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY, options(wait)))
        {
            final String address = listener.address();
            final IpcProcess<Void> echo = IpcProcess.of((SerializableCallable<Void>)() ->
            {
                try (NetConnection connection = Client.connect(address, KEY, options(wait)))
                {
                    final byte[] message = new byte[RTT_BYTES];
                    while (true)
                    {
                        try
                        {
                            connection.recvBytesInto(message);
                        }
                        catch (final EOFException end)
                        {
                            return null;
                        }
                        connection.sendBytes(message);
                    }
                }
            }).name("net-echo").start();
            final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                final byte[] out = new byte[RTT_BYTES];
                final byte[] in = new byte[RTT_BYTES];
                final UnsafeBuffer outView = new UnsafeBuffer(out);
                final UnsafeBuffer inView = new UnsafeBuffer(in);
                for (long i = 0; i < warmup + recorded; i++)
                {
                    outView.putLong(0, i);
                    final long start = System.nanoTime();
                    connection.sendBytes(out);
                    connection.recvBytesInto(in);
                    final long elapsed = System.nanoTime() - start;
                    if (inView.getLong(0) != i)
                    {
                        throw new IllegalStateException("round trip " + i + " came back as " + inView.getLong(0));
                    }
                    if (i >= warmup)
                    {
                        histogram.recordValue(Math.min(elapsed, HIGHEST_TRACKABLE_NANOS));
                    }
                }
            }
            finished(echo);
            return histogram;
        }
    }

    private static double ipckitThroughput(final WaitStrategy wait, final long messages, final long warmup)
        throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY, options(wait)))
        {
            final String address = listener.address();
            final IpcProcess<Long> sink = IpcProcess.of(() ->
            {
                try (NetConnection connection = Client.connect(address, KEY, options(wait)))
                {
                    final byte[] message = new byte[THROUGHPUT_BYTES];
                    final UnsafeBuffer view = new UnsafeBuffer(message);
                    long sum = 0;
                    for (long i = 0; i < warmup + messages; i++)
                    {
                        if (i == warmup)
                        {
                            connection.sendBytes(new byte[] {'w'});
                        }
                        connection.recvBytesInto(message);
                        sum += view.getLong(0);
                    }
                    connection.sendBytes(new byte[] {'d'});
                    return sum;
                }
            }).name("net-sink").start();
            final long start;
            final long end;
            try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
            {
                final byte[] message = new byte[THROUGHPUT_BYTES];
                final UnsafeBuffer view = new UnsafeBuffer(message);
                for (long i = 0; i < warmup; i++)
                {
                    view.putLong(0, i);
                    connection.sendBytes(message);
                }
                connection.recvBytes(60, TimeUnit.SECONDS);
                start = System.nanoTime();
                for (long i = warmup; i < warmup + messages; i++)
                {
                    view.putLong(0, i);
                    connection.sendBytes(message);
                }
                connection.recvBytes(60, TimeUnit.SECONDS);
                end = System.nanoTime();
            }
            final long total = warmup + messages;
            if (finished(sink) != total * (total - 1) / 2)
            {
                throw new IllegalStateException("the sink did not get every message once");
            }
            return messages / ((end - start) / 1e9) / 1e3;
        }
    }

    private static double connectMillis() throws Exception
    {
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final double[] millis = new double[CONNECTS];
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < CONNECTS; i++)
                    {
                        listener.accept(60, TimeUnit.SECONDS).close();
                    }
                }
                catch (final Exception ex)
                {
                    ex.printStackTrace();
                }
            }, "bench-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            for (int i = 0; i < CONNECTS; i++)
            {
                final long start = System.nanoTime();
                final NetConnection connection = Client.connect(listener.address(), KEY);
                millis[i] = (System.nanoTime() - start) / 1e6;
                connection.close();
            }
            acceptor.join(TimeUnit.SECONDS.toMillis(60));
            Arrays.sort(millis);
            return millis[CONNECTS / 2];
        }
    }

    /**
     * A queue served by this JVM: 2 producer JVMs put {@code messages / 2} 64-byte messages each through
     * {@link RemoteQueue}s, 2 consumer JVMs take until a sentinel each; from the producers' start (all connected and
     * warmed up by as many messages first, taken too, then released together) to the last message taken.
     */
    private static double servedQueueThroughput(final long messages) throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create();
             QueueServer server = QueueServer.serve(queue, LOOPBACK, KEY, NetOptions.defaults());
             SharedQueue<Object> ready = SharedQueue.create();
             SharedQueue<Object> go = SharedQueue.create())
        {
            final String address = server.address();
            final long perProducer = messages / 2;
            final List<IpcProcess<Long>> children = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                children.add(IpcProcess.of(() ->
                {
                    try (RemoteQueue<Object> remote = RemoteQueue.open(address, KEY, Codecs.standard(),
                        NetOptions.defaults()))
                    {
                        final byte[] payload = new byte[THROUGHPUT_BYTES];
                        for (long i = 0; i < perProducer; i++)
                        {
                            remote.put(payload); // the JIT's warm-up, on both sides of the connection
                        }
                        ready.put("ready");
                        go.take(); // every child connected and warm
                        for (long i = 0; i < perProducer; i++)
                        {
                            remote.put(payload);
                        }
                        return perProducer;
                    }
                }).name("queue-producer-" + p));
            }
            for (int c = 0; c < 2; c++)
            {
                children.add(IpcProcess.of(() ->
                {
                    try (RemoteQueue<Object> remote = RemoteQueue.open(address, KEY, Codecs.standard(),
                        NetOptions.defaults()))
                    {
                        ready.put("ready");
                        long taken = 0;
                        while (!(remote.take() instanceof String))
                        {
                            taken++;
                        }
                        return taken;
                    }
                }).name("queue-consumer-" + c));
            }
            for (final IpcProcess<Long> child : children)
            {
                child.start();
            }
            for (int i = 0; i < children.size(); i++)
            {
                if (ready.poll(60, TimeUnit.SECONDS) == null)
                {
                    throw new IllegalStateException("the queue benchmark's children did not connect");
                }
            }
            // Timed by the queue's own counters, not by the children's exits.
            final long total = 2 * perProducer;
            final long warm = total;
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (queue.takenCount() < warm)
            {
                overdue(deadline, "the warm-up");
                Thread.sleep(1);
            }
            final long start = System.nanoTime();
            go.put("go");
            go.put("go");
            while (queue.putCount() < warm + total)
            {
                overdue(deadline, "the producers' messages");
                Thread.sleep(0, 100_000);
            }
            queue.put("end");
            queue.put("end");
            while (queue.takenCount() < warm + total + 2)
            {
                overdue(deadline, "the consumers");
                Thread.sleep(0, 100_000);
            }
            final long elapsed = System.nanoTime() - start;
            long produced = 0;
            long consumed = 0;
            for (int i = 0; i < children.size(); i++)
            {
                final long count = finished(children.get(i));
                if (i < 2)
                {
                    produced += count;
                }
                else
                {
                    consumed += count;
                }
            }
            if (consumed != produced + warm || produced != total)
            {
                throw new IllegalStateException("the consumers took " + consumed + " of " + produced + " messages");
            }
            return total / (elapsed / 1e9) / 1e3;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Raw Aeron on the same embedded driver, run by the polling thread

    /** One end: a subscription on a port of its own and, once the peer's endpoint is known, a publication to it. */
    private static final class RawEnd implements AutoCloseable
    {
        final Subscription subscription;
        final String endpoint;
        ExclusivePublication publication;
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(THROUGHPUT_BYTES));
        /** The last value received, how many, and their sum. */
        long received = -1;
        long count;
        long sum;
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            received = buffer.getLong(offset);
            sum += received;
            count++;
        };

        RawEnd()
        {
            subscription = NetDriver.aeron().addSubscription("aeron:udp?endpoint=127.0.0.1:0", STREAM_ID);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String resolved;
            while ((resolved = subscription.resolvedEndpoint()) == null)
            {
                NetDriver.invoke();
                overdue(deadline, "the subscription's endpoint");
            }
            endpoint = resolved;
        }

        void connect(final String peer)
        {
            publication = NetDriver.aeron().addExclusivePublication("aeron:udp?endpoint=" + peer, STREAM_ID);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!publication.isConnected())
            {
                NetDriver.invoke();
                overdue(deadline, "a connection to " + peer);
            }
        }

        void send(final long value, final int length)
        {
            out.putLong(0, value);
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            // As ipckit's connections do: the driver's cycle runs in the next wait, or on back pressure.
            while (publication.offer(out, 0, length) < 0)
            {
                NetDriver.invoke();
                overdue(deadline, "room to send");
            }
        }

        /** Polls until {@code count} reaches {@code target}; false when the peer's image ended first. */
        boolean awaitCount(final long target)
        {
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (count < target)
            {
                if (subscription.poll(handler, 16) == 0 && NetDriver.invoke() == 0)
                {
                    final Image image = subscription.imageCount() > 0 ? subscription.imageAtIndex(0) : null;
                    if (image != null && (image.isClosed() || image.isEndOfStream()))
                    {
                        return false;
                    }
                    overdue(deadline, "message " + target);
                }
            }
            return true;
        }

        @Override
        public void close()
        {
            if (publication != null)
            {
                publication.close();
            }
            subscription.close();
        }
    }

    private static void overdue(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new IllegalStateException("the benchmark waited too long for " + what);
        }
    }

    /** The child's side of a raw run: tells the parent its endpoint, then echoes or counts until the parent closes. */
    private static Long rawChild(final String parent, final boolean echo)
    {
        try (RawEnd end = new RawEnd())
        {
            end.connect(parent);
            final byte[] endpoint = end.endpoint.getBytes(StandardCharsets.US_ASCII);
            end.out.putBytes(0, endpoint);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (end.publication.offer(end.out, 0, endpoint.length) < 0)
            {
                NetDriver.invoke();
                overdue(deadline, "the hello to the parent");
            }
            // One poll may bring several messages: the parent's markers (negative) are the last before it waits.
            while (end.awaitCount(end.count + 1))
            {
                if (echo || end.received < 0)
                {
                    end.send(end.received, RTT_BYTES);
                }
            }
            return end.sum;
        }
    }

    /** The parent's side: learns the child's endpoint from its hello and connects back. */
    private static RawEnd rawParent(final RawEnd end)
    {
        final String[] hello = new String[1];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hello[0] == null)
        {
            NetDriver.invoke();
            end.subscription.poll((buffer, offset, length, header) -> hello[0] = buffer.getStringWithoutLengthAscii(
                offset, length), 1);
            overdue(deadline, "the child's hello");
        }
        end.connect(hello[0]);
        return end;
    }

    private static Histogram rawRoundTrips(final long recorded, final long warmup) throws Exception
    {
        try (RawEnd end = new RawEnd())
        {
            final String parent = end.endpoint;
            final IpcProcess<Long> echo = IpcProcess.of(() -> rawChild(parent, true)).name("raw-echo").start();
            rawParent(end);
            final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            for (long i = 0; i < warmup + recorded; i++)
            {
                final long start = System.nanoTime();
                end.send(i, RTT_BYTES);
                if (!end.awaitCount(end.count + 1) || end.received != i)
                {
                    throw new IllegalStateException("raw round trip " + i + " came back as " + end.received);
                }
                final long elapsed = System.nanoTime() - start;
                if (i >= warmup)
                {
                    histogram.recordValue(Math.min(elapsed, HIGHEST_TRACKABLE_NANOS));
                }
            }
            end.publication.close();
            end.publication = null;
            finished(echo);
            return histogram;
        }
    }

    private static double rawThroughput(final long messages, final long warmup) throws Exception
    {
        try (RawEnd end = new RawEnd())
        {
            final String parent = end.endpoint;
            final IpcProcess<Long> sink = IpcProcess.of(() -> rawChild(parent, false)).name("raw-sink").start();
            rawParent(end);
            for (long i = 0; i < warmup; i++)
            {
                end.send(i, THROUGHPUT_BYTES);
            }
            end.send(-1, THROUGHPUT_BYTES); // the child answers a negative value
            end.awaitCount(1);
            final long start = System.nanoTime();
            for (long i = warmup; i < warmup + messages; i++)
            {
                end.send(i, THROUGHPUT_BYTES);
            }
            end.send(-2, THROUGHPUT_BYTES);
            if (!end.awaitCount(2) || end.received != -2)
            {
                throw new IllegalStateException("the raw sink did not acknowledge the last message");
            }
            final long elapsed = System.nanoTime() - start;
            end.publication.close();
            end.publication = null;
            final long total = warmup + messages;
            if (finished(sink) != total * (total - 1) / 2 - 3)
            {
                throw new IllegalStateException("the raw sink did not get every message once");
            }
            return messages / (elapsed / 1e9) / 1e3;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The floor: busy-polled datagrams

    private static Histogram udpRoundTrips(final long recorded, final long warmup) throws Exception
    {
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
            final int port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
            final long total = warmup + recorded;
            final IpcProcess<Void> echo = IpcProcess.of((SerializableCallable<Void>)() ->
            {
                try (DatagramChannel child = DatagramChannel.open())
                {
                    child.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
                    child.connect(new InetSocketAddress("127.0.0.1", port));
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(RTT_BYTES);
                    buffer.putLong(0, -1).limit(RTT_BYTES);
                    child.write(buffer);
                    final long deadline = System.nanoTime() + DEADLINE_NANOS;
                    for (long i = 0; i < total; i++)
                    {
                        buffer.clear();
                        while (child.read(buffer) <= 0)
                        {
                            overdue(deadline, "datagram " + i);
                        }
                        buffer.flip();
                        child.write(buffer);
                    }
                }
                return null;
            }).name("udp-echo").start();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(RTT_BYTES);
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            SocketAddress peer;
            while ((peer = channel.receive(buffer)) == null)
            {
                overdue(deadline, "the child's hello");
            }
            channel.connect(peer);
            final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            for (long i = 0; i < total; i++)
            {
                buffer.clear();
                buffer.putLong(0, i).limit(RTT_BYTES);
                final long start = System.nanoTime();
                channel.write(buffer);
                buffer.clear();
                while (channel.read(buffer) <= 0)
                {
                    overdue(deadline, "datagram " + i);
                }
                final long elapsed = System.nanoTime() - start;
                if (buffer.getLong(0) != i)
                {
                    throw new IllegalStateException("datagram " + i + " came back as " + buffer.getLong(0));
                }
                if (i >= warmup)
                {
                    histogram.recordValue(Math.min(elapsed, HIGHEST_TRACKABLE_NANOS));
                }
            }
            finished(echo);
            return histogram;
        }
    }
}
