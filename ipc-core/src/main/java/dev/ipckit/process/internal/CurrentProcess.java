package dev.ipckit.process.internal;

import dev.ipckit.process.internal.ChildMain;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * What this JVM is: the main process, or a child started by {@link IpcProcess} (set by {@link ChildMain}).
 */
public final class CurrentProcess
{
    static final String MAIN_NAME = "MainProcess";

    private static volatile String name = MAIN_NAME;
    private static volatile boolean child;
    private static volatile boolean daemon;
    /** The process that started this child: its name and pid; null and 0 in the main process. */
    private static volatile String parentName;
    private static volatile long parentPid;
    /** This process's authkey: inherited by a child, made on first use in the main process; never handed out. */
    private static volatile byte[] authkey;
    private static volatile boolean taskFinished;
    private static volatile boolean startedChildren;

    private CurrentProcess()
    {
    }

    static void enterChild(
        final String childName, final boolean childDaemon, final String creatorName, final long creatorPid,
        final byte[] inheritedAuthkey)
    {
        authkey = inheritedAuthkey;
        name = childName;
        daemon = childDaemon;
        parentName = creatorName;
        parentPid = creatorPid;
        child = true;
    }

    /**
     * This process's authkey, shared with the children it starts (Python's {@code current_process().authkey}): the
     * one it inherited, the one set last, or {@value #AUTHKEY_BYTES} random bytes made on first use.
     *
     * @return the key itself, not a copy: callers inside ipckit do not change it.
     */
    public static byte[] authkey()
    {
        byte[] key = authkey;
        if (key == null)
        {
            synchronized (CurrentProcess.class)
            {
                key = authkey;
                if (key == null)
                {
                    key = randomBytes(AUTHKEY_BYTES);
                    authkey = key;
                }
            }
        }
        return key;
    }

    /** Replaces this process's authkey, for itself and the children it starts afterwards. */
    public static void setAuthkey(final byte[] key)
    {
        authkey = key.clone();
    }

    /** Length of a made authkey: Python's, 32 bytes (256 bits, HMAC-SHA256's key size). */
    public static final int AUTHKEY_BYTES = 32;

    /**
     * Random bytes from the kernel's generator. Read from {@code /dev/urandom} directly where it exists: a JVM's
     * first {@link SecureRandom} costs ~30 ms of class loading and seeding, and the authkey is made on the path of
     * the first child's start; {@link SecureRandom} elsewhere.
     */
    private static byte[] randomBytes(final int count)
    {
        final byte[] bytes = new byte[count];
        try (InputStream in = Files.newInputStream(URANDOM))
        {
            if (in.readNBytes(bytes, 0, count) == count)
            {
                return bytes;
            }
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // no such device here
        }
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static final Path URANDOM = Path.of("/dev/urandom");

    static void taskFinished()
    {
        taskFinished = true;
    }

    static void childrenStarted()
    {
        startedChildren = true;
    }

    /** Whether this JVM has started a child: only then are the classes that manage children loaded. */
    static boolean startedChildren()
    {
        return startedChildren;
    }

    public static String name()
    {
        return name;
    }

    public static boolean isChild()
    {
        return child;
    }

    public static boolean isDaemon()
    {
        return daemon;
    }

    /** The name of the process that started this child, or null in the main process. */
    public static String parentName()
    {
        return parentName;
    }

    /** The pid of the process that started this child, or 0 in the main process. */
    public static long parentPid()
    {
        return parentPid;
    }

    /**
     * Whether an exit now is an orderly one, after which non-daemon children are waited for: always in the main
     * process; in a child only once its task has finished (an exit while the task runs comes from a signal or from
     * {@code System.exit} in the task, and then all children are terminated).
     */
    static boolean orderlyExit()
    {
        return !child || taskFinished;
    }
}
