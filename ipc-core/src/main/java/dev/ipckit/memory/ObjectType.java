package dev.ipckit.memory;

/**
 * The kinds of named object a region's directory records. Opening an object checks its recorded kind, so a value
 * created as an int is never reinterpreted as a double. Codes are part of the file layout: never renumber them.
 */
public enum ObjectType
{
    /** A single {@code int}. */
    INT(1, Integer.BYTES),
    /** A single {@code long}. */
    LONG(2, Long.BYTES),
    /** A single {@code double}, stored as its raw long bits. */
    DOUBLE(3, Long.BYTES),
    /** A single {@code byte} (Python's 'b' and 'c'), stored in an int word so it can be compared-and-set. */
    BYTE(4, Integer.BYTES),
    /** A single {@code boolean}, stored as an int word holding 0 or 1. */
    BOOLEAN(5, Integer.BYTES),
    /** An array of {@code int}. */
    INT_ARRAY(11, Integer.BYTES),
    /** An array of {@code long}. */
    LONG_ARRAY(12, Long.BYTES),
    /** An array of {@code double}, stored as raw long bits. */
    DOUBLE_ARRAY(13, Long.BYTES),
    /** An array of {@code byte}. */
    BYTE_ARRAY(14, Byte.BYTES),
    /** A non-reentrant {@code SharedLock}: one 64-byte lock slot (layout in {@code dev.ipckit.sync.OwnerLock}). */
    LOCK(20, 64),
    /** A reentrant {@code SharedRLock}: the same slot as {@link #LOCK}. */
    RLOCK(21, 64),
    /** A {@code SharedSemaphore}: guard, counters and a 64-row per-process permit table (1152 bytes). */
    SEMAPHORE(22, 1152),
    /** A {@code SharedCondition}: its lock's name and a table of waiter rows; counted in bytes. */
    CONDITION(23, Byte.BYTES),
    /** A {@code SharedEvent}: one flag word. */
    EVENT(24, 8),
    /** A {@code SharedBarrier}: guard, generation words, arrived parties and the serialized action; in bytes. */
    BARRIER(25, Byte.BYTES),
    /** A {@code SharedCountDownLatch}: one count word. */
    COUNT_DOWN_LATCH(27, 8),
    /** A {@code SharedQueue}'s control block: counters, claim cursor and consumer rows; counted in bytes. */
    QUEUE(30, Byte.BYTES),
    /** A {@code Pipe}'s control block: the state of its two ends; counted in bytes. */
    PIPE(31, Byte.BYTES),
    /** A {@code SharedDict}: header, redo record, buckets and data blocks; counted in bytes, with a lock slot. */
    DICT(40, Byte.BYTES),
    /** A {@code SharedList}: header, redo record, two index arrays and data blocks; counted in bytes. */
    LIST(41, Byte.BYTES),
    /** A {@code SharedNamespace}: the layout of {@link #DICT}, string keys; counted in bytes. */
    NAMESPACE(42, Byte.BYTES),
    /** Raw bytes whose meaning belongs to the user. */
    BYTES(99, Byte.BYTES);

    private final int code;
    private final int elementLength;

    ObjectType(final int code, final int elementLength)
    {
        this.code = code;
        this.elementLength = elementLength;
    }

    /**
     * The code stored in the directory.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * Bytes per element.
     *
     * @return the element length.
     */
    public int elementLength()
    {
        return elementLength;
    }

    /**
     * The type with this directory code.
     *
     * @param code a code read from a region.
     * @return the type, or null for an unknown code.
     */
    public static ObjectType fromCode(final int code)
    {
        for (final ObjectType type : values())
        {
            if (type.code == code)
            {
                return type;
            }
        }
        return null;
    }
}
