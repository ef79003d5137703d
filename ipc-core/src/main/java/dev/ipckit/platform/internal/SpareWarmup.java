package dev.ipckit.platform.internal;

/**
 * A step a spare JVM ({@code StartMethod.FORKSERVER}) runs while it waits for its task: the first use of something
 * most children need, whose first use in a fresh JVM is slow (class loading, static initializers, method handle
 * spinning). Found with {@link java.util.ServiceLoader}, so that {@code process} can warm the layers above it
 * without depending on them.
 * <p>
 * A step leaves nothing behind that a child could see: files it makes it removes, objects it opens it closes. It runs
 * before the spare becomes a child (the spare's task waits for it), in a daemon thread; what it throws is ignored.
 * <p>
 * Internal: implemented in ipc-core only.
 */
public interface SpareWarmup
{
    /**
     * Runs the step once.
     *
     * @throws Exception when it fails; the child then pays for the first use itself.
     */
    void warmUp() throws Exception;
}
