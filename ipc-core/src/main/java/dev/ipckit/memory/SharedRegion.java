package dev.ipckit.memory;

import dev.ipckit.platform.JvmFlags;
import dev.ipckit.platform.ProcessIdentity;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.memory.RegionLayout.*;

/**
 * A fixed-size memory-mapped file that several processes share: a header, a directory of named objects and an
 * object area. Objects ({@code SharedLong}, {@code SharedLock}, ...) are found or created by name with a type check.
 * <p>
 * Lifetime: the process that created a region unlinks its file on {@link #close()} unless the region is
 * {@linkplain RegionOptions#withPersistent persistent}; a process that opened it only unmaps. Processes that still
 * map an unlinked region keep using it; new openers no longer find it. A temporary region whose creator died is
 * stale and removed by {@link RegionFiles#removeStale}.
 * <p>
 * A region serializes as a small handle and re-attaches in the receiving JVM, so tasks sent to child processes can
 * capture it. All regions a process attaches through handles are shared per file.
 * <p>
 * Thread safety: all methods may be called from any thread. Using a region's objects after {@link #close()} is an
 * error: the buffer is then empty and accesses throw {@link IndexOutOfBoundsException}.
 */
public final class SharedRegion implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    private static final String SUFFIX = ".region";
    private static final Map<Path, SharedRegion> ATTACHED = new ConcurrentHashMap<>();

    static
    {
        JvmFlags.requireAgronaAccess();
    }

    private final transient Path path;
    private final transient String name;
    private final transient boolean creator;
    private final transient boolean persistent;
    private final transient long regionId;
    private final transient long creatorIdentity;
    private final transient int length;
    private final transient int directoryCapacity;
    private final transient long lockTimeoutNanos;
    private final transient MappedByteBuffer mapped;
    private final transient UnsafeBuffer buffer;
    private transient volatile boolean closed;

    private SharedRegion(
        final Path path, final boolean creator, final MappedByteBuffer mapped, final long lockTimeoutNanos)
    {
        this.path = path;
        this.name = nameOf(path);
        this.creator = creator;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.lockTimeoutNanos = lockTimeoutNanos;
        this.persistent = (buffer.getInt(FLAGS_OFFSET) & FLAG_PERSISTENT) != 0;
        this.regionId = buffer.getLong(REGION_ID_OFFSET);
        this.creatorIdentity = buffer.getLong(CREATOR_OFFSET);
        this.length = (int)buffer.getLong(REGION_LENGTH_OFFSET);
        this.directoryCapacity = buffer.getInt(DIRECTORY_CAPACITY_OFFSET);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Creating and opening

    /**
     * Creates a temporary region in the default directory; fails if one of that name exists.
     *
     * @param name   the region name (no path separators, no {@code ..}, at most 128 bytes).
     * @param length total size in bytes, including header and directory.
     * @return the new region, owned by this process.
     */
    public static SharedRegion create(final String name, final long length)
    {
        return create(name, length, RegionOptions.defaults());
    }

    /**
     * Creates a region in the options' directory; fails if one of that name exists.
     *
     * @param name    the region name.
     * @param length  total size in bytes.
     * @param options directory, timeout, persistence, directory capacity.
     * @return the new region, owned by this process.
     */
    public static SharedRegion create(final String name, final long length, final RegionOptions options)
    {
        return createAt(pathFor(name, options), length, options);
    }

    /**
     * Creates a region at an explicit path; fails if the file exists.
     *
     * @param file    the region file.
     * @param length  total size in bytes.
     * @param options timeout, persistence, directory capacity (the directory is ignored).
     * @return the new region, owned by this process.
     */
    public static SharedRegion createAt(final Path file, final long length, final RegionOptions options)
    {
        final Path path = file.toAbsolutePath();
        final long minimum = dataOffset(options.directoryCapacity()) + SLOT_ALIGNMENT;
        if (length < minimum || length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "region " + path + ": length " + length + " must be from " + minimum + " (header, " +
                options.directoryCapacity() + " directory entries and one slot) to " + Integer.MAX_VALUE + " bytes");
        }
        RegionFiles.ensureDirectory(path.getParent());
        try
        {
            Files.createFile(path, RegionFiles.fileAttributes());
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new RegionException(RegionException.Reason.ALREADY_EXISTS, path, "already exists", ex);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, path, "cannot create: " + ex, ex);
        }

        try
        {
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
            {
                raf.setLength(length);
            }
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), "ipckit region " + path);
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            header.putLong(MAGIC_OFFSET, MAGIC);
            header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            header.putInt(FLAGS_OFFSET, options.persistent() ? FLAG_PERSISTENT : 0);
            header.putLong(REGION_LENGTH_OFFSET, length);
            header.putLong(CREATOR_OFFSET, ProcessIdentity.current());
            header.putLong(REGION_ID_OFFSET, newRegionId());
            header.putInt(DIRECTORY_CAPACITY_OFFSET, options.directoryCapacity());
            header.putLong(DATA_OFFSET_OFFSET, dataOffset(options.directoryCapacity()));
            header.putLong(CREATED_MILLIS_OFFSET, System.currentTimeMillis());
            header.putLong(ALLOCATION_CURSOR_OFFSET, dataOffset(options.directoryCapacity()));
            // Publishes every header field above: an opener reads READY with acquire before it reads them.
            header.putIntRelease(READY_OFFSET, 1);
            return register(new SharedRegion(path, true, mapped, options.timeout().toNanos()));
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteQuietly(path);
            if (ex instanceof IOException)
            {
                throw new RegionException(RegionException.Reason.IO, path, "cannot size or map: " + ex, ex);
            }
            throw (RuntimeException)ex;
        }
    }

    /**
     * Opens an existing region in the default directory.
     *
     * @param name the region name.
     * @return the region, attached (this process will not unlink it).
     */
    public static SharedRegion open(final String name)
    {
        return open(name, RegionOptions.defaults());
    }

    /**
     * Opens an existing region in the options' directory, waiting up to the options' timeout for its creator to
     * finish the header.
     *
     * @param name    the region name.
     * @param options directory and timeout.
     * @return the region, attached.
     */
    public static SharedRegion open(final String name, final RegionOptions options)
    {
        return openAt(pathFor(name, options), options);
    }

    /**
     * Opens an existing region file.
     *
     * @param file    the region file.
     * @param options the timeout.
     * @return the region, attached.
     */
    public static SharedRegion openAt(final Path file, final RegionOptions options)
    {
        return register(map(file.toAbsolutePath(), options));
    }

    /**
     * Opens the region if it exists, else creates it (temporary, default directory).
     *
     * @param name   the region name.
     * @param length size used when creating.
     * @return the region; {@link #isCreator()} tells which happened.
     */
    public static SharedRegion openOrCreate(final String name, final long length)
    {
        return openOrCreate(name, length, RegionOptions.defaults());
    }

    /**
     * Opens the region if it exists, else creates it.
     *
     * @param name    the region name.
     * @param length  size used when creating.
     * @param options directory, timeout, persistence, capacity.
     * @return the region; {@link #isCreator()} tells which happened.
     */
    public static SharedRegion openOrCreate(final String name, final long length, final RegionOptions options)
    {
        final Path path = pathFor(name, options);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return createAt(path, length, options);
            }
            catch (final RegionException ex)
            {
                if (ex.reason() != RegionException.Reason.ALREADY_EXISTS)
                {
                    throw ex;
                }
            }
            try
            {
                return openAt(path, options);
            }
            catch (final RegionException ex)
            {
                // The creator may have unlinked it between our two tries: try once more, then give up.
                if (ex.reason() != RegionException.Reason.NOT_FOUND || attempt > 0)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * The region a handle names, re-attached in this process: the instance already open here if there is one,
     * else a new attachment shared by every later handle for the same file.
     */
    static SharedRegion attach(final Path path, final long regionId)
    {
        final SharedRegion existing = ATTACHED.get(path);
        if (existing != null && !existing.closed && existing.regionId == regionId)
        {
            return existing;
        }
        final SharedRegion region = openAt(path, RegionOptions.defaults());
        if (region.regionId != regionId)
        {
            region.close();
            throw new RegionException(RegionException.Reason.REPLACED, path,
                "holds another region now (id " + Long.toHexString(region.regionId) + ", expected " +
                Long.toHexString(regionId) + "): the region the handle named was closed and re-created");
        }
        return region;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Named objects

    /**
     * Finds a named object and checks its type.
     *
     * @param objectName the object's name.
     * @param type       the type it must have.
     * @return its entry.
     * @throws RegionException NO_SUCH_OBJECT, or TYPE_MISMATCH naming both types.
     */
    public RegionEntry find(final String objectName, final ObjectType type)
    {
        final RegionEntry entry = lookup(objectName).orElseThrow(() -> new RegionException(
            RegionException.Reason.NO_SUCH_OBJECT, path, "has no object named '" + objectName + "'"));
        checkType(entry, type, -1);
        return entry;
    }

    /**
     * Finds a named object of any type.
     *
     * @param objectName the object's name.
     * @return its entry, or empty.
     */
    public Optional<RegionEntry> lookup(final String objectName)
    {
        final byte[] nameBytes = Names.validate("object", objectName, MAX_OBJECT_NAME_BYTES);
        ensureOpen();
        final int count = buffer.getIntAcquire(ENTRY_COUNT_OFFSET);
        final int index = indexOf(nameBytes, count);
        return index < 0 ? Optional.empty() : Optional.of(readEntry(index));
    }

    /**
     * Every published object, in creation order.
     *
     * @return the entries.
     */
    public List<RegionEntry> entries()
    {
        ensureOpen();
        final int count = buffer.getIntAcquire(ENTRY_COUNT_OFFSET);
        final List<RegionEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            entries.add(readEntry(i));
        }
        return entries;
    }

    /**
     * Creates a named object; fails if the name exists. Its slots are zeroed and {@code initializer} runs before
     * the object is published, so no other process can see it uninitialised.
     *
     * @param objectName  the object's name (at most 64 bytes of UTF-8).
     * @param type        its type.
     * @param count       number of elements, at least 1.
     * @param lockLength  bytes for a lock slot, 0 for none.
     * @param initializer writes the initial contents, or null.
     * @return the new entry.
     */
    public RegionEntry allocate(
        final String objectName, final ObjectType type, final long count, final int lockLength,
        final ObjectInitializer initializer)
    {
        return allocate(objectName, type, count, lockLength, initializer, false);
    }

    /**
     * Finds a named object, checking its type and element count, or creates it as {@link #allocate} does.
     *
     * @param objectName  the object's name.
     * @param type        its type.
     * @param count       number of elements.
     * @param lockLength  bytes for a lock slot when creating, 0 for none.
     * @param initializer writes the initial contents when creating, or null.
     * @return the found or created entry.
     */
    public RegionEntry findOrAllocate(
        final String objectName, final ObjectType type, final long count, final int lockLength,
        final ObjectInitializer initializer)
    {
        final RegionEntry existing = lookup(objectName).orElse(null);
        if (existing != null)
        {
            checkType(existing, type, count);
            return existing;
        }
        return allocate(objectName, type, count, lockLength, initializer, true);
    }

    private RegionEntry allocate(
        final String objectName, final ObjectType type, final long count, final int lockLength,
        final ObjectInitializer initializer, final boolean mayExist)
    {
        final byte[] nameBytes = Names.validate("object", objectName, MAX_OBJECT_NAME_BYTES);
        if (count < 1)
        {
            throw new IllegalArgumentException("object '" + objectName + "': count must be at least 1: " + count);
        }
        if (lockLength < 0)
        {
            throw new IllegalArgumentException("object '" + objectName + "': lock length is negative: " + lockLength);
        }
        ensureOpen();
        final long identity = lockDirectory();
        try
        {
            final int entryCount = buffer.getInt(ENTRY_COUNT_OFFSET);
            final int existing = indexOf(nameBytes, entryCount);
            if (existing >= 0)
            {
                final RegionEntry entry = readEntry(existing);
                if (!mayExist)
                {
                    throw new RegionException(RegionException.Reason.OBJECT_EXISTS, path,
                        "object '" + objectName + "' exists already (" + describe(entry) + ")");
                }
                checkType(entry, type, count);
                return entry;
            }
            if (entryCount >= directoryCapacity)
            {
                throw new RegionException(RegionException.Reason.DIRECTORY_FULL, path,
                    "directory is full (" + directoryCapacity + " objects): cannot add '" + objectName +
                    "'; create the region with a larger RegionOptions.withDirectoryCapacity");
            }

            final long dataLength = count * type.elementLength();
            final long slotLength = align(dataLength, SLOT_ALIGNMENT);
            final long lockSlotLength = align(lockLength, SLOT_ALIGNMENT);
            final long cursor = buffer.getLong(ALLOCATION_CURSOR_OFFSET);
            final long needed = slotLength + lockSlotLength;
            if (count > Integer.MAX_VALUE || needed > length - cursor)
            {
                throw new RegionException(RegionException.Reason.REGION_FULL, path,
                    "is full: '" + objectName + "' (" + type + " x " + count + ") needs " + needed +
                    " bytes, " + (length - cursor) + " of " + length + " are free");
            }

            final int lockOffset = lockLength > 0 ? (int)cursor : 0;
            final int offset = (int)(cursor + lockSlotLength);
            // A creator that died under the lock may have dirtied this space: start from zero every time.
            buffer.setMemory((int)cursor, (int)needed, (byte)0);
            if (initializer != null)
            {
                initializer.initialize(buffer, offset, lockOffset);
            }
            buffer.putLong(ALLOCATION_CURSOR_OFFSET, cursor + needed);

            final int entryOffset = entryOffset(entryCount);
            buffer.putInt(entryOffset + ENTRY_TYPE_OFFSET, type.code());
            buffer.putInt(entryOffset + ENTRY_NAME_LENGTH_OFFSET, nameBytes.length);
            buffer.putLong(entryOffset + ENTRY_OFFSET_OFFSET, offset);
            buffer.putLong(entryOffset + ENTRY_COUNT_FIELD_OFFSET, count);
            buffer.putLong(entryOffset + ENTRY_LENGTH_OFFSET, dataLength);
            buffer.putLong(entryOffset + ENTRY_LOCK_OFFSET_OFFSET, lockOffset);
            buffer.putBytes(entryOffset + ENTRY_NAME_OFFSET, nameBytes);
            // Publishes the entry and the initialised object: readers load ENTRY_COUNT with acquire before either.
            buffer.putIntRelease(ENTRY_COUNT_OFFSET, entryCount + 1);
            return readEntry(entryCount);
        }
        finally
        {
            unlockDirectory(identity);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facts

    /**
     * The buffer over the whole mapping, for ipckit's object types and tools. Offsets come from {@link RegionEntry}.
     *
     * @return the region's buffer.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * The region's name: its file name without the suffix.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The region file.
     *
     * @return the absolute path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Total size in bytes.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Bytes still free in the object area (slots are aligned, so small objects use more than their data).
     *
     * @return free bytes.
     */
    public long freeBytes()
    {
        return length - buffer.getLongVolatile(ALLOCATION_CURSOR_OFFSET);
    }

    /**
     * Whether this process created the region (and so unlinks it on close unless persistent).
     *
     * @return true for the creator.
     */
    public boolean isCreator()
    {
        return creator;
    }

    /**
     * Whether the file is kept after the creator closes.
     *
     * @return true when persistent.
     */
    public boolean isPersistent()
    {
        return persistent;
    }

    /**
     * The creator's process identity (see {@link ProcessIdentity}).
     *
     * @return the identity.
     */
    public long creatorIdentity()
    {
        return creatorIdentity;
    }

    /**
     * The random id written at creation; a region re-created under the same name has another.
     *
     * @return the id.
     */
    public long regionId()
    {
        return regionId;
    }

    /**
     * Whether {@link #close()} was called in this process.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmaps the region; the creator of a temporary region also unlinks its file. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        ATTACHED.remove(path, this);
        if (creator && !persistent)
        {
            deleteQuietly(path);
        }
        // Later accesses through this buffer fail with IndexOutOfBoundsException instead of touching unmapped memory.
        buffer.wrap(new byte[0]);
        IoUtil.unmap(mapped);
    }

    @Override
    public String toString()
    {
        return "SharedRegion{" + path + ", " + length + " bytes, " + (creator ? "creator" : "attached") +
            (persistent ? ", persistent" : "") + (closed ? ", closed" : "") + "}";
    }

    private Object writeReplace() throws ObjectStreamException
    {
        ensureOpen();
        return new RegionHandle(path.toString(), regionId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    static Path pathFor(final String name, final RegionOptions options)
    {
        Names.validate("region", name, Names.MAX_REGION_NAME_BYTES);
        return options.directory().resolve(name + SUFFIX).toAbsolutePath();
    }

    static String nameOf(final Path path)
    {
        final String fileName = path.getFileName().toString();
        return fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
    }

    static boolean isRegionFileName(final String fileName)
    {
        return fileName.endsWith(SUFFIX);
    }

    private static SharedRegion register(final SharedRegion region)
    {
        ATTACHED.putIfAbsent(region.path, region);
        return region;
    }

    /**
     * Maps an existing file after checking its header: magic, version, ready flag (waited for) and length.
     */
    private static SharedRegion map(final Path path, final RegionOptions options)
    {
        final long deadline = System.nanoTime() + options.timeout().toNanos();
        final IdleStrategy wait = newWait();
        while (true)
        {
            final long fileLength;
            try
            {
                fileLength = Files.size(path);
            }
            catch (final NoSuchFileException ex)
            {
                throw new RegionException(RegionException.Reason.NOT_FOUND, path, "does not exist", ex);
            }
            catch (final IOException ex)
            {
                throw new RegionException(RegionException.Reason.IO, path, "cannot read: " + ex, ex);
            }
            checkMagicPrefix(path, fileLength);

            if (fileLength >= HEADER_LENGTH)
            {
                final MappedByteBuffer mapped = mapFile(path);
                final UnsafeBuffer header = new UnsafeBuffer(mapped);
                // Acquire: pairs with the creator's release of READY; the header fields read below are complete.
                if (header.getIntAcquire(READY_OFFSET) == 1)
                {
                    try
                    {
                        validateHeader(path, header, fileLength);
                    }
                    catch (final RuntimeException ex)
                    {
                        IoUtil.unmap(mapped);
                        throw ex;
                    }
                    return new SharedRegion(path, false, mapped, options.timeout().toNanos());
                }
                final long creator = header.getLong(CREATOR_OFFSET);
                IoUtil.unmap(mapped);
                if (System.nanoTime() - deadline >= 0)
                {
                    throw new RegionException(RegionException.Reason.NOT_READY, path,
                        "header not ready after " + options.timeout().toMillis() + " ms; creator " +
                        ProcessIdentity.toString(creator) +
                        (ProcessIdentity.isAlive(creator) ? " is alive" : " is dead (stale file: remove it or run clean)"));
                }
            }
            else if (System.nanoTime() - deadline >= 0)
            {
                throw new RegionException(RegionException.Reason.TRUNCATED, path,
                    "is truncated: " + fileLength + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
            }
            wait.idle();
        }
    }

    private static void validateHeader(final Path path, final UnsafeBuffer header, final long fileLength)
    {
        final long magic = header.getLong(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new RegionException(RegionException.Reason.BAD_MAGIC, path,
                "is not an ipckit region (magic 0x" + Long.toHexString(magic) + ")");
        }
        final int version = header.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            throw new RegionException(RegionException.Reason.UNSUPPORTED_VERSION, path,
                "has layout version " + version + "; this ipckit reads version " + LAYOUT_VERSION);
        }
        final long declared = header.getLong(REGION_LENGTH_OFFSET);
        if (fileLength < declared)
        {
            throw new RegionException(RegionException.Reason.TRUNCATED, path,
                "is truncated: " + fileLength + " bytes, its header says " + declared);
        }
        final int capacity = header.getInt(DIRECTORY_CAPACITY_OFFSET);
        if (capacity < 1 || capacity > MAX_DIRECTORY_CAPACITY || dataOffset(capacity) > declared)
        {
            throw new RegionException(RegionException.Reason.BAD_MAGIC, path,
                "has a corrupt header (directory capacity " + capacity + ")");
        }
    }

    /**
     * A file whose first bytes are set but are not the magic's is foreign: say so at once instead of waiting. Zero
     * bytes may still be a creator at work, so they wait.
     */
    private static void checkMagicPrefix(final Path path, final long fileLength)
    {
        final int n = (int)Math.min(fileLength, Long.BYTES);
        if (n == 0)
        {
            return;
        }
        final byte[] prefix = new byte[n];
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r"))
        {
            file.readFully(prefix);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, path, "cannot read: " + ex, ex);
        }
        final UnsafeBuffer magic = new UnsafeBuffer(new byte[Long.BYTES]);
        magic.putLong(0, MAGIC);
        boolean allZero = true;
        boolean matches = true;
        for (int i = 0; i < n; i++)
        {
            allZero &= prefix[i] == 0;
            matches &= prefix[i] == magic.getByte(i);
        }
        if (!allZero && !matches)
        {
            throw new RegionException(RegionException.Reason.BAD_MAGIC, path,
                "is not an ipckit region (starts with \"" + new String(prefix, StandardCharsets.ISO_8859_1)
                .replaceAll("\\p{Cntrl}", "?") + "\")");
        }
    }

    private static MappedByteBuffer mapFile(final Path path)
    {
        try
        {
            return IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_WRITE, "ipckit region " + path);
        }
        catch (final RuntimeException ex)
        {
            if (!Files.exists(path))
            {
                throw new RegionException(RegionException.Reason.NOT_FOUND, path, "does not exist", ex);
            }
            throw new RegionException(RegionException.Reason.IO, path, "cannot map: " + ex, ex);
        }
    }

    private int indexOf(final byte[] nameBytes, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int entryOffset = entryOffset(i);
            if (buffer.getInt(entryOffset + ENTRY_NAME_LENGTH_OFFSET) == nameBytes.length && nameEquals(entryOffset, nameBytes))
            {
                return i;
            }
        }
        return -1;
    }

    private boolean nameEquals(final int entryOffset, final byte[] nameBytes)
    {
        for (int i = 0; i < nameBytes.length; i++)
        {
            if (buffer.getByte(entryOffset + ENTRY_NAME_OFFSET + i) != nameBytes[i])
            {
                return false;
            }
        }
        return true;
    }

    private RegionEntry readEntry(final int index)
    {
        final int entryOffset = entryOffset(index);
        final int code = buffer.getInt(entryOffset + ENTRY_TYPE_OFFSET);
        final ObjectType type = ObjectType.fromCode(code);
        if (type == null)
        {
            throw new RegionException(RegionException.Reason.UNSUPPORTED_VERSION, path,
                "object " + index + " has unknown type code " + code);
        }
        final int nameLength = buffer.getInt(entryOffset + ENTRY_NAME_LENGTH_OFFSET);
        final String objectName = buffer.getStringWithoutLengthUtf8(entryOffset + ENTRY_NAME_OFFSET, nameLength);
        return new RegionEntry(
            objectName,
            type,
            (int)buffer.getLong(entryOffset + ENTRY_OFFSET_OFFSET),
            buffer.getLong(entryOffset + ENTRY_COUNT_FIELD_OFFSET),
            buffer.getLong(entryOffset + ENTRY_LENGTH_OFFSET),
            (int)buffer.getLong(entryOffset + ENTRY_LOCK_OFFSET_OFFSET));
    }

    private void checkType(final RegionEntry entry, final ObjectType type, final long count)
    {
        if (entry.type() != type)
        {
            throw new RegionException(RegionException.Reason.TYPE_MISMATCH, path,
                "object '" + entry.name() + "' is a " + entry.type() + ", not a " + type);
        }
        if (count >= 0 && entry.count() != count)
        {
            throw new RegionException(RegionException.Reason.TYPE_MISMATCH, path,
                "object '" + entry.name() + "' has " + entry.count() + " elements, not " + count);
        }
    }

    private static String describe(final RegionEntry entry)
    {
        return entry.count() == 1 ? entry.type().toString() : entry.type() + " x " + entry.count();
    }

    /**
     * Takes the directory lock: CAS from free to this process's identity; a dead holder's identity is replaced by
     * a CAS against the exact value seen, so a live holder is never broken.
     */
    private long lockDirectory()
    {
        final long identity = ProcessIdentity.current();
        final long deadline = System.nanoTime() + lockTimeoutNanos;
        final IdleStrategy wait = newWait();
        long lastLivenessCheck = System.nanoTime();
        while (true)
        {
            final long owner = buffer.getLongVolatile(DIRECTORY_LOCK_OFFSET);
            if (owner == ProcessIdentity.NONE)
            {
                if (buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, ProcessIdentity.NONE, identity))
                {
                    return identity;
                }
                continue;
            }
            final long now = System.nanoTime();
            if (owner != identity && now - lastLivenessCheck > TimeUnit.MILLISECONDS.toNanos(10))
            {
                lastLivenessCheck = now;
                if (!ProcessIdentity.isAlive(owner) && buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, owner, identity))
                {
                    return identity;
                }
            }
            if (now - deadline >= 0)
            {
                throw new RegionException(RegionException.Reason.DIRECTORY_BUSY, path,
                    "directory lock held by " + ProcessIdentity.toString(owner) + " for more than " +
                    TimeUnit.NANOSECONDS.toMillis(lockTimeoutNanos) + " ms");
            }
            wait.idle();
        }
    }

    private void unlockDirectory(final long identity)
    {
        // Release: the directory and allocation changes made under the lock are visible to the next holder.
        if (!buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, identity, ProcessIdentity.NONE))
        {
            throw new IllegalStateException("region " + path + ": directory lock was taken from this process");
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionException(RegionException.Reason.CLOSED, path, "is closed in this process");
        }
    }

    /** Opening and directory-lock waits are rare and short: spin a little, yield, then park up to 1 ms. */
    private static IdleStrategy newWait()
    {
        return new BackoffIdleStrategy(20, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static long newRegionId()
    {
        long id;
        do
        {
            id = ThreadLocalRandom.current().nextLong();
        }
        while (id == 0);
        return id;
    }

    static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete region file " + path, ex);
        }
    }
}
