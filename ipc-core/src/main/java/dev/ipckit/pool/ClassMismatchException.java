package dev.ipckit.pool;

/**
 * A task could not run in a worker that joined from another host because a class it needs differs there: missing
 * from the worker's class path, or a class file other than the pool's (another version). Python's equivalent is a
 * remote worker without the same modules. The task fails with it (as its cause); the worker and the pool go on.
 */
public class ClassMismatchException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final String className;

    /**
     * @param className the class that differs.
     * @param message   what differs, where.
     */
    public ClassMismatchException(final String className, final String message)
    {
        super(message);
        this.className = className;
    }

    /** @return the binary name of the class that differs. */
    public String className()
    {
        return className;
    }
}
