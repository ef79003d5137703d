package dev.ipckit.stress.harness;

import dev.ipckit.queue.Transport;

import java.util.List;

/**
 * The workloads by name, in the order a run takes them.
 */
final class Workloads
{
    static final List<String> NAMES = List.of("counter", "atomic", "semaphore", "queue", "queue-ring", "pipe", "pipe-ring",
        "pool");

    private Workloads()
    {
    }

    static Workload create(final String name)
    {
        return switch (name)
        {
            case "counter" -> new CounterWorkload();
            case "atomic" -> new AtomicWorkload();
            case "semaphore" -> new SemaphoreWorkload();
            case "queue" -> new QueueWorkload(Transport.JOURNAL);
            case "queue-ring" -> new QueueWorkload(Transport.RING);
            case "pipe" -> new PipeWorkload(Transport.JOURNAL);
            case "pipe-ring" -> new PipeWorkload(Transport.RING);
            case "pool" -> new PoolWorkload();
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'");
        };
    }
}
