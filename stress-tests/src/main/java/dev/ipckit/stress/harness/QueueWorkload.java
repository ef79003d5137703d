package dev.ipckit.stress.harness;

import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.queue.Transport;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedByteArray;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code queue} and {@code queue-ring}: K producers and L consumers ({@code processes} each) on one bounded
 * {@link SharedQueue}, on the journal or the ring transport (a small ring, 64 KiB, so it wraps and fills often). A message
 * is a long: the producer's slot in the high 32 bits, its sequence number (from 1) in the low 32. A producer records
 * the number it is about to put ({@code attempted}) and, once {@code offer} returned true, the number put
 * ({@code acknowledged}); a restarted producer goes on after {@code attempted}. A consumer counts each message it
 * receives in a byte per (producer, sequence). After the stop, the harness drains what is left (a poll also adopts
 * messages held by consumers that died).
 * <p>
 * Invariants, from the queue's documented at-least-once delivery:
 * <ul>
 * <li>none lost: every acknowledged message was received, except a producer's in-flight message when it was killed
 *     inside {@code offer} (it may or may not have been appended);</li>
 * <li>none invented: nothing was received beyond what was attempted, and nothing malformed;</li>
 * <li>duplicates only by redelivery: a consumer killed after counting its message and before its next poll has that
 *     message delivered again, so duplicates are at most the consumers killed.</li>
 * </ul>
 * Order is not checked: a redelivered message comes out of order with its producer's later ones, as documented.
 */
final class QueueWorkload extends SupervisedWorkload
{
    private static final int CAPACITY = 10_000;
    private static final long MIN_PER_PRODUCER = 1 << 20;
    private static final long MAX_PER_PRODUCER = 64 << 20;
    /** Sequence numbers per producer per second of the run: above what one does here, so none runs out early. */
    private static final long PER_PRODUCER_PER_SECOND = 200_000;
    /** The same for a ring, which puts about 500,000 per producer per second here. */
    private static final long PER_RING_PRODUCER_PER_SECOND = 1_000_000;
    /** A small ring: it wraps every few thousand messages, and fills. */
    private static final int RING_CAPACITY = 1 << 16;

    private final Transport transport;

    private SharedRegion region;
    private SharedQueue<Long> queue;
    private SharedLongArray attempted;
    private SharedLongArray acknowledged;
    private SharedByteArray received;
    private SharedLong malformed;
    private SharedEvent stop;
    private Participants producers;
    private Participants consumers;
    private int perProducer;
    private final Set<Long> inFlight = new HashSet<>();

    /**
     * @param transport what carries the queue's messages.
     */
    QueueWorkload(final Transport transport)
    {
        this.transport = transport;
    }

    @Override
    List<Participants> open(final WorkloadContext context)
    {
        final int slots = context.options().processes();
        final long seconds = Math.max(1, context.options().duration().toSeconds());
        final long rate = transport == Transport.RING ? PER_RING_PRODUCER_PER_SECOND : PER_PRODUCER_PER_SECOND;
        perProducer = (int)Math.min(MAX_PER_PRODUCER, Math.max(MIN_PER_PRODUCER, seconds * rate));
        region = SharedRegion.create("queue-state", (long)slots * perProducer + (1 << 20), context.regionOptions());
        attempted = SharedLongArray.createRaw(region, "attempted", slots);
        acknowledged = SharedLongArray.createRaw(region, "acknowledged", slots);
        received = SharedByteArray.createRaw(region, "received", slots * perProducer);
        malformed = SharedLong.createRaw(region, "malformed", 0);
        stop = SharedEvent.create(region, "stop");
        final SharedLongArray producersReady = SharedLongArray.createRaw(region, "producers-ready", slots);
        final SharedLongArray consumersReady = SharedLongArray.createRaw(region, "consumers-ready", slots);
        queue = SharedQueue.create("queue", Codecs.int64(),
            QueueOptions.defaults().withDirectory(context.directory()).withCapacity(CAPACITY).withTransport(transport)
                .withRingCapacity(RING_CAPACITY));
        final SharedQueue<Long> queue = this.queue;
        final SharedLongArray attempted = this.attempted;
        final SharedLongArray acknowledged = this.acknowledged;
        final SharedByteArray received = this.received;
        final SharedLong malformed = this.malformed;
        final SharedEvent stop = this.stop;
        final int perProducer = this.perProducer;
        producers = new Participants("producer", producersReady, context.readyLimitNanos(), slot -> IpcProcess.of(
            (SerializableCallable<Long>)() ->
                produce(queue, attempted, acknowledged, stop, producersReady, slot, perProducer))
            .name("producer-" + slot).daemon(true).jvmOptions(WorkloadContext.CHRONICLE_JVM), this::producerExited);
        consumers = new Participants("consumer", consumersReady, context.readyLimitNanos(), slot -> IpcProcess.of(
            (SerializableCallable<Long>)() ->
                consume(queue, received, malformed, stop, consumersReady, slot, perProducer))
            .name("consumer-" + slot).daemon(true).jvmOptions(WorkloadContext.CHRONICLE_JVM), (slot, code) -> { });
        return List.of(producers, consumers);
    }

    /** A producer's loop, in the child. */
    static long produce(final SharedQueue<Long> queue, final SharedLongArray attempted,
        final SharedLongArray acknowledged, final SharedEvent stop, final SharedLongArray ready, final int slot,
        final int perProducer) throws InterruptedException
    {
        // The queue was opened (Chronicle loaded, the journal mapped) when this task was deserialized; its appender is
        // set up by the first offer, which takes seconds on a busy machine: ready once that offer returned.
        boolean signalled = false;
        long sequence = attempted.get(slot);
        long done = 0;
        while (!stop.isSet())
        {
            if (sequence + 1 >= perProducer)
            {
                Participants.signalReady(ready, slot);
                stop.await(WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS);
                continue;
            }
            final long next = sequence + 1;
            attempted.set(slot, next);
            if (queue.offer(message(slot, next), WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                acknowledged.set(slot, next);
                sequence = next;
                done++;
            }
            else
            {
                attempted.set(slot, sequence);      // refused: not appended, nothing in flight
            }
            if (!signalled)
            {
                Participants.signalReady(ready, slot);
                signalled = true;
            }
        }
        queue.close();
        return done;
    }

    /** A consumer's loop, in the child. */
    static long consume(final SharedQueue<Long> queue, final SharedByteArray received, final SharedLong malformed,
        final SharedEvent stop, final SharedLongArray ready, final int slot, final int perProducer)
        throws InterruptedException
    {
        boolean signalled = false;
        long done = 0;
        while (!stop.isSet())
        {
            final Long message = queue.poll(WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (message != null)
            {
                count(message, received, malformed, perProducer);
                done++;
            }
            if (!signalled)
            {
                // Ready once its first poll returned (Chronicle sets its tailer up lazily).
                Participants.signalReady(ready, slot);
                signalled = true;
            }
        }
        queue.close();
        return done;
    }

    static long message(final int producer, final long sequence)
    {
        return (long)producer << 32 | sequence;
    }

    private static void count(final long message, final SharedByteArray received, final SharedLong malformed,
        final int perProducer)
    {
        final long producer = message >>> 32;
        final long sequence = message & 0xFFFF_FFFFL;
        final long index = producer * perProducer + sequence;
        if (sequence == 0 || sequence >= perProducer || index >= received.length())
        {
            malformed.incrementAndGet();
            return;
        }
        received.incrementAndGet((int)index);
    }

    /** A producer killed inside {@code offer}: its attempted message may or may not be in the queue. */
    private void producerExited(final int slot, final int exitCode)
    {
        final long attempt = attempted.get(slot);
        if (attempt > acknowledged.get(slot))
        {
            inFlight.add(message(slot, attempt));
        }
    }

    @Override
    long operations()
    {
        return queue.takenCount();
    }

    @Override
    void signalStop()
    {
        stop.set();
    }

    @Override
    void check(final WorkloadReport report) throws InterruptedException
    {
        long drained = 0;
        Long message;
        while ((message = queue.poll(1, TimeUnit.SECONDS)) != null)
        {
            count(message, received, malformed, perProducer);
            drained++;
        }
        final long[] acked = new long[producers.size()];
        final long[] attempts = new long[producers.size()];
        for (int producer = 0; producer < acked.length; producer++)
        {
            acked[producer] = acknowledged.get(producer);
            attempts[producer] = attempted.get(producer);
        }
        final DeliveryLedger.Verdict verdict = DeliveryLedger.judge(received.toArray(), perProducer, acked, attempts,
            inFlight);
        report.check(Check.exactly("acknowledged messages never received (lost)", verdict.lost(), 0));
        report.check(Check.exactly("messages received that were never put, or malformed",
            verdict.invented() + malformed.get(), 0));
        report.check(Check.atMost("duplicate deliveries <= consumers killed (at-least-once redelivery)",
            verdict.duplicates(), consumers.killed()));
        report.check(Check.atMost("duplicate deliveries <= queue's redelivered count", verdict.duplicates(),
            queue.redeliveredCount()));
        report.check(Check.exactly("messages left in the queue after the drain", queue.size(), 0));
        if (!verdict.lostExamples().isEmpty())
        {
            report.note("lost, first ones: " + verdict.lostExamples());
        }
        report.note(verdict.put() + " messages put; " + inFlight.size() + " in flight when their producer was killed (" +
            verdict.inFlightDelivered() + " of them delivered); " + drained + " drained by the harness; redelivered " +
            queue.redeliveredCount() + "; " + consumers.killed() + " consumers and " + producers.killed() +
            " producers killed");
    }

    @Override
    void close()
    {
        if (queue != null)
        {
            queue.close();
        }
        if (region != null)
        {
            region.close();
        }
    }
}
