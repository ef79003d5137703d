package dev.ipckit.process;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.internal.Serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.ipckit.process.internal.ResultCodec;
import dev.ipckit.process.internal.Outcome;

/**
 * A throwable as bytes that cross a process boundary and come back as an exception, for whoever carries task
 * failures between processes (process pools): the text form (class, message, stack frames of the whole cause chain)
 * always arrives; the original object also arrives when it could be serialized and deserialized.
 */
public final class RemoteFailures
{
    private RemoteFailures()
    {
    }

    /**
     * Encodes a failure in the process where it happened.
     *
     * @param failure the throwable.
     * @return its bytes.
     */
    public static byte[] encode(final Throwable failure)
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
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            ResultCodec.writeFailure(out, failure, serialized);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot encode a failure in memory", ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a failure in the receiving process: the original throwable, with its type, message and remote stack
     * trace, when it could be deserialized (a {@link RemoteException} with the text form becomes its cause when it
     * had none); otherwise a {@link RemoteException} built from the text form.
     *
     * @param bytes       what {@link #encode} returned.
     * @param processName the name of the process it came from.
     * @param pid         that process's pid.
     * @return the throwable.
     */
    public static Throwable decode(final byte[] bytes, final String processName, final long pid)
    {
        final Outcome outcome;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            outcome = ResultCodec.readFailure(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot decode a remote failure", ex);
        }
        Throwable original = null;
        if (outcome.serializedFailure != null)
        {
            try
            {
                final Object value = Deserialization.fromBytes(outcome.serializedFailure);
                original = value instanceof Throwable ? (Throwable)value : null;
            }
            catch (final IOException | ClassNotFoundException | RuntimeException | LinkageError ex)
            {
                original = null; // rejected by the filter or unreadable here: the text form stands in for it
            }
        }
        final RemoteException remote = RemoteException.of(outcome.failure, original, processName, pid);
        if (original == null)
        {
            return remote;
        }
        if (original.getCause() == null)
        {
            try
            {
                original.initCause(remote);
            }
            catch (final IllegalStateException | IllegalArgumentException ex)
            {
                // Its cause was set to null explicitly: it stays as it came.
            }
        }
        return original;
    }
}
