package dev.ipckit.process.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import dev.ipckit.process.IpcProcess;

/**
 * What the parent writes to a child's stdin right after starting it (big-endian, {@link java.io.DataOutputStream}):
 * <pre>
 *   int     MAGIC
 *   int     VERSION
 *   UTF     process name
 *   boolean daemon
 *   UTF     the parent's process name
 *   long    the parent's pid
 *   int     authkey length (1 to MAX_AUTHKEY_BYTES), then the authkey: the parent's, which the child inherits
 *   UTF     result file path
 *   int     task length, then the task in FunctionBytes form (a plain lambda's shape and values, else Java
 *           serialization)
 * </pre>
 * A spare JVM (forkserver) is started with {@link #SPARE_ARGUMENT}, its preload classes and the lambdas it links
 * ahead ({@link #LINK_LAMBDA_PREFIX}) as arguments, and reads the same header when it is given a task.
 * <p>
 * After that the parent writes nothing and keeps the pipe open while the child lives: end of file on the child's
 * stdin means the parent died.
 */
public final class ChildProtocol
{
    static final int MAGIC = 0x69706370;
    static final int VERSION = 4;
    /** The longest authkey a header carries. */
    public static final int MAX_AUTHKEY_BYTES = 1024;

    /** Exit code of a child that was not started by {@link IpcProcess} (bad or missing header). */
    static final int EXIT_BAD_HEADER = 2;

    /**
     * The first argument of a spare JVM's {@code ChildMain}; the classes it preloads follow. A spawned child has no
     * arguments.
     */
    public static final String SPARE_ARGUMENT = "--spare";

    /** A spare's argument that names no class but a lambda to link ahead: this, then {@link LambdaPrelink}'s shape. */
    public static final String LINK_LAMBDA_PREFIX = "--link-lambda=";

    private ChildProtocol()
    {
    }

    /**
     * Writes the header and the task, and flushes; the stream stays open.
     *
     * @param stdin      the child's stdin.
     * @param name       the process name.
     * @param daemon     whether the child is a daemon.
     * @param parentName the name of the process that starts the child (this one).
     * @param authkey    the authkey the child inherits.
     * @param resultFile where the child leaves its result.
     * @param task       the serialized task.
     * @throws IOException when the child has already gone.
     */
    public static void writeHeader(
        final OutputStream stdin, final String name, final boolean daemon, final String parentName,
        final byte[] authkey, final String resultFile, final byte[] task)
        throws IOException
    {
        final DataOutputStream out = new DataOutputStream(stdin);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(name);
        out.writeBoolean(daemon);
        out.writeUTF(parentName);
        out.writeLong(ProcessHandle.current().pid());
        out.writeInt(authkey.length);
        out.write(authkey);
        out.writeUTF(resultFile);
        out.writeInt(task.length);
        out.write(task);
        out.flush();
    }
}
