package dev.ipckit.pool;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What a pool and a worker that joined it over a {@link WorkerLink} say to each other. After the transport's own
 * handshake (the network's authkey challenge), the worker says HELLO, the pool gives it a seat (WELCOME, with the terms
 * every worker of the pool gets) or refuses it; from then on the pool's ring messages cross the link as RING frames,
 * one per ring message, in both directions. A worker that meets a class it has not checked yet asks for the pool's
 * class file digest (CLASS_QUERY) and waits for the answer.
 * <pre>
 * worker -> pool
 *   HELLO        byte 1, int VERSION, long pid, host name (UTF-8, to the end)
 *   CLASS_QUERY  byte 5, class name (UTF-8, to the end)
 * pool -> worker
 *   WELCOME      byte 2, int VERSION, the {@link WorkerTerms} (Java serialization, to the end)
 *   REFUSED      byte 3, why (UTF-8, to the end)
 *   SHUT_DOWN    byte 7, why (UTF-8, to the end): the pool takes no more work; the worker ends as if stopped
 *   CLASS_ANSWER byte 6, byte FOUND/ABSENT/UNCHECKED, 32 bytes SHA-256 of the class file (zeros unless FOUND),
 *                class name (UTF-8, to the end)
 * both ways
 *   RING         byte 4, int ring message type ({@link PoolLayout}), the ring message (to the end)
 * </pre>
 */
final class SeatProtocol
{
    static final int VERSION = 1;

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REFUSED = 3;
    static final byte RING = 4;
    static final byte CLASS_QUERY = 5;
    static final byte CLASS_ANSWER = 6;
    static final byte SHUT_DOWN = 7;

    /** The pool has the class, and its class file's digest follows. */
    static final byte FOUND = 1;
    /** The pool has no class of that name. */
    static final byte ABSENT = 2;
    /** The pool has the class but no class file to compare (a class made at run time, a JDK class): not compared. */
    static final byte UNCHECKED = 3;

    static final int KIND_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int HELLO_PID_OFFSET = VERSION_OFFSET + Integer.BYTES;
    static final int HELLO_HOST_OFFSET = HELLO_PID_OFFSET + Long.BYTES;
    static final int WELCOME_TERMS_OFFSET = VERSION_OFFSET + Integer.BYTES;
    static final int RING_TYPE_OFFSET = 1;
    static final int RING_MESSAGE_OFFSET = RING_TYPE_OFFSET + Integer.BYTES;
    static final int ANSWER_VERDICT_OFFSET = 1;
    static final int ANSWER_DIGEST_OFFSET = ANSWER_VERDICT_OFFSET + 1;
    static final int DIGEST_LENGTH = 32;
    static final int ANSWER_NAME_OFFSET = ANSWER_DIGEST_OFFSET + DIGEST_LENGTH;

    private SeatProtocol()
    {
    }

    static byte[] hello(final long pid, final String host)
    {
        final byte[] utf8 = host.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[HELLO_HOST_OFFSET + utf8.length];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putByte(KIND_OFFSET, HELLO);
        view.putInt(VERSION_OFFSET, VERSION);
        view.putLong(HELLO_PID_OFFSET, pid);
        view.putBytes(HELLO_HOST_OFFSET, utf8);
        return frame;
    }

    static byte[] welcome(final byte[] terms)
    {
        final byte[] frame = new byte[WELCOME_TERMS_OFFSET + terms.length];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putByte(KIND_OFFSET, WELCOME);
        view.putInt(VERSION_OFFSET, VERSION);
        view.putBytes(WELCOME_TERMS_OFFSET, terms);
        return frame;
    }

    /** A frame of one kind and a text to its end: REFUSED, SHUT_DOWN, CLASS_QUERY. */
    static byte[] text(final byte kind, final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[1 + utf8.length];
        frame[KIND_OFFSET] = kind;
        System.arraycopy(utf8, 0, frame, 1, utf8.length);
        return frame;
    }

    static String textOf(final byte[] frame, final int offset)
    {
        return new String(frame, offset, frame.length - offset, StandardCharsets.UTF_8);
    }

    static byte[] classAnswer(final String name, final byte verdict, final byte[] digest)
    {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[ANSWER_NAME_OFFSET + utf8.length];
        frame[KIND_OFFSET] = CLASS_ANSWER;
        frame[ANSWER_VERDICT_OFFSET] = verdict;
        if (digest != null)
        {
            System.arraycopy(digest, 0, frame, ANSWER_DIGEST_OFFSET, DIGEST_LENGTH);
        }
        System.arraycopy(utf8, 0, frame, ANSWER_NAME_OFFSET, utf8.length);
        return frame;
    }

    /** Checks a frame is at least {@code length} bytes; a shorter one is a peer that does not speak this protocol. */
    static void requireLength(final byte[] frame, final int length, final String what, final String peer)
    {
        if (frame.length < length)
        {
            throw new IllegalStateException("a " + what + " frame of " + frame.length + " bytes from " + peer +
                " (at least " + length + " expected): not a pool worker link of this version");
        }
    }
}
