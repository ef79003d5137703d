package dev.ipckit.net;

import dev.ipckit.net.internal.Frames;
import dev.ipckit.net.internal.Link;
import org.agrona.concurrent.UnsafeBuffer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The challenge-response of a new connection, Python's {@code deliver_challenge} and {@code answer_challenge} in both
 * directions: the listener challenges the client with a random nonce, the client answers with an HMAC-SHA256 over the
 * authkey, the listener says whether it was right; then the client challenges the listener the same way. The MAC
 * covers the role of the one answering as well as the nonce, so an answer cannot be reflected back as the other side's.
 * Nothing but handshake frames is accepted until both have proved they hold the key; a frame out of turn or of the
 * wrong length ends it. Non-blocking: {@link #step()} does what has become possible and returns; the caller loops (a
 * client) or steps several handshakes in turn (a listener).
 */
final class Handshake
{
    static final byte CLIENT_ROLE = 'C';
    static final byte SERVER_ROLE = 'S';

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long HANDSHAKE_FRAMES = Link.allow(Frames.HELLO) | Link.allow(Frames.CHALLENGE) |
        Link.allow(Frames.RESPONSE) | Link.allow(Frames.WELCOME) | Link.allow(Frames.FAILURE);

    private enum State
    {
        SEND_HELLO, CLIENT_AWAIT_CHALLENGE, CLIENT_AWAIT_VERDICT, CLIENT_AWAIT_RESPONSE,
        SEND_CHALLENGE, SERVER_AWAIT_RESPONSE, SERVER_AWAIT_CHALLENGE, SERVER_AWAIT_VERDICT,
        DONE
    }

    private final boolean client;
    private final byte[] authkey;
    private final Link link;
    private final int replyPort;
    private final byte[] nonce = new byte[Frames.NONCE_LENGTH];
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    /** A frame the publication had no room for yet (a new publication's window may lag its connection): sent first. */
    private byte unsentType;
    private int unsentLength;
    private State state;

    private Handshake(final boolean client, final byte[] authkey, final Link link, final int replyPort)
    {
        this.client = client;
        this.authkey = authkey;
        this.link = link;
        this.replyPort = replyPort;
        this.state = client ? State.SEND_HELLO : State.SEND_CHALLENGE;
        RANDOM.nextBytes(nonce);
    }

    /** @return where the handshake stands, for messages. */
    String stage()
    {
        return switch (state)
        {
            case SEND_HELLO -> "no contact with the listener yet";
            case CLIENT_AWAIT_CHALLENGE -> "HELLO sent, no challenge back" +
                (link.image() == null ? " (nothing came back at all)" : "");
            case CLIENT_AWAIT_VERDICT -> "challenge answered, no verdict back";
            case CLIENT_AWAIT_RESPONSE -> "accepted, the listener did not answer this client's challenge";
            case SEND_CHALLENGE -> "HELLO read, the way back to the client not connected";
            case SERVER_AWAIT_RESPONSE -> "challenge sent, no answer";
            case SERVER_AWAIT_CHALLENGE -> "the client proved its key, no challenge from it";
            case SERVER_AWAIT_VERDICT -> "challenge answered, no verdict";
            case DONE -> "done";
        };
    }

    /** The frames a link accepts during a handshake, and the longest (a HELLO). */
    static void limitToHandshake(final Link link)
    {
        link.accept(Math.max(Frames.HELLO_LENGTH, Frames.NONCE_LENGTH), HANDSHAKE_FRAMES);
    }

    /**
     * The client's side, which starts with a HELLO once its publication to the listener is connected.
     *
     * @param replyPort the port of the client's subscription, where the listener is to answer.
     */
    static Handshake client(final byte[] authkey, final Link link, final int replyPort)
    {
        limitToHandshake(link);
        return new Handshake(true, authkey, link, replyPort);
    }

    /** The listener's side, once the client's HELLO is read and the publication back to it is made. */
    static Handshake server(final byte[] authkey, final Link link)
    {
        limitToHandshake(link);
        return new Handshake(false, authkey, link, 0);
    }

    /**
     * Does what has become possible.
     *
     * @return true once both sides have proved they hold the key.
     * @throws AuthenticationException when a side did not, or the peer does not speak the handshake.
     * @throws IOException             when the peer went away during the handshake.
     */
    boolean step() throws IOException
    {
        if (unsentType != 0 && !flush())
        {
            return false;
        }
        final byte type;
        try
        {
            type = link.poll();
        }
        catch (final Link.ProtocolException ex)
        {
            throw new AuthenticationException(link.peer() + " does not speak ipckit's handshake: " + ex.getMessage());
        }
        if (type == 0)
        {
            if (link.peerGone())
            {
                throw new IOException(link.peer() + (client ?
                    " ended the handshake: the listener was closed or died, or dropped this client for taking longer " +
                    "than its handshake timeout (NetOptions.withHandshakeTimeout, default " +
                    NetOptions.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds() + " s, counted from the first contact)" :
                    " went away during the handshake"));
            }
            switch (state)
            {
                case SEND_HELLO:
                    if (link.publication().isConnected())
                    {
                        frame.putInt(Frames.HELLO_MAGIC_OFFSET - Frames.HEADER_LENGTH, Frames.MAGIC);
                        frame.putInt(Frames.HELLO_VERSION_OFFSET - Frames.HEADER_LENGTH, Frames.VERSION);
                        frame.putInt(Frames.HELLO_STREAM_OFFSET - Frames.HEADER_LENGTH, Frames.REPLY_STREAM_ID);
                        frame.putInt(Frames.HELLO_PORT_OFFSET - Frames.HEADER_LENGTH, replyPort);
                        send(Frames.HELLO, Frames.HELLO_LENGTH);
                        state = State.CLIENT_AWAIT_CHALLENGE;
                    }
                    break;
                case SEND_CHALLENGE:
                    if (link.publication().isConnected())
                    {
                        sendNonce();
                        state = State.SERVER_AWAIT_RESPONSE;
                    }
                    break;
                default:
                    break;
            }
            return state == State.DONE;
        }
        final int length = link.messageLength();
        switch (state)
        {
            case CLIENT_AWAIT_CHALLENGE:
            case SERVER_AWAIT_CHALLENGE:
                expect(type, Frames.CHALLENGE, length, Frames.NONCE_LENGTH);
                answer(link.message());
                state = client ? State.CLIENT_AWAIT_VERDICT : State.SERVER_AWAIT_VERDICT;
                break;
            case CLIENT_AWAIT_VERDICT:
            case SERVER_AWAIT_VERDICT:
                if (type == Frames.FAILURE && length == 0)
                {
                    throw new AuthenticationException(link.peer() + " refused the authkey of this " +
                        (client ? "client" : "listener") + " (the two ends were given different authkeys)");
                }
                expect(type, Frames.WELCOME, length, 0);
                if (client)
                {
                    link.consume();
                    sendNonce();
                    state = State.CLIENT_AWAIT_RESPONSE;
                    return false;
                }
                state = State.DONE;
                break;
            case CLIENT_AWAIT_RESPONSE:
            case SERVER_AWAIT_RESPONSE:
                expect(type, Frames.RESPONSE, length, Frames.MAC_LENGTH);
                final byte[] expected = mac(client ? SERVER_ROLE : CLIENT_ROLE, nonce);
                final byte[] actual = new byte[Frames.MAC_LENGTH];
                link.message().getBytes(0, actual);
                link.consume();
                if (!MessageDigest.isEqual(expected, actual))
                {
                    send(Frames.FAILURE, 0);
                    throw new AuthenticationException(link.peer() + " did not prove it holds the authkey (the two ends " +
                        "were given different authkeys); nothing was delivered");
                }
                send(Frames.WELCOME, 0);
                state = client ? State.DONE : State.SERVER_AWAIT_CHALLENGE;
                return state == State.DONE;
            default:
                throw new AuthenticationException(link.peer() + " does not speak ipckit's handshake: a frame of type " +
                    type + " out of turn");
        }
        link.consume();
        return state == State.DONE;
    }

    private void expect(final byte type, final byte wanted, final int length, final int wantedLength)
        throws AuthenticationException
    {
        if (type != wanted || length != wantedLength)
        {
            throw new AuthenticationException(link.peer() + " does not speak ipckit's handshake: a frame of type " +
                type + " and " + length + " bytes where type " + wanted + " and " + wantedLength + " were due");
        }
    }

    private void sendNonce() throws IOException
    {
        frame.putBytes(0, nonce);
        send(Frames.CHALLENGE, Frames.NONCE_LENGTH);
    }

    private void answer(final org.agrona.MutableDirectBuffer challenge) throws IOException
    {
        final byte[] theirs = new byte[Frames.NONCE_LENGTH];
        challenge.getBytes(0, theirs);
        link.consume();
        frame.putBytes(0, mac(client ? CLIENT_ROLE : SERVER_ROLE, theirs));
        send(Frames.RESPONSE, Frames.MAC_LENGTH);
    }

    /**
     * Sends a handshake frame now, or as soon as the publication has room ({@link #step()} retries it first): the
     * peer sends nothing until it has it, so waiting for room here would only hold up a listener's other clients.
     */
    private void send(final byte type, final int length) throws IOException
    {
        unsentType = type;
        unsentLength = length;
        flush();
    }

    /** @return whether the unsent frame went out. */
    private boolean flush() throws IOException
    {
        try
        {
            if (!link.send(unsentType, frame, 0, unsentLength, 0))
            {
                return false;
            }
            unsentType = 0;
            return true;
        }
        catch (final IllegalStateException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the handshake with " + link.peer(), ex);
        }
    }

    private byte[] mac(final byte role, final byte[] challenge)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(authkey, "HmacSHA256"));
            mac.update(role);
            return mac.doFinal(challenge);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JVM has no HmacSHA256", ex);
        }
    }
}
