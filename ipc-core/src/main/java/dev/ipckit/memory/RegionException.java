package dev.ipckit.memory;

import java.nio.file.Path;

/**
 * A region could not be created, opened or used as asked. The message names the region or file and the problem;
 * {@link #reason()} tells the problem to a program.
 */
public class RegionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason
    {
        /** No region file at the path. */
        NOT_FOUND,
        /** Create-only, but the file exists. */
        ALREADY_EXISTS,
        /** The file does not start with the region magic: it is not an ipckit region. */
        BAD_MAGIC,
        /** The file was written by a layout version this code does not know. */
        UNSUPPORTED_VERSION,
        /** The file is shorter than its header or its recorded length. */
        TRUNCATED,
        /** The creator did not finish the header within the open timeout, or died before finishing it. */
        NOT_READY,
        /** No room left in the object area. */
        REGION_FULL,
        /** No free directory entry. */
        DIRECTORY_FULL,
        /** An object of that name exists with another type or size. */
        TYPE_MISMATCH,
        /** No object of that name. */
        NO_SUCH_OBJECT,
        /** The object exists and create-only was asked. */
        OBJECT_EXISTS,
        /** The directory lock was held by a live process for longer than the timeout. */
        DIRECTORY_BUSY,
        /** The file at the path is no longer the region a handle named. */
        REPLACED,
        /** The region is closed in this process. */
        CLOSED,
        /** An I/O error from the file system. */
        IO,
        /**
         * A directory ipckit would keep files in is a symbolic link, not owned by this uid, or writable by group or
         * others: whoever can write it could plant files that run code in this JVM.
         */
        UNSAFE_DIRECTORY,
        /** The region file is a symbolic link or not a regular file; ipckit opens region files only directly. */
        UNSAFE_FILE,
        /** Mapping the region would leave this process too few memory mappings ({@code vm.max_map_count}). */
        MAPPING_LIMIT,
        /**
         * A field read from the file (a count, an offset, a length, a cursor) is outside what the region's layout
         * allows: the file is damaged. The message names the field and its value.
         */
        CORRUPT
    }

    private final Reason reason;
    private final transient Path path;

    /**
     * An exception about the region file at {@code path}.
     *
     * @param reason  what went wrong.
     * @param path    the region file.
     * @param message what went wrong, in words.
     * @param cause   the underlying failure, or null.
     */
    public RegionException(final Reason reason, final Path path, final String message, final Throwable cause)
    {
        super("region " + path + ": " + message, cause);
        this.reason = reason;
        this.path = path;
    }

    /**
     * An exception about the region file at {@code path}.
     *
     * @param reason  what went wrong.
     * @param path    the region file.
     * @param message what went wrong, in words.
     */
    public RegionException(final Reason reason, final Path path, final String message)
    {
        this(reason, path, message, null);
    }

    /**
     * What went wrong.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * The region file concerned.
     *
     * @return the path (null after deserialization).
     */
    public Path path()
    {
        return path;
    }
}
