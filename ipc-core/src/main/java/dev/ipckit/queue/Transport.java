package dev.ipckit.queue;

/**
 * What carries a {@link Pipe}'s or a {@link SharedQueue}'s messages, chosen at creation and recorded in its files, so
 * every process that attaches (a child deserializing a handle, a process opening it by name) uses the same one.
 * <p>
 * The two keep the same API and the same promises when a process dies: a message a dead sender left half-written is
 * never delivered, the end of a pipe whose peer closed or died is reported once every complete message is read.
 * They differ in what they keep and what they cost; {@code docs/transports.md} says when to use which.
 */
public enum Transport
{
    /**
     * A Chronicle Queue journal (the default): durable and persistent (messages survive every process and can be
     * replayed from the files), unbounded (a send never blocks), a message up to 512 MiB - 1 bytes.
     */
    JOURNAL,
    /**
     * An Agrona ring buffer in the object's shared-memory region: transient (the messages are gone with the region),
     * bounded in bytes (a send waits while the ring is full), a message at most an eighth of the ring's capacity,
     * several times the journal's rate.
     */
    RING
}
