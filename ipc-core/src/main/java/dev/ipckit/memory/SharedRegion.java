package dev.ipckit.memory;

import dev.ipckit.memory.internal.Names;
import dev.ipckit.memory.internal.ObjectInitializer;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.internal.WaiterTable;
import dev.ipckit.platform.Attachable;
import dev.ipckit.platform.JvmFlags;
import dev.ipckit.platform.internal.Attachments;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ResourceTracker;
import dev.ipckit.platform.internal.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * Creation is all or nothing under the region's name: the file is built complete under an unfinished name that
 * names its creator ({@link RegionFiles#unfinishedPath}) and then linked under its own name. A creator killed at any
 * instant leaves either the finished region or an unfinished file that blocks no name and that
 * {@link RegionFiles#removeStale} removes at once, its creator being dead.
 * <p>
 * A region serializes as a small handle and re-attaches in the receiving JVM, so tasks sent to child processes can
 * capture it. All regions a process attaches through handles are shared per file.
 * <p>
 * Thread safety: all methods may be called from any thread.
 * <p>
 * <b>After close.</b> Every operation on an object of a closed region (a value, array, lock, semaphore, event,
 * condition, barrier, latch, dict or list), begun after the close, throws {@link RegionException} with reason
 * {@link RegionException.Reason#CLOSED}, naming the object and the region, whatever Agrona's bounds-check setting:
 * each operation reads {@link #isClosed()} first (one volatile read and a predictable branch). An operation that
 * another thread's close overtakes while it is in flight completes on the region's own pages, which stay mapped for
 * a linger period (one second) after the close, as Aeron lingers its log buffers; a waiting operation throws CLOSED
 * at its next poll. Only then is the buffer emptied (address 0, capacity 0) and the mapping released. So no
 * operation ever touches memory that is not the region's; but closing a region while other threads still use its
 * objects is a race in the program: whether such an operation took effect is not defined.
 */
public final class SharedRegion implements AutoCloseable, Attachable
{
    // Why this class is long (about 870 lines): it is the region's whole public face (30 members: create, open and
    // openOrCreate in their overloads, allocate and find, close with its linger, the handle it travels as). The
    // machinery lives apart: RegionHeader, RegionDirectory, RegionFiles, RegionLayout, MappingBudget, Unmapper,
    // internal.WaiterTable.

    private static final long serialVersionUID = 1L;
    private static final String SUFFIX = ".region";
    private static final Attachments<SharedRegion> ATTACHED = Attachments.of(SharedRegion.class);

    private final transient Path path;
    private final transient String name;
    private final transient boolean creator;
    private final transient boolean persistent;
    private final transient long regionId;
    private final transient int length;
    private final transient int directoryCapacity;
    private final transient long lockTimeoutNanos;
    private final transient MappedByteBuffer mapped;
    private final transient UnsafeBuffer buffer;
    private final transient RegionDirectory directory;
    private final transient WaiterTable waiters;
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
        // Checked by RegionHeader (both ranges fit an int) before a region is made from a file.
        this.length = RegionChecks.intInRange(
            path, "REGION_LENGTH", buffer.getLong(REGION_LENGTH_OFFSET), HEADER_LENGTH, Integer.MAX_VALUE);
        this.directoryCapacity = RegionChecks.intInRange(
            path, "DIRECTORY_CAPACITY", buffer.getInt(DIRECTORY_CAPACITY_OFFSET), 1, MAX_DIRECTORY_CAPACITY);
        this.directory = new RegionDirectory(path, buffer, lockTimeoutNanos, directoryCapacity, length);
        this.waiters = new WaiterTable(buffer, WAITER_COUNT_OFFSET, WAITERS_OFFSET, WAITER_ROWS);
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
     * Creates a region at an explicit path; fails if the file exists. The file is built under an unfinished name
     * next to {@code file} and hard-linked to {@code file} when complete; on a file system without hard links it is
     * built in place, writing the creator's identity first.
     *
     * @param file    the region file.
     * @param length  total size in bytes.
     * @param options timeout, persistence, directory capacity (the directory is ignored).
     * @return the new region, owned by this process.
     */
    public static SharedRegion createAt(final Path file, final long length, final RegionOptions options)
    {
        // At every entry, not in a static initializer: a failed class initialization would turn every later use
        // into "NoClassDefFoundError: Could not initialize class", hiding the message that names the flag.
        JvmFlags.requireAgronaAccess();
        final Path path = file.toAbsolutePath();
        final long minimum = dataOffset(options.directoryCapacity()) + SLOT_ALIGNMENT;
        if (length < minimum || length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "region " + path + ": length " + length + " must be from " + minimum + " (header, " +
                options.directoryCapacity() + " directory entries and one slot) to " + Integer.MAX_VALUE + " bytes");
        }
        RegionFiles.ensureDirectory(path.getParent(), path);
        if (RegionFiles.unfinishedCreator(path.getParent()) == ProcessIdentity.NONE)
        {
            // Recorded for automatic cleanup before anything is made (a queue's control region is covered by its
            // directory's parent, which the queue records).
            ResourceTracker.willCreateIn(path.getParent());
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            // Cheap answer for openOrCreate's common case, before building a file that could not be published.
            throw alreadyExists(path, null);
        }
        // Built complete under an unfinished name that names this process, then linked under its own name, which
        // fails if that exists: the name never holds a half-made region, and a creator killed at any instant leaves
        // at most the unfinished file, which RegionFiles.removeStale removes at once as its creator is dead.
        final Path unfinished = RegionFiles.unfinishedPath(path);
        MappedByteBuffer mapped = null;
        try (FileChannel channel = RegionFiles.createNew(unfinished))
        {
            CreationSteps.reached(CreationSteps.REGION_FILE_CREATED);
            // Sizes the file as setLength would (sparse); the channel, unlike a RandomAccessFile, was opened without
            // following links.
            channel.write(ByteBuffer.allocate(1), length - 1);
            CreationSteps.reached(CreationSteps.REGION_SIZED);
            mapped = MappingBudget.map(channel, path, length);
            RegionHeader.write(new UnsafeBuffer(mapped), length, options);
            CreationSteps.reached(CreationSteps.REGION_HEADER_WRITTEN);
            if (!publish(unfinished, path))
            {
                // No hard links on this file system: build in place (the old way; a kill can leave a half-made file
                // that names its creator once its first field is written).
                MappingBudget.unmap(mapped);
                mapped = null;
                deleteQuietly(unfinished);
                return createInPlace(path, length, options);
            }
            CreationSteps.reached(CreationSteps.REGION_LINKED);
            try
            {
                Files.deleteIfExists(unfinished);
            }
            catch (final IOException ignore)
            {
                // The region is complete under its name; the extra name goes with clean once this process is gone.
            }
            CreationSteps.reached(CreationSteps.REGION_CREATED);
            return register(new SharedRegion(path, true, mapped, options.timeout().toNanos()));
        }
        catch (final IOException | RuntimeException ex)
        {
            if (mapped != null)
            {
                MappingBudget.unmap(mapped);
            }
            deleteQuietly(unfinished);
            if (ex instanceof IOException)
            {
                throw new RegionException(RegionException.Reason.IO, path, "cannot size or map: " + ex, ex);
            }
            throw (RuntimeException)ex;
        }
    }

    /**
     * Gives the finished file at {@code unfinished} its own name, failing if that exists.
     *
     * @return false when the file system has no hard links.
     */
    private static boolean publish(final Path unfinished, final Path path)
    {
        try
        {
            Files.createLink(path, unfinished);
            return true;
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw alreadyExists(path, ex);
        }
        catch (final UnsupportedOperationException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            if (ex.getMessage() != null && ex.getMessage().contains("Operation not permitted"))
            {
                return false;
            }
            throw new RegionException(RegionException.Reason.IO, path, "cannot link " + unfinished + ": " + ex, ex);
        }
    }

    private static SharedRegion createInPlace(final Path path, final long length, final RegionOptions options)
    {
        MappedByteBuffer mapped = null;
        try (FileChannel channel = RegionFiles.createNew(path))
        {
            channel.write(ByteBuffer.allocate(1), length - 1);
            mapped = MappingBudget.map(channel, path, length);
            RegionHeader.write(new UnsafeBuffer(mapped), length, options);
            return register(new SharedRegion(path, true, mapped, options.timeout().toNanos()));
        }
        catch (final IOException | RuntimeException ex)
        {
            if (mapped != null)
            {
                MappingBudget.unmap(mapped);
            }
            if (!(ex instanceof RegionException && ((RegionException)ex).reason() == RegionException.Reason.ALREADY_EXISTS))
            {
                deleteQuietly(path);
            }
            if (ex instanceof IOException)
            {
                throw new RegionException(RegionException.Reason.IO, path, "cannot size or map: " + ex, ex);
            }
            throw (RuntimeException)ex;
        }
    }

    private static RegionException alreadyExists(final Path path, final Exception cause)
    {
        if (Files.isSymbolicLink(path))
        {
            return RegionFiles.symbolicLink(path, cause);
        }
        return new RegionException(RegionException.Reason.ALREADY_EXISTS, path, "already exists" + RegionFiles.whatExists(path),
            cause);
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
        JvmFlags.requireAgronaAccess();
        final Path path = file.toAbsolutePath();
        RegionFiles.checkDirectory(path.getParent(), path);
        return register(new SharedRegion(path, false, RegionHeader.mapValidated(path, options), options.timeout().toNanos()));
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
     * Opens the region if it exists, else creates it. A file under the name whose header was never finished by a
     * creator that is now dead (left by building in place, see {@link #createAt}) is replaced.
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
                // The creator may have unlinked it between our two tries: try once more, then give up. A file whose
                // creator died before finishing its header (left by the in-place way of creating) is replaced.
                final boolean retry = ex.reason() == RegionException.Reason.NOT_FOUND ||
                    ex.reason() == RegionException.Reason.NOT_READY && RegionFiles.removeAbandoned(path);
                if (!retry || attempt > 0)
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
        final int index = directory.indexOf(nameBytes, directory.count());
        return index < 0 ? Optional.empty() : Optional.of(directory.read(index));
    }

    /**
     * Every published object, in creation order.
     *
     * @return the entries.
     */
    public List<RegionEntry> entries()
    {
        ensureOpen();
        final int count = directory.count();
        final List<RegionEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            entries.add(directory.read(i));
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
        return allocate(objectName, type, count, lockLength, initializer, false, 0);
    }

    /**
     * Creates a named object guarded by a lock that already exists in this region (several values under one lock:
     * Python's {@code Value('i', 0, lock=lock)}): the entry's LOCK_OFFSET is that lock's slot, and the object gets
     * no lock slot of its own. Fails if the name exists.
     *
     * @param objectName  the object's name.
     * @param type        its type.
     * @param count       number of elements, at least 1.
     * @param lockOffset  the lock's slot: an RLOCK object's offset, or the lock slot of another object.
     * @param initializer writes the initial contents, or null.
     * @return the new entry.
     * @throws IllegalArgumentException when no lock of this region starts at {@code lockOffset}.
     */
    public RegionEntry allocateUnder(
        final String objectName, final ObjectType type, final long count, final int lockOffset,
        final ObjectInitializer initializer)
    {
        if (!isLockSlot(lockOffset))
        {
            throw new IllegalArgumentException("object '" + objectName + "': no lock of region " + name +
                " starts at offset " + lockOffset + " (a shared lock must live in the object's own region)");
        }
        return allocate(objectName, type, count, 0, initializer, false, lockOffset);
    }

    /**
     * Whether a lock of this region starts at {@code lockOffset}: an RLOCK object, or another object's lock slot.
     *
     * @param lockOffset an offset in the region.
     * @return true when it is a lock's slot.
     */
    public boolean isLockSlot(final int lockOffset)
    {
        if (lockOffset <= 0)
        {
            return false;
        }
        for (final RegionEntry entry : entries())
        {
            if ((entry.type() == ObjectType.RLOCK && entry.offset() == lockOffset) || entry.lockOffset() == lockOffset)
            {
                return true;
            }
        }
        return false;
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
        return allocate(objectName, type, count, lockLength, initializer, true, 0);
    }

    /** Allocates; {@code sharedLockOffset}, when not 0, is the existing lock slot the entry names instead of its own. */
    private RegionEntry allocate(
        final String objectName, final ObjectType type, final long count, final int lockLength,
        final ObjectInitializer initializer, final boolean mayExist, final int sharedLockOffset)
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
        final long identity = directory.lock();
        try
        {
            final int entryCount = directory.countUnderLock();
            final int existing = directory.indexOf(nameBytes, entryCount);
            if (existing >= 0)
            {
                final RegionEntry entry = directory.read(existing);
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
            final long cursor = RegionChecks.inRange(
                path, "ALLOCATION_CURSOR", buffer.getLong(ALLOCATION_CURSOR_OFFSET), dataOffset(directoryCapacity), length);
            final long needed = slotLength + lockSlotLength;
            if (count > Integer.MAX_VALUE || needed > length - cursor)
            {
                throw new RegionException(RegionException.Reason.REGION_FULL, path,
                    "is full: '" + objectName + "' (" + type + " x " + count + ") needs " + needed +
                    " bytes, " + (length - cursor) + " of " + length + " are free");
            }

            final int lockOffset = lockLength > 0 ? (int)cursor : sharedLockOffset;
            final int offset = (int)(cursor + lockSlotLength);
            // Space past the cursor is zero: a new region file is, and only an allocator holding this lock writes
            // there. One that died holding it may have dirtied any of it, so whoever takes the lock over from a dead
            // owner zeroes all of it first. (Zeroing every allocation would touch every page of it: a pool's 16 MiB
            // of rings cost ~10 ms and all that memory at once.)
            if (directory.tookOverDeadOwner())
            {
                buffer.setMemory((int)cursor, (int)(length - cursor), (byte)0);
            }
            if (initializer != null)
            {
                // A shared lock is another object's and already initialised: the initializer sees no lock slot.
                initializer.initialize(buffer, offset, lockLength > 0 ? lockOffset : 0);
            }
            buffer.putLong(ALLOCATION_CURSOR_OFFSET, cursor + needed);

            return directory.publish(entryCount, type, nameBytes, offset, count, dataLength, lockOffset);
        }
        finally
        {
            directory.unlock(identity);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facts

    /**
     * The buffer over the whole mapping, for ipckit's object types and tools. Offsets come from {@link RegionEntry}.
     * Code that uses it directly checks {@link #isClosed()} first, as ipckit's objects do: after {@link #close()} the
     * buffer still reaches the region's pages for the linger period, then it is empty (address 0, capacity 0).
     *
     * @return the region's buffer.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * The region's waiter table, for ipckit's objects that {@code Waiting.any} can sleep on: a waiter registers a key
     * there, and the writer that may make it ready wakes it. Used with the same care as {@link #buffer()}.
     *
     * @return the table.
     */
    public WaiterTable waiters()
    {
        return waiters;
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
        ensureOpen();
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
        // Volatile: a creator that died before finishing what it built on the region can be replaced (see adopt).
        return buffer.getLongVolatile(CREATOR_OFFSET);
    }

    /**
     * Makes this process the region's creator in place of a creator that died before finishing what it was building
     * on the region (a queue's control region without its control block): whoever finishes the work owns it from
     * then on, and while it works on it nobody takes the region for abandoned. A compare-and-set: of several
     * processes adopting at once, one wins; the others see a live creator and wait for it as for any creator.
     *
     * @param deadCreator the creator identity this process read and found dead.
     * @return true when this process is now the region's creator.
     * @throws IllegalArgumentException when {@code deadCreator} is alive.
     */
    public boolean adopt(final long deadCreator)
    {
        ensureOpen();
        if (ProcessIdentity.isAlive(deadCreator))
        {
            throw new IllegalArgumentException("region " + path + ": creator " + ProcessIdentity.toString(deadCreator) +
                " is alive; only a dead creator's region can be adopted");
        }
        return buffer.compareAndSetLong(CREATOR_OFFSET, deadCreator, ProcessIdentity.current());
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
     * Whether {@link #close()} was called in this process. Every object of the region checks this before it touches
     * the region's memory.
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
        // The pages stay mapped for the linger period, so an operation that checked isClosed() just before this close
        // still lands in the region; objects check the flag set above before every access (and every poll of a wait).
        Unmapper.unmapLater(buffer, mapped);
    }

    /**
     * The error for an operation on an object of this closed region.
     *
     * @param object what was used, e.g. {@code "SharedLong 'counter'"}.
     * @return a CLOSED exception naming the object and the region.
     */
    public RegionException closedError(final String object)
    {
        return new RegionException(RegionException.Reason.CLOSED, path,
            "is closed in this process: " + object + " cannot be used any more (open the region again for a new view)");
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

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionException(RegionException.Reason.CLOSED, path, "is closed in this process");
        }
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
