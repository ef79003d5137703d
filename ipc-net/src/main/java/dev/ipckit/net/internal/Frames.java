package dev.ipckit.net.internal;

/**
 * The layout of every Aeron message ipckit sends on a connection (little-endian, as Agrona's buffers):
 * <pre>
 *   0  byte  TYPE    one of the types below
 *   1  byte  FLAGS   {@link #FLAG_MORE}: the message goes on in the next frame (a message longer than the
 *                    publication's largest is sent in chunks)
 *   2  ...   payload
 * </pre>
 * Before the handshake is over only {@link #HELLO}, {@link #CHALLENGE}, {@link #RESPONSE}, {@link #WELCOME} and
 * {@link #FAILURE} are accepted, each with the exact payload length below; anything else ends the handshake. After it,
 * {@link #OBJECT}, {@link #BYTES} and {@link #CLOSE}.
 * <pre>
 *   HELLO      int MAGIC, int VERSION, int reply stream id, int reply port: the listener answers to that port at the
 *              address the HELLO came from (never to another host a client names)
 *   CHALLENGE  {@link #NONCE_LENGTH} random bytes
 *   RESPONSE   {@link #MAC_LENGTH} bytes: HMAC-SHA256 over the authkey of the role of the one answering and the nonce
 *   WELCOME    nothing: the answer was right
 *   FAILURE    nothing: it was wrong (the connection ends)
 *   OBJECT     the message, as the connection's codec wrote it
 *   BYTES      the message's bytes
 *   CLOSE      nothing: the sender closed its end
 * </pre>
 */
public final class Frames
{
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = TYPE_OFFSET + 1;
    public static final int HEADER_LENGTH = FLAGS_OFFSET + 1;

    public static final byte HELLO = 1;
    public static final byte CHALLENGE = 2;
    public static final byte RESPONSE = 3;
    public static final byte WELCOME = 4;
    public static final byte FAILURE = 5;
    public static final byte OBJECT = 6;
    public static final byte BYTES = 7;
    public static final byte CLOSE = 8;

    public static final byte FLAG_MORE = 1;

    /** "ipcn". */
    public static final int MAGIC = 0x6970636e;
    public static final int VERSION = 1;
    public static final int HELLO_MAGIC_OFFSET = HEADER_LENGTH;
    public static final int HELLO_VERSION_OFFSET = HELLO_MAGIC_OFFSET + Integer.BYTES;
    public static final int HELLO_STREAM_OFFSET = HELLO_VERSION_OFFSET + Integer.BYTES;
    public static final int HELLO_PORT_OFFSET = HELLO_STREAM_OFFSET + Integer.BYTES;
    /** A HELLO's payload length (the frame without its header). */
    public static final int HELLO_LENGTH = HELLO_PORT_OFFSET + Integer.BYTES - HEADER_LENGTH;

    public static final int NONCE_LENGTH = 32;
    public static final int MAC_LENGTH = 32;

    /** The stream id a listener receives on. */
    public static final int LISTEN_STREAM_ID = 0x1970;
    /** The stream id a client receives its replies on. */
    public static final int REPLY_STREAM_ID = 0x1971;

    private Frames()
    {
    }
}
