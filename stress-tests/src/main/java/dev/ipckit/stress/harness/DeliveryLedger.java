package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The queue workload's accounting: how often each (producer, sequence) message was received, judged against what each
 * producer acknowledged (offer returned true) and attempted (the number it was putting when it stopped or died).
 */
final class DeliveryLedger
{
    private static final int EXAMPLES = 5;

    /**
     * @param put               messages acknowledged by producers.
     * @param lost              acknowledged messages never received, in-flight ones excepted.
     * @param invented          receipts of messages no producer attempted.
     * @param duplicates        receipts beyond the first.
     * @param inFlightDelivered in-flight messages (producer killed inside offer) that were received.
     * @param lostExamples      the first lost messages, as text.
     */
    record Verdict(long put, long lost, long invented, long duplicates, long inFlightDelivered, List<String> lostExamples)
    {
    }

    private DeliveryLedger()
    {
    }

    /**
     * @param counts       receipts per message: index {@code producer * perProducer + sequence}, sequences from 1.
     * @param perProducer  sequences per producer (index 0 unused).
     * @param acknowledged each producer's last acknowledged sequence.
     * @param attempted    each producer's last attempted sequence.
     * @param inFlight     messages ({@link QueueWorkload#message}) in flight when their producer was killed: they may
     *                     be missing.
     * @return the verdict.
     */
    static Verdict judge(final byte[] counts, final int perProducer, final long[] acknowledged, final long[] attempted,
        final Set<Long> inFlight)
    {
        long put = 0;
        long lost = 0;
        long invented = 0;
        long duplicates = 0;
        long inFlightDelivered = 0;
        final List<String> examples = new ArrayList<>();
        for (int producer = 0; producer < acknowledged.length; producer++)
        {
            final long last = Math.max(acknowledged[producer], attempted[producer]);
            put += acknowledged[producer];
            for (int sequence = 1; sequence < perProducer; sequence++)
            {
                final int count = counts[producer * perProducer + sequence];
                final boolean mayBeMissing = inFlight.contains(QueueWorkload.message(producer, sequence));
                duplicates += Math.max(0, count - 1);
                if (sequence > last)
                {
                    invented += count;
                }
                else if (count == 0 && !mayBeMissing)
                {
                    lost++;
                    if (examples.size() < EXAMPLES)
                    {
                        examples.add("producer " + producer + " sequence " + sequence);
                    }
                }
                else if (count > 0 && mayBeMissing)
                {
                    inFlightDelivered++;
                }
            }
        }
        return new Verdict(put, lost, invented, duplicates, inFlightDelivered, List.copyOf(examples));
    }
}
