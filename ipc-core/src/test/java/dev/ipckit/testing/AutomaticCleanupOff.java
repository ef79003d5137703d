package dev.ipckit.testing;

import dev.ipckit.platform.internal.ResourceTracker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns automatic cleanup ({@link ResourceTracker}) off in the test JVM for each test of a class that needs what a
 * dead creator left to stay: tests of {@code ./ipckit clean}, of {@code openOrCreate} finishing a half-made object,
 * and of files made to look stale. Without it, the test JVM (the dead child's parent) would sweep those files away
 * at the child's exit, or in the background at its first creation in the directory.
 */
public final class AutomaticCleanupOff implements BeforeEachCallback, AfterEachCallback
{
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(AutomaticCleanupOff.class);

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        final String previous = System.getProperty(ResourceTracker.CLEANUP_PROPERTY);
        context.getStore(NAMESPACE).put("previous", previous == null ? "" : previous);
        System.setProperty(ResourceTracker.CLEANUP_PROPERTY, "false");
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final String previous = context.getStore(NAMESPACE).get("previous", String.class);
        if (previous == null || previous.isEmpty())
        {
            System.clearProperty(ResourceTracker.CLEANUP_PROPERTY);
        }
        else
        {
            System.setProperty(ResourceTracker.CLEANUP_PROPERTY, previous);
        }
    }
}
