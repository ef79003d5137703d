package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.io.Serializable;

/**
 * Turns messages into bytes and back for queues and pipes. A codec travels with its queue or connection to other
 * processes, so it is {@link Serializable}; it must be stateless or thread-safe, since one instance serves every
 * thread of a process.
 * <p>
 * {@link #encode} runs in the sending thread before anything is appended: an exception there fails the send and
 * leaves the queue unchanged. {@link #decode} sees exactly the bytes {@code encode} wrote.
 *
 * @param <E> the message type.
 * @see Codecs
 */
public interface Codec<E> extends Serializable
{
    /**
     * Writes one message.
     *
     * @param message the message, never null (queues and pipes reject null before encoding).
     * @param out     where to write; grows as needed.
     * @throws IllegalArgumentException when the message cannot be encoded by this codec.
     */
    void encode(E message, BytesOut<?> out);

    /**
     * Reads one message written by {@link #encode}.
     *
     * @param in the message's bytes; {@code in.readRemaining()} is its length.
     * @return the message.
     * @throws IllegalStateException when the bytes are not a message of this codec.
     */
    E decode(BytesIn<?> in);
}
