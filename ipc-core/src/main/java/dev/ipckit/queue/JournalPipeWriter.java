package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Sends into the Chronicle journal the peer reads: one document per message, [byte kind][message], then the
 * document's index as the end's SENT_INDEX (see {@link PipeControl}). A journal is unbounded, so a send never waits.
 */
final class JournalPipeWriter extends PipeWriter
{

    private final PipeLink link;
    private final PipeControl control;
    private final int end;
    private final Codec<Object> codec;
    private final ExcerptAppender appender;

    JournalPipeWriter(final PipeLink link, final int end, final Codec<Object> codec)
    {
        this.link = link;
        this.control = link.control;
        this.end = end;
        this.codec = codec;
        try
        {
            this.appender = link.journal(PipeControl.peer(end)).createAppender();
        }
        catch (final RuntimeException ex)
        {
            releaseScratch();
            throw ex;
        }
        // The send lock makes the appender single-threaded, and publishes its state from one sending thread to the
        // next; Chronicle's own check would reject a second thread.
        appender.singleThreadedCheckDisabled(true);
    }

    @Override
    int maxMessageBytes()
    {
        return Journal.MAX_MESSAGE_BYTES;
    }

    @Override
    boolean sendObject(final Object message, final long timeoutNanos, final boolean interruptible)
    {
        try
        {
            // The write limit stops a message too large for the journal before the scratch grows to hold it.
            scratch.clear().writeLimit(Journal.MAX_MESSAGE_BYTES);
            try
            {
                codec.encode(message, scratch);
            }
            catch (final RuntimeException ex)
            {
                if (Journal.isOverLimit(ex))
                {
                    throw Journal.tooLarge(link.describe(end), Journal.describe(message));
                }
                throw ex;
            }
            try (DocumentContext document = appender.writingDocument())
            {
                document.wire().bytes().writeByte(Connection.KIND_OBJECT).write(scratch);
            }
            recordSent();
            return true;
        }
        finally
        {
            trimScratch();
        }
    }

    @Override
    boolean sendBytes(
        final byte[] buf, final int offset, final int length, final long timeoutNanos, final boolean interruptible)
    {
        if (length > Journal.MAX_MESSAGE_BYTES)
        {
            throw Journal.tooLarge(link.describe(end), "a message of " + length + " bytes");
        }
        try (DocumentContext document = appender.writingDocument())
        {
            document.wire().bytes().writeByte(Connection.KIND_BYTES).write(buf, offset, length);
        }
        recordSent();
        return true;
    }

    /**
     * After an append: publishes its index for the peer's damage check (see {@link PipeControl}'s SENT_INDEX). A
     * sender killed between the append and this store leaves the index one message behind: that message is still
     * read, only not checked.
     */
    private void recordSent()
    {
        control.sentIndex(end, appender.lastIndexAppended());
    }

    @Override
    void close()
    {
        appender.close();
        releaseScratch();
    }
}
