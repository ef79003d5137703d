package dev.ipckit.process;

import java.util.List;
import java.util.Optional;
import dev.ipckit.process.internal.ThrowableText;

/**
 * An exception a child process's task threw and did not catch, as the parent sees it: the remote class name, message
 * and stack trace, with the remote causes as causes. The message reads
 * {@code java.lang.IllegalStateException: boom (in child process 'worker' pid 1234)}.
 * <p>
 * The text form always arrives. The original exception also arrives, as {@link #remoteThrowable()}, when it could be
 * serialized in the child and deserialized in the parent.
 */
public class RemoteException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final String processName;
    private final long pid;
    private final Throwable remoteThrowable;

    RemoteException(
        final ThrowableText text,
        final RemoteException cause,
        final String processName,
        final long pid,
        final Throwable remoteThrowable)
    {
        super(describe(text, processName, pid), cause, false, true);
        this.remoteClassName = text.className;
        this.remoteMessage = text.message;
        this.processName = processName;
        this.pid = pid;
        this.remoteThrowable = remoteThrowable;
        setStackTrace(text.frames);
    }

    /**
     * Builds the exception for a remote cause chain.
     *
     * @param chain           the chain, outermost first; not empty.
     * @param remoteThrowable the deserialized original, or null.
     * @param processName     the child's name.
     * @param pid             the child's pid.
     * @return the exception for the outermost throwable, with the others as its causes.
     */
    static RemoteException of(
        final List<ThrowableText> chain, final Throwable remoteThrowable, final String processName, final long pid)
    {
        RemoteException cause = null;
        for (int i = chain.size() - 1; i >= 0; i--)
        {
            final Throwable original = i == 0 ? remoteThrowable : null;
            cause = new RemoteException(chain.get(i), cause, processName, pid, original);
        }
        return cause;
    }

    /**
     * The class name of the exception in the child, e.g. {@code java.lang.IllegalStateException}.
     *
     * @return the remote class name.
     */
    public String remoteClassName()
    {
        return remoteClassName;
    }

    /**
     * The message of the exception in the child.
     *
     * @return the remote message, or null when it had none.
     */
    public String remoteMessage()
    {
        return remoteMessage;
    }

    /**
     * The name of the child process the exception comes from.
     *
     * @return the process name.
     */
    public String processName()
    {
        return processName;
    }

    /**
     * The pid of the child process the exception comes from.
     *
     * @return the pid.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * The original exception, when it could cross the process boundary (only for the outermost exception; its causes
     * are inside it).
     *
     * @return the deserialized original, or empty when it was not serializable or not deserializable here.
     */
    public Optional<Throwable> remoteThrowable()
    {
        return Optional.ofNullable(remoteThrowable);
    }

    private static String describe(final ThrowableText text, final String processName, final long pid)
    {
        final StringBuilder builder = new StringBuilder(text.className);
        if (text.message != null)
        {
            builder.append(": ").append(text.message);
        }
        return builder.append(" (in child process '").append(processName).append("' pid ").append(pid).append(')')
            .toString();
    }
}
