"""Python reference for the messaging benchmarks in dev.ipckit.benchmarks, run by them with python3.

Usage:
  python3 mp_messaging.py roundtrip MESSAGES WARMUP SIZES          (PipeRoundTrip; SIZES like 8,64)
  python3 mp_messaging.py throughput MESSAGES ROUNDS SIZE          (MessageThroughput)
  python3 mp_messaging.py fanin PER_PRODUCER ROUNDS SIZE PRODUCERS CONSUMERS   (QueueFanIn)
  python3 mp_messaging.py waitwake SAMPLES SETTLE_US IDLE_MS       (WaitWakeLatency)

Processes use multiprocessing's default start method (fork on Linux before 3.14). Messages are bytes of SIZE with a
little-endian sequence number first (and, in fanin, the producer's index next), as on the Java side; receivers check
them, so a lost, repeated or reordered message fails the run. Prints key=value lines:
  python, start_method        interpreter version; multiprocessing's start method
  roundtrip:  {pipe,queue}_{size}_{p50,p99,p999,max}_us, {pipe,queue}_{size}_curve_us (percentile:us pairs at
              CURVE_PERCENTILES, 0 = the smallest, 100 = the largest, for the HTML report's percentile curves)
              the parent sends a message, a child sends it back: Pipe() with send_bytes/recv_bytes, or two Queue()s
              with put/get; each round trip timed with perf_counter_ns, WARMUP unrecorded first; nearest-rank
              percentiles of the MESSAGES recorded ones
  throughput: {pipe,queue}_msgs_per_s
              one producer process sends MESSAGES to one consumer process: Pipe(duplex=False) with send_bytes and
              recv_bytes, or a Queue() with put/get; from the start gate opening to the consumer's last message,
              best of ROUNDS
  fanin:      queue_msgs_per_s
              PRODUCERS processes each put PER_PRODUCER messages into one Queue(), CONSUMERS processes take them,
              each message once; total messages per second from the start gate opening to the last consumer's end,
              best of ROUNDS
  waitwake:   wait_{p50,p99,p999,max}_us, wait_idle_cpu_ms
              a child waits in multiprocessing.connection.wait([conn]); the parent lets it sleep SETTLE_US, then
              sends time.monotonic_ns() (the clock Java's System.nanoTime reads); the child records its own
              monotonic_ns() - that stamp when wait returns, receives, and echoes; SAMPLES times. Before that, the
              child's CPU time (thread_time_ns) over an IDLE_MS wait on a silent pipe
"""
import multiprocessing
import platform
import struct
import sys
import time

DONE = -1  # a fanin producer's last message
STOP = -2  # tells a fanin consumer to stop once every producer's DONE was taken
CURVE_PERCENTILES = (0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100)  # as LatencyCurve.PERCENTILES


def arrive_and_wait(arrived, gate):
    with arrived.get_lock():
        arrived.value += 1
    gate.wait()


def open_gate(workers, arrived, gate):
    for worker in workers:
        worker.start()
    while arrived.value < len(workers):
        time.sleep(0.001)
    start = time.monotonic_ns()
    gate.set()
    return start


def join_all(workers):
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            sys.exit(f"worker {worker.name} exited with {worker.exitcode}")


def message(sequence, size, producer=None):
    head = sequence.to_bytes(8, "little", signed=True)
    if producer is None:
        return head + bytes(size - 8)
    return head + producer.to_bytes(8, "little") + bytes(size - 16)


# Round trip ------------------------------------------------------------------------------------------------------

def pipe_echo(conn, total):
    recv, send = conn.recv_bytes, conn.send_bytes
    for _ in range(total):
        send(recv())


def queue_echo(pings, pongs, total):
    get, put = pings.get, pongs.put
    for _ in range(total):
        put(get())


def round_trips(kind, messages, warmup, size):
    total = warmup + messages
    if kind == "pipe":
        parent, child = multiprocessing.Pipe()
        worker = multiprocessing.Process(target=pipe_echo, args=(child, total))
        send, recv = parent.send_bytes, parent.recv_bytes
    else:
        pings, pongs = multiprocessing.Queue(), multiprocessing.Queue()
        worker = multiprocessing.Process(target=queue_echo, args=(pings, pongs, total))
        send, recv = pings.put, pongs.get
    worker.start()
    clock = time.perf_counter_ns
    samples = []
    for i in range(total):
        ping = message(i, size)
        start = clock()
        send(ping)
        pong = recv()
        elapsed = clock() - start
        if pong != ping:
            sys.exit(f"{kind} round trip {i} came back changed")
        if i >= warmup:
            samples.append(elapsed)
    join_all([worker])
    samples.sort()

    def percentile(p):
        rank = max(1, -(-len(samples) * p // 100))  # nearest rank, ceil(n * p / 100)
        return samples[int(rank) - 1] / 1e3

    stats = {"p50": percentile(50), "p99": percentile(99), "p999": percentile(99.9), "max": samples[-1] / 1e3}
    curve = ",".join(f"{p:g}:{samples[0] / 1e3 if p == 0 else percentile(p):.3f}" for p in CURVE_PERCENTILES)
    return stats, curve


def roundtrip(messages, warmup, sizes):
    for size in sizes:
        for kind in ("pipe", "queue"):
            stats, curve = round_trips(kind, messages, warmup, size)
            for stat, value in stats.items():
                print(f"{kind}_{size}_{stat}_us={value:.2f}")
            print(f"{kind}_{size}_curve_us={curve}")


# Throughput ------------------------------------------------------------------------------------------------------

def pipe_producer(conn, messages, size, arrived, gate, finished_at):
    buffer = bytearray(size)
    send, pack_into = conn.send_bytes, struct.pack_into
    arrive_and_wait(arrived, gate)
    for i in range(messages):
        pack_into("<q", buffer, 0, i)
        send(buffer)
    finished_at[0] = time.monotonic_ns()


def pipe_consumer(conn, messages, arrived, gate, finished_at):
    recv, unpack_from = conn.recv_bytes, struct.unpack_from
    arrive_and_wait(arrived, gate)
    for i in range(messages):
        if unpack_from("<q", recv())[0] != i:
            sys.exit(f"pipe message {i} out of order")
    finished_at[1] = time.monotonic_ns()


def queue_producer(queue, messages, size, arrived, gate, finished_at):
    put, pad = queue.put, bytes(size - 8)
    arrive_and_wait(arrived, gate)
    for i in range(messages):
        put(i.to_bytes(8, "little") + pad)  # put pickles later, in the feeder thread: each message is a new bytes
    finished_at[0] = time.monotonic_ns()


def queue_consumer(queue, messages, arrived, gate, finished_at):
    get, unpack_from = queue.get, struct.unpack_from
    arrive_and_wait(arrived, gate)
    for i in range(messages):
        if unpack_from("<q", get())[0] != i:
            sys.exit(f"queue message {i} out of order")
    finished_at[1] = time.monotonic_ns()


def one_way(kind, messages, size):
    arrived = multiprocessing.Value("i", 0)
    gate = multiprocessing.Event()
    finished_at = multiprocessing.Array("q", 2, lock=False)
    if kind == "pipe":
        receiving, sending = multiprocessing.Pipe(duplex=False)
        producer = multiprocessing.Process(
            target=pipe_producer, args=(sending, messages, size, arrived, gate, finished_at))
        consumer = multiprocessing.Process(target=pipe_consumer, args=(receiving, messages, arrived, gate, finished_at))
    else:
        queue = multiprocessing.Queue()
        producer = multiprocessing.Process(
            target=queue_producer, args=(queue, messages, size, arrived, gate, finished_at))
        consumer = multiprocessing.Process(target=queue_consumer, args=(queue, messages, arrived, gate, finished_at))
    workers = [producer, consumer]
    start = open_gate(workers, arrived, gate)
    join_all(workers)
    return messages * 1e9 / (max(finished_at) - start)


def throughput(messages, rounds, size):
    for kind in ("pipe", "queue"):
        best = max(one_way(kind, messages, size) for _ in range(rounds))
        print(f"{kind}_msgs_per_s={best:.1f}")


# Fan-in ----------------------------------------------------------------------------------------------------------

def fan_producer(queue, index, per_producer, size, arrived, gate, finished_at):
    put, tag, pad = queue.put, index.to_bytes(8, "little"), bytes(size - 16)
    arrive_and_wait(arrived, gate)
    for i in range(per_producer):
        put(i.to_bytes(8, "little") + tag + pad)
    put(message(DONE, size, index))
    finished_at[index] = time.monotonic_ns()


def fan_consumer(queue, index, producers, consumers, size, done_taken, counts, sums, arrived, gate, finished_at):
    get, unpack_from = queue.get, struct.unpack_from
    last = [-1] * producers
    count = total = 0
    arrive_and_wait(arrived, gate)
    while True:
        sequence, producer = unpack_from("<qq", get())
        if sequence >= 0:
            if sequence <= last[producer]:
                sys.exit(f"producer {producer}'s message {sequence} after {last[producer]}")
            last[producer] = sequence
            count += 1
            total += sequence
        elif sequence == DONE:
            # Each producer's messages come in order, so with every DONE taken, every message was taken.
            with done_taken.get_lock():
                done_taken.value += 1
                everything_taken = done_taken.value == producers
            if everything_taken:
                for _ in range(consumers - 1):
                    queue.put(message(STOP, size, 0))
                break
        else:
            break
    counts[index] = count
    sums[index] = total
    finished_at[producers + index] = time.monotonic_ns()


def fan_in(per_producer, size, producers, consumers):
    queue = multiprocessing.Queue()
    arrived = multiprocessing.Value("i", 0)
    gate = multiprocessing.Event()
    done_taken = multiprocessing.Value("i", 0)
    counts = multiprocessing.Array("q", consumers, lock=False)
    sums = multiprocessing.Array("q", consumers, lock=False)
    finished_at = multiprocessing.Array("q", producers + consumers, lock=False)
    workers = [multiprocessing.Process(target=fan_producer,
                                       args=(queue, i, per_producer, size, arrived, gate, finished_at))
               for i in range(producers)]
    workers += [multiprocessing.Process(target=fan_consumer,
                                        args=(queue, i, producers, consumers, size, done_taken, counts, sums,
                                              arrived, gate, finished_at))
                for i in range(consumers)]
    start = open_gate(workers, arrived, gate)
    join_all(workers)
    expected = producers * per_producer
    if sum(counts) != expected or sum(sums) != producers * per_producer * (per_producer - 1) // 2:
        sys.exit(f"fanin lost or repeated messages: {sum(counts)} taken, {expected} put")
    return expected * 1e9 / (max(finished_at) - start)


def fanin(per_producer, rounds, size, producers, consumers):
    best = max(fan_in(per_producer, size, producers, consumers) for _ in range(rounds))
    print(f"queue_msgs_per_s={best:.1f}")


# Waking a waiter -------------------------------------------------------------------------------------------------

def wait_waiter(conn, samples, idle_ms):
    from multiprocessing.connection import wait
    before = time.thread_time_ns()
    if wait([conn], idle_ms / 1000):
        sys.exit("the pipe was not silent during the idle wait")
    idle_ns = time.thread_time_ns() - before
    conn.send_bytes(b"idle done")
    latencies = []
    for _ in range(samples):
        wait([conn])
        now = time.monotonic_ns()
        stamp = conn.recv_bytes()
        latencies.append(now - struct.unpack("<q", stamp[:8])[0])
        conn.send_bytes(stamp)
    conn.send((latencies, idle_ns))


def waitwake(samples, settle_us, idle_ms):
    parent, child = multiprocessing.Pipe()
    worker = multiprocessing.Process(target=wait_waiter, args=(child, samples, idle_ms))
    worker.start()
    parent.recv_bytes()
    for i in range(samples):
        time.sleep(settle_us / 1e6)
        ping = struct.pack("<q", time.monotonic_ns())
        parent.send_bytes(ping)
        if parent.recv_bytes() != ping:
            sys.exit(f"wake {i} came back changed")
    latencies, idle_ns = parent.recv()
    join_all([worker])
    latencies.sort()

    def percentile(p):
        rank = max(1, -(-len(latencies) * p // 100))
        return latencies[int(rank) - 1] / 1e3

    print(f"wait_p50_us={percentile(50):.2f}")
    print(f"wait_p99_us={percentile(99):.2f}")
    print(f"wait_p999_us={percentile(99.9):.2f}")
    print(f"wait_max_us={latencies[-1] / 1e3:.2f}")
    print(f"wait_idle_cpu_ms={idle_ns / 1e6:.3f}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mode, args = sys.argv[1], sys.argv[2:]
    print(f"python={platform.python_version()}")
    print(f"start_method={multiprocessing.get_start_method()}")
    if mode == "roundtrip" and len(args) == 3:
        roundtrip(int(args[0]), int(args[1]), [int(size) for size in args[2].split(",")])
    elif mode == "throughput" and len(args) == 3:
        throughput(*(int(arg) for arg in args))
    elif mode == "fanin" and len(args) == 5:
        fanin(*(int(arg) for arg in args))
    elif mode == "waitwake" and len(args) == 3:
        waitwake(*(int(arg) for arg in args))
    else:
        sys.exit(f"bad arguments {sys.argv[1:]}: {__doc__}")


if __name__ == "__main__":
    main()
