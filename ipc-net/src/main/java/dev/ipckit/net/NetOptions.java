package dev.ipckit.net;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.queue.Connection;
import dev.ipckit.sync.WaitStrategy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Listener} accepts and a {@link Client} connects: the codec of object messages, the longest message, how
 * long a connect and a handshake may take, and how a waiting call waits. Immutable; each {@code with...} returns a
 * copy.
 */
public final class NetOptions
{
    /** The longest message by default: what a local pipe takes ({@link Connection#MAX_MESSAGE_BYTES}). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = Connection.MAX_MESSAGE_BYTES;
    /** How long {@link Client#connect} waits for the listener by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the handshake of one connection may take by default, after the first contact. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private static final NetOptions DEFAULTS = new NetOptions(Codecs.standard(), DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, WaitStrategy.backoff());

    private final Codec<Object> codec;
    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final WaitStrategy waitStrategy;

    private NetOptions(final Codec<Object> codec, final int maxMessageBytes, final Duration connectTimeout,
        final Duration handshakeTimeout, final WaitStrategy waitStrategy)
    {
        this.codec = codec;
        this.maxMessageBytes = maxMessageBytes;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.waitStrategy = waitStrategy;
    }

    /**
     * @return the defaults: {@link Codecs#standard()}, messages up to {@link #DEFAULT_MAX_MESSAGE_BYTES}, connect
     *         within {@link #DEFAULT_CONNECT_TIMEOUT}, handshake within {@link #DEFAULT_HANDSHAKE_TIMEOUT}, the backoff
     *         wait.
     */
    public static NetOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * @param codec how {@code send(Object)} encodes and {@code recv()} decodes; both ends must use the same.
     * @return a copy with it.
     */
    public NetOptions withCodec(final Codec<Object> codec)
    {
        return new NetOptions(Objects.requireNonNull(codec, "codec"), maxMessageBytes, connectTimeout,
            handshakeTimeout, waitStrategy);
    }

    /**
     * @param bytes the longest message this end sends or accepts (encoded), from 1 to
     *              {@link #DEFAULT_MAX_MESSAGE_BYTES}; a longer one is refused before anything is sent, and a peer
     *              that sends one has its connection ended.
     * @return a copy with it.
     */
    public NetOptions withMaxMessageBytes(final int bytes)
    {
        if (bytes < 1 || bytes > DEFAULT_MAX_MESSAGE_BYTES)
        {
            throw new IllegalArgumentException(
                "the longest message must be from 1 to " + DEFAULT_MAX_MESSAGE_BYTES + " bytes: " + bytes);
        }
        return new NetOptions(codec, bytes, connectTimeout, handshakeTimeout, waitStrategy);
    }

    /**
     * @param timeout how long {@link Client#connect} waits for the listener to answer, handshake included.
     * @return a copy with it.
     */
    public NetOptions withConnectTimeout(final Duration timeout)
    {
        return new NetOptions(codec, maxMessageBytes, positive(timeout, "connect timeout"), handshakeTimeout,
            waitStrategy);
    }

    /**
     * @param timeout how long a listener gives one client to finish the handshake once it made contact; a client that
     *                takes longer is dropped, and the listener serves the others meanwhile.
     * @return a copy with it.
     */
    public NetOptions withHandshakeTimeout(final Duration timeout)
    {
        return new NetOptions(codec, maxMessageBytes, connectTimeout, positive(timeout, "handshake timeout"),
            waitStrategy);
    }

    /**
     * @param strategy how a receive waits for a message and a send for room.
     * @return a copy with it.
     */
    public NetOptions withWaitStrategy(final WaitStrategy strategy)
    {
        return new NetOptions(codec, maxMessageBytes, connectTimeout, handshakeTimeout,
            Objects.requireNonNull(strategy, "strategy"));
    }

    /** @return the codec of object messages. */
    public Codec<Object> codec()
    {
        return codec;
    }

    /** @return the longest message. */
    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    /** @return the connect timeout. */
    public Duration connectTimeout()
    {
        return connectTimeout;
    }

    /** @return the handshake timeout. */
    public Duration handshakeTimeout()
    {
        return handshakeTimeout;
    }

    /** @return how calls wait. */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    private static Duration positive(final Duration timeout, final String what)
    {
        if (Objects.requireNonNull(timeout, what).isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("the " + what + " must be positive: " + timeout);
        }
        return timeout;
    }
}
