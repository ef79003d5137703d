package dev.ipckit.benchmarks;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The raw reference: bare Chronicle Queue journals, one per direction, each written by a bare
 * {@link ExcerptAppender} and read by a bare {@link ExcerptTailer} that busy-polls. No locks, no counters, no claim
 * cursor: a tailer reads every message of its journal, so several tailers on one journal each get everything
 * (broadcast). Journals are built as {@code SingleChronicleQueueBuilder.binary(dir).rollCycle(FIVE_MINUTELY)}, the
 * roll cycle ipckit's queues use, in the benchmark's scratch directory (normally under {@code /dev/shm}).
 */
final class RawChronicleTransport implements Transport
{
    /** Empty polls between checks for an interrupt. */
    private static final int INTERRUPT_CHECK_MASK = 0xFFF;

    @Override
    public String label()
    {
        return "raw Chronicle";
    }

    @Override
    public Channel create(final Path directory, final String name, final boolean duplex)
    {
        final String forward = directory.resolve(name + "-fwd.journal").toString();
        final String backward = duplex ? directory.resolve(name + "-back.journal").toString() : null;
        final SingleChronicleQueue forwardJournal = journal(forward);
        final SingleChronicleQueue backwardJournal = duplex ? journal(backward) : null;
        return new Channel()
        {
            @Override
            public Opener first()
            {
                return opener(forward, backward);
            }

            @Override
            public Opener second()
            {
                return opener(backward, forward);
            }

            @Override
            public void close()
            {
                forwardJournal.close();
                ScratchDirectory.deleteTree(Path.of(forward));
                if (backwardJournal != null)
                {
                    backwardJournal.close();
                    ScratchDirectory.deleteTree(Path.of(backward));
                }
            }
        };
    }

    /** A static factory, so the lambda captures the two paths only. */
    private static Channel.Opener opener(final String sendTo, final String receiveFrom)
    {
        return () -> new RawEndpoint(sendTo, receiveFrom);
    }

    /**
     * Opens or creates a bare journal.
     *
     * @param directory its directory.
     * @return the journal.
     */
    static SingleChronicleQueue journal(final String directory)
    {
        return SingleChronicleQueueBuilder.binary(Path.of(directory)).rollCycle(RollCycles.FIVE_MINUTELY).build();
    }

    /**
     * An end: an appender on the journal it sends to, a tailer on the one it receives from (either may be absent).
     */
    private static final class RawEndpoint implements Endpoint
    {
        private final SingleChronicleQueue out;
        private final SingleChronicleQueue in;
        private final ExcerptAppender appender;
        private final ExcerptTailer tailer;

        RawEndpoint(final String sendTo, final String receiveFrom)
        {
            out = sendTo == null ? null : journal(sendTo);
            in = receiveFrom == null ? null : journal(receiveFrom);
            appender = out == null ? null : out.createAppender();
            tailer = in == null ? null : in.createTailer();
        }

        @Override
        public void send(final byte[] message)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(message);
            }
        }

        @Override
        public int receive(final byte[] buffer) throws InterruptedException
        {
            int polls = 0;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (dc.isPresent())
                    {
                        final Bytes<?> bytes = dc.wire().bytes();
                        final int length = (int)bytes.readRemaining();
                        bytes.read(buffer, 0, length);
                        return length;
                    }
                }
                if ((++polls & INTERRUPT_CHECK_MASK) == 0 && Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
        }

        @Override
        public void close()
        {
            if (appender != null)
            {
                appender.close();
                out.close();
            }
            if (tailer != null)
            {
                tailer.close();
                in.close();
            }
        }
    }
}
