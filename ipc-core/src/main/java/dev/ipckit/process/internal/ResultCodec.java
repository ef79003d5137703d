package dev.ipckit.process.internal;

import dev.ipckit.platform.internal.Serialization;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The result file a child leaves for its parent. Layout (big-endian, {@link DataOutputStream}):
 * <pre>
 *   int     MAGIC
 *   byte    RETURNED | FAILED
 *   RETURNED: bytes value              (length -1: null)
 *   FAILED:   int count, then per throwable of the cause chain (outermost first):
 *               string className, string message, int frameCount,
 *               per frame: string classLoaderName, string moduleName, string moduleVersion,
 *                          string declaringClass, string methodName, string fileName, int lineNumber
 *             bytes serializedThrowable  (length -1: it could not be serialized)
 *   bytes:  int length, then the bytes; string: int length (-1: null), then UTF-8
 * </pre>
 * The child writes a temporary file and renames it, so the parent never reads a half-written result.
 */
public final class ResultCodec
{
    static final int MAGIC = 0x69706372;
    static final byte RETURNED = 0;
    static final byte FAILED = 1;

    private ResultCodec()
    {
    }

    static void writeReturned(final File file, final byte[] value) throws IOException
    {
        final File temporary = new File(file.getPath().concat(".tmp"));
        try (DataOutputStream out = open(temporary))
        {
            out.writeInt(MAGIC);
            out.writeByte(RETURNED);
            writeBytes(out, value);
        }
        rename(temporary, file);
    }

    static void writeFailed(final File file, final Throwable failure) throws IOException
    {
        byte[] serialized;
        try
        {
            serialized = Serialization.toBytes(failure);
        }
        catch (final IOException | RuntimeException ex)
        {
            serialized = null;
        }

        final File temporary = new File(file.getPath().concat(".tmp"));
        try (DataOutputStream out = open(temporary))
        {
            out.writeInt(MAGIC);
            out.writeByte(FAILED);
            writeFailure(out, failure, serialized);
        }
        rename(temporary, file);
    }

    /**
     * Reads a result file.
     *
     * @param file the file.
     * @return the outcome, or null when the child left no result file.
     * @throws IOException when the file cannot be read or is not a result file.
     */
    public static Outcome read(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw)))
        {
            if (in.readInt() != MAGIC)
            {
                throw new IOException(file + " is not an ipckit result file");
            }
            final byte kind = in.readByte();
            if (kind == RETURNED)
            {
                return Outcome.returned(readBytes(in));
            }
            if (kind != FAILED)
            {
                throw new IOException(file + " holds an unknown result kind " + kind);
            }
            return readFailure(in);
        }
    }

    /** Writes a failure's text chain and its serialized form (null when it could not be serialized). */
    public static void writeFailure(final DataOutputStream out, final Throwable failure, final byte[] serialized)
        throws IOException
    {
        final List<ThrowableText> chain = ThrowableText.chainOf(failure);
        out.writeInt(chain.size());
        for (final ThrowableText text : chain)
        {
            writeString(out, text.className);
            writeString(out, text.message);
            out.writeInt(text.frames.length);
            for (final StackTraceElement frame : text.frames)
            {
                writeString(out, frame.getClassLoaderName());
                writeString(out, frame.getModuleName());
                writeString(out, frame.getModuleVersion());
                writeString(out, frame.getClassName());
                writeString(out, frame.getMethodName());
                writeString(out, frame.getFileName());
                out.writeInt(frame.getLineNumber());
            }
        }
        writeBytes(out, serialized);
    }

    /** Reads what {@link #writeFailure} wrote. */
    public static Outcome readFailure(final DataInputStream in) throws IOException
    {
        final int count = in.readInt();
        final List<ThrowableText> chain = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final String className = readString(in);
            final String message = readString(in);
            final StackTraceElement[] frames = new StackTraceElement[in.readInt()];
            for (int f = 0; f < frames.length; f++)
            {
                final String classLoaderName = readString(in);
                final String moduleName = readString(in);
                final String moduleVersion = readString(in);
                final String declaringClass = readString(in);
                final String methodName = readString(in);
                final String fileName = readString(in);
                final int lineNumber = in.readInt();
                frames[f] = new StackTraceElement(
                    classLoaderName, moduleName, moduleVersion, declaringClass, methodName, fileName, lineNumber);
            }
            chain.add(new ThrowableText(className, message, frames));
        }
        return Outcome.failed(chain, readBytes(in));
    }

    private static DataOutputStream open(final File file) throws IOException
    {
        return new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file)));
    }

    private static void rename(final File from, final File to) throws IOException
    {
        if (!from.renameTo(to))
        {
            throw new IOException("cannot rename ".concat(from.getPath()).concat(" to ").concat(to.getPath()));
        }
    }

    private static void writeBytes(final DataOutputStream out, final byte[] bytes) throws IOException
    {
        if (bytes == null)
        {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(final DataInputStream in) throws IOException
    {
        final int length = in.readInt();
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeString(final DataOutputStream out, final String text) throws IOException
    {
        writeBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(final DataInputStream in) throws IOException
    {
        final byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
