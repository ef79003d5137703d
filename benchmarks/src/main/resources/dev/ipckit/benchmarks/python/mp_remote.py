"""Python reference for dev.ipckit.benchmarks.NetworkBenchmark, run by it with python3.

Usage:
  python3 mp_remote.py ROUND_TRIPS WARMUP MESSAGES CONNECTS QUEUE_MESSAGES

multiprocessing.connection's Listener and Client over TCP on 127.0.0.1 with an authkey (its HMAC challenge both
ways), the peer in a child process (multiprocessing's default start method):
  remote_rtt_p50_us, remote_rtt_p99_us   send_bytes/recv_bytes of 8 bytes and back, ROUND_TRIPS timed one at a
                                          time with time.perf_counter_ns() after WARMUP untimed
  remote_throughput_kmsgs                 MESSAGES messages of 64 bytes one way (after WARMUP), from the first send
                                          to the receiver's acknowledgement of the last, in thousands per second
  remote_connect_ms                       Client(address, authkey) to a listening thread, median of CONNECTS
  remote_queue_kmsgs                      a queue.Queue served by a BaseManager on 127.0.0.1 (the "remote manager"
                                          pattern): 2 producer processes put QUEUE_MESSAGES / 2 messages of 64
                                          bytes each through their proxies, 2 consumer processes get until a
                                          sentinel; from all connected (a barrier) to the consumers' exit
Also prints python (the interpreter's version) and start_method.
"""
import multiprocessing
import platform
import statistics
import sys
import threading
import time
from multiprocessing.connection import Client, Listener
from multiprocessing.managers import BaseManager
import queue

AUTHKEY = b"the benchmark's key, 32 bytes.."
LOOPBACK = ("127.0.0.1", 0)


def echo(address):
    with Client(address, authkey=AUTHKEY) as connection:
        while True:
            try:
                message = connection.recv_bytes()
            except EOFError:
                return
            connection.send_bytes(message)


def sink(address, warmup, messages):
    with Client(address, authkey=AUTHKEY) as connection:
        for _ in range(warmup):
            connection.recv_bytes()
        connection.send_bytes(b"w")
        for _ in range(messages):
            connection.recv_bytes()
        connection.send_bytes(b"d")


def percentile(sorted_samples, p):
    index = min(len(sorted_samples) - 1, int(len(sorted_samples) * p / 100.0))
    return sorted_samples[index]


def round_trips(count, warmup):
    with Listener(LOOPBACK, authkey=AUTHKEY) as listener:
        child = multiprocessing.Process(target=echo, args=(listener.address,))
        child.start()
        with listener.accept() as connection:
            payload = bytes(8)
            for _ in range(warmup):
                connection.send_bytes(payload)
                connection.recv_bytes()
            samples = []
            for _ in range(count):
                start = time.perf_counter_ns()
                connection.send_bytes(payload)
                connection.recv_bytes()
                samples.append(time.perf_counter_ns() - start)
        child.join(60)
    samples.sort()
    print("remote_rtt_p50_us=%.3f" % (percentile(samples, 50) / 1e3))
    print("remote_rtt_p99_us=%.3f" % (percentile(samples, 99) / 1e3))


def throughput(messages, warmup):
    with Listener(LOOPBACK, authkey=AUTHKEY) as listener:
        child = multiprocessing.Process(target=sink, args=(listener.address, warmup, messages))
        child.start()
        with listener.accept() as connection:
            payload = bytes(64)
            for _ in range(warmup):
                connection.send_bytes(payload)
            connection.recv_bytes()
            start = time.perf_counter_ns()
            for _ in range(messages):
                connection.send_bytes(payload)
            connection.recv_bytes()
            elapsed = time.perf_counter_ns() - start
        child.join(60)
    print("remote_throughput_kmsgs=%.3f" % (messages / (elapsed / 1e9) / 1e3))


def connects(count):
    with Listener(LOOPBACK, authkey=AUTHKEY) as listener:
        def accept():
            for _ in range(count):
                listener.accept().close()
        acceptor = threading.Thread(target=accept, daemon=True)
        acceptor.start()
        samples = []
        for _ in range(count):
            start = time.perf_counter_ns()
            connection = Client(listener.address, authkey=AUTHKEY)
            samples.append(time.perf_counter_ns() - start)
            connection.close()
        acceptor.join(60)
    print("remote_connect_ms=%.3f" % (statistics.median(samples) / 1e6))


class QueueManager(BaseManager):
    pass


QueueManager.register("get_queue")


def queue_producer(address, start, count):
    manager = QueueManager(address=address, authkey=AUTHKEY)
    manager.connect()
    jobs = manager.get_queue()
    payload = bytes(64)
    start.wait(60)
    for _ in range(count):
        jobs.put(payload)


def queue_consumer(address, start):
    manager = QueueManager(address=address, authkey=AUTHKEY)
    manager.connect()
    jobs = manager.get_queue()
    start.wait(60)
    while jobs.get() != "end":
        pass


def served_queue(messages):
    jobs = queue.Queue()

    class ServingManager(BaseManager):
        pass

    ServingManager.register("get_queue", callable=lambda: jobs)
    server = ServingManager(address=LOOPBACK, authkey=AUTHKEY).get_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = multiprocessing.Barrier(5)  # the four children, connected, and this process
    producers = [multiprocessing.Process(target=queue_producer, args=(server.address, start, messages // 2))
                 for _ in range(2)]
    consumers = [multiprocessing.Process(target=queue_consumer, args=(server.address, start)) for _ in range(2)]
    for process in producers + consumers:
        process.start()
    start.wait(60)
    began = time.perf_counter_ns()
    for process in producers:
        process.join(600)
    jobs.put("end")
    jobs.put("end")
    for process in consumers:
        process.join(600)
    elapsed = time.perf_counter_ns() - began
    print("remote_queue_kmsgs=%.3f" % ((messages // 2 * 2) / (elapsed / 1e9) / 1e3))


def main():
    count, warmup, messages, connect_count, queue_messages = (int(arg) for arg in sys.argv[1:6])
    print("python=%s" % platform.python_version())
    print("start_method=%s" % multiprocessing.get_start_method())
    round_trips(count, warmup)
    throughput(messages, warmup)
    connects(connect_count)
    served_queue(queue_messages)


if __name__ == "__main__":
    main()
