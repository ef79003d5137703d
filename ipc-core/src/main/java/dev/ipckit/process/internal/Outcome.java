package dev.ipckit.process.internal;

import java.util.List;

/**
 * What a child's result file says: the task returned (with a serialized value, or null), or it failed (with the
 * text form of its exception and, when it could be serialized, the exception itself).
 */
public final class Outcome
{
    public final boolean failed;
    public final byte[] value;
    public final List<ThrowableText> failure;
    public final byte[] serializedFailure;

    private Outcome(final boolean failed, final byte[] value, final List<ThrowableText> failure, final byte[] serializedFailure)
    {
        this.failed = failed;
        this.value = value;
        this.failure = failure;
        this.serializedFailure = serializedFailure;
    }

    static Outcome returned(final byte[] value)
    {
        return new Outcome(false, value, List.of(), null);
    }

    static Outcome failed(final List<ThrowableText> failure, final byte[] serializedFailure)
    {
        return new Outcome(true, null, failure, serializedFailure);
    }
}
