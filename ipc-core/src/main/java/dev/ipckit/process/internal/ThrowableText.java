package dev.ipckit.process.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text form of one throwable of a remote cause chain: class name, message and stack frames. Unlike the throwable
 * itself it always crosses the process boundary, whatever the exception class holds.
 */
public final class ThrowableText
{
    /** Cause chains longer than this are cut (and cycles are cut where they close). */
    static final int MAX_CHAIN = 64;

    public final String className;
    public final String message;
    public final StackTraceElement[] frames;

    ThrowableText(final String className, final String message, final StackTraceElement[] frames)
    {
        this.className = className;
        this.message = message;
        this.frames = frames;
    }

    /**
     * The text form of a throwable and its causes, outermost first.
     *
     * @param throwable the throwable.
     * @return one entry per throwable of the chain.
     */
    static List<ThrowableText> chainOf(final Throwable throwable)
    {
        final List<ThrowableText> chain = new ArrayList<>();
        final Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = throwable;
        while (current != null && chain.size() < MAX_CHAIN && seen.put(current, Boolean.TRUE) == null)
        {
            chain.add(new ThrowableText(current.getClass().getName(), messageOf(current), current.getStackTrace()));
            current = current.getCause();
        }
        return Collections.unmodifiableList(chain);
    }

    private static String messageOf(final Throwable throwable)
    {
        try
        {
            return throwable.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "<getMessage() threw " + ex.getClass().getName() + ">";
        }
    }
}
