package dev.ipckit.memory;

import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;

import static dev.ipckit.memory.RegionLayout.*;

/**
 * A region's directory of named objects (layout in {@link RegionLayout}) and the lock that serialises its changes.
 * <p>
 * Readers need no lock: they load ENTRY_COUNT with acquire and read only entries below it. A writer takes the lock,
 * writes the object and its entry, then publishes both with a release store of ENTRY_COUNT. A writer that dies
 * before that store leaves nothing visible; the next writer takes the lock over and reuses the space.
 */
final class RegionDirectory
{
    /** How often a waiter for the directory lock checks that its holder is alive. */
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Path path;
    private final AtomicBuffer buffer;
    private final long lockTimeoutNanos;
    private final int capacity;
    private final long regionLength;

    /**
     * @param capacity     the directory's capacity, already checked against the region's length.
     * @param regionLength the region's length, already checked against the file.
     */
    RegionDirectory(
        final Path path, final AtomicBuffer buffer, final long lockTimeoutNanos, final int capacity,
        final long regionLength)
    {
        this.path = path;
        this.buffer = buffer;
        this.lockTimeoutNanos = lockTimeoutNanos;
        this.capacity = capacity;
        this.regionLength = regionLength;
    }

    /** Published entries; acquire pairs with the release in {@link #publish}. Checked against the capacity. */
    int count()
    {
        return checkedCount(buffer.getIntAcquire(ENTRY_COUNT_OFFSET));
    }

    /** Entries published so far, read by the lock holder (its own writes need no ordering). */
    int countUnderLock()
    {
        return checkedCount(buffer.getInt(ENTRY_COUNT_OFFSET));
    }

    private int checkedCount(final int count)
    {
        return RegionChecks.intInRange(path, "ENTRY_COUNT", count, 0, capacity);
    }

    /**
     * Writes entry {@code index} and publishes it: the release store of ENTRY_COUNT makes the entry and the object
     * it describes (initialised before this call) visible to every reader that loads the count with acquire.
     */
    RegionEntry publish(
        final int index, final ObjectType type, final byte[] nameBytes, final int offset, final long count,
        final long length, final int lockOffset)
    {
        final int entryOffset = entryOffset(index);
        buffer.putInt(entryOffset + ENTRY_TYPE_OFFSET, type.code());
        buffer.putInt(entryOffset + ENTRY_NAME_LENGTH_OFFSET, nameBytes.length);
        buffer.putLong(entryOffset + ENTRY_OFFSET_OFFSET, offset);
        buffer.putLong(entryOffset + ENTRY_COUNT_FIELD_OFFSET, count);
        buffer.putLong(entryOffset + ENTRY_LENGTH_OFFSET, length);
        buffer.putLong(entryOffset + ENTRY_LOCK_OFFSET_OFFSET, lockOffset);
        buffer.putBytes(entryOffset + ENTRY_NAME_OFFSET, nameBytes);
        buffer.putIntRelease(ENTRY_COUNT_OFFSET, index + 1);
        return read(index);
    }

    int indexOf(final byte[] nameBytes, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int entryOffset = entryOffset(i);
            if (nameLength(i) == nameBytes.length && nameEquals(entryOffset, nameBytes))
            {
                return i;
            }
        }
        return -1;
    }

    /** An entry's name length, checked: a damaged one is reported, not taken for another name. */
    private int nameLength(final int index)
    {
        return RegionChecks.intInRange(path, "entry " + index + " NAME_LENGTH",
            buffer.getInt(entryOffset(index) + ENTRY_NAME_LENGTH_OFFSET), 1, MAX_OBJECT_NAME_BYTES);
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

    /**
     * Reads entry {@code index}, checking every field against the layout and the region's bounds: a damaged entry is
     * a {@link RegionException} CORRUPT naming the field, never an object placed over the wrong bytes.
     */
    RegionEntry read(final int index)
    {
        final int entryOffset = entryOffset(index);
        final String at = "entry " + index + " ";
        final int code = buffer.getInt(entryOffset + ENTRY_TYPE_OFFSET);
        final ObjectType type = ObjectType.fromCode(code);
        if (type == null)
        {
            throw RegionChecks.corrupt(path, at + "TYPE", code, "not the code of any object type");
        }
        final int nameLength = nameLength(index);
        final String objectName = buffer.getStringWithoutLengthUtf8(entryOffset + ENTRY_NAME_OFFSET, nameLength);
        final String field = at + "('" + objectName + "') ";

        final int dataStart = Math.toIntExact(dataOffset(capacity)); // capacity and length are checked: fits
        final int offset = RegionChecks.intInRange(
            path, field + "OFFSET", buffer.getLong(entryOffset + ENTRY_OFFSET_OFFSET), dataStart,
            Math.toIntExact(regionLength - SLOT_ALIGNMENT));
        if ((offset & (SLOT_ALIGNMENT - 1)) != 0)
        {
            throw RegionChecks.corrupt(path, field + "OFFSET", offset, "not aligned to " + SLOT_ALIGNMENT + " bytes");
        }
        final long count = RegionChecks.inRange(
            path, field + "COUNT", buffer.getLong(entryOffset + ENTRY_COUNT_FIELD_OFFSET), 1,
            (regionLength - offset) / type.elementLength());
        final long length = buffer.getLong(entryOffset + ENTRY_LENGTH_OFFSET);
        if (length != count * type.elementLength())
        {
            throw RegionChecks.corrupt(path, field + "LENGTH", length,
                "not COUNT " + count + " x " + type.elementLength() + " bytes per " + type);
        }
        final long lockOffset = buffer.getLong(entryOffset + ENTRY_LOCK_OFFSET_OFFSET);
        if (lockOffset != 0 && (lockOffset < dataStart || lockOffset >= offset || (lockOffset & (SLOT_ALIGNMENT - 1)) != 0))
        {
            throw RegionChecks.corrupt(path, field + "LOCK_OFFSET", lockOffset,
                "neither 0 (no lock) nor an aligned offset from " + dataStart + " below the object's OFFSET " + offset);
        }
        // lockOffset is 0 or below offset, an int: the cast cannot narrow.
        return new RegionEntry(objectName, type, offset, count, length, (int)lockOffset);
    }

    /**
     * Takes the directory lock: CAS from free to this process's identity; a dead holder's identity is replaced by
     * a CAS against the exact value seen, so a live holder is never broken.
     */
    /**
     * Whether the last {@link #lock()} of this process took the lock over from a dead owner, which may have died
     * half-way through an allocation. Written and read only by the lock's holder.
     */
    private boolean tookOverDeadOwner;

    long lock()
    {
        final long identity = ProcessIdentity.current();
        final TimedWait wait = new TimedWait(RegionWait.newIdleStrategy(), false)
            .begin(lockTimeoutNanos, LIVENESS_CHECK_NANOS, TimedWait.Interrupts.DEFER, path);
        try
        {
            while (true)
            {
                final long owner = buffer.getLongVolatile(DIRECTORY_LOCK_OFFSET);
                if (owner == ProcessIdentity.NONE)
                {
                    if (buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, ProcessIdentity.NONE, identity))
                    {
                        tookOverDeadOwner = false;
                        return identity;
                    }
                    continue;
                }
                switch (wait.missUninterruptibly())
                {
                    case TimedWait.CHECK:
                        if (owner != identity && !ProcessIdentity.isAlive(owner) &&
                            buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, owner, identity))
                        {
                            tookOverDeadOwner = true;
                            return identity;
                        }
                        break;
                    case TimedWait.TIMED_OUT:
                        throw new RegionException(RegionException.Reason.DIRECTORY_BUSY, path,
                            "directory lock held by " + ProcessIdentity.toString(owner) + " for more than " +
                            TimeUnit.NANOSECONDS.toMillis(lockTimeoutNanos) + " ms");
                    default:
                        break;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /**
     * @return whether the holder's {@link #lock()} took the lock over from a dead owner.
     */
    boolean tookOverDeadOwner()
    {
        return tookOverDeadOwner;
    }

    void unlock(final long identity)
    {
        // Release: the directory and allocation changes made under the lock are visible to the next holder.
        if (!buffer.compareAndSetLong(DIRECTORY_LOCK_OFFSET, identity, ProcessIdentity.NONE))
        {
            throw new IllegalStateException("region " + path + ": directory lock was taken from this process");
        }
    }
}
