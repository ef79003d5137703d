package dev.ipckit.net;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link RemoteQueue} and a {@link QueueServer} say to each other over one {@link NetConnection}: one request
 * at a time, each answered before the next. Control frames are bytes messages; items are object messages encoded by
 * the connection's codec (the queue's).
 * <pre>
 * client -> server
 *   PUT   byte 1, long timeout nanos (-1: wait as long as it takes), then the item
 *   TAKE  byte 2, long timeout nanos (-1: wait as long as it takes)
 *   BYE   byte 3: the client closes; what it holds is acknowledged
 * server -> client
 *   DONE  byte 10: the item was put
 *   FULL  byte 11: no room within the timeout
 *   ITEM  byte 12, then the item
 *   EMPTY byte 13: nothing within the timeout
 *   ERROR byte 14, UTF-8 text: the request failed (the queue closed, an item too large, ...)
 *   SHUT_DOWN byte 15, UTF-8 text: the queue was shut down (a put, or a take with nothing left)
 * </pre>
 * An item taken is held for the client until its next request (or BYE); if the connection ends first (the client
 * died, or was silent past the liveness timeout), the server puts the item back, so another consumer gets it.
 */
final class QueueProtocol
{
    static final byte PUT = 1;
    static final byte TAKE = 2;
    static final byte BYE = 3;
    static final byte DONE = 10;
    static final byte FULL = 11;
    static final byte ITEM = 12;
    static final byte EMPTY = 13;
    static final byte ERROR = 14;
    static final byte SHUT_DOWN = 15;

    /** A request's length: its op and a timeout. */
    static final int REQUEST_LENGTH = 1 + Long.BYTES;
    /** The timeout that means none. */
    static final long FOREVER = -1;

    private QueueProtocol()
    {
    }

    static byte[] request(final byte op, final long timeoutNanos)
    {
        final byte[] frame = new byte[REQUEST_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putByte(0, op);
        view.putLong(1, timeoutNanos);
        return frame;
    }

    static long timeoutOf(final byte[] request)
    {
        return new UnsafeBuffer(request).getLong(1);
    }

    static byte[] error(final String text)
    {
        return answer(ERROR, text);
    }

    /** The answer to a request that failed: SHUT_DOWN for a queue shut down, else ERROR. */
    static byte[] failure(final RuntimeException ex)
    {
        return answer(ex instanceof dev.ipckit.queue.QueueShutDownException ? SHUT_DOWN : ERROR,
            String.valueOf(ex.getMessage()));
    }

    private static byte[] answer(final byte code, final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[1 + utf8.length];
        frame[0] = code;
        System.arraycopy(utf8, 0, frame, 1, utf8.length);
        return frame;
    }

    static String errorText(final byte[] frame)
    {
        return new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
    }
}
