package dev.ipckit.memory.internal;

/**
 * The kinds of named object a region's directory records. Opening an object checks its recorded kind, so a value
 * created as an int is never reinterpreted as a double. Codes are part of the file layout: never renumber them.
 * <p>
 * The element length is the one place a fixed-size slot's size is written. The {@code sync} classes derive their
 * slot lengths from it ({@code RobustMutex.LENGTH}, {@code SharedSemaphore.LENGTH} and its row count) and check at
 * class initialization that every field of their layout ends inside the slot, so the size a region allocates and
 * the size a primitive uses cannot differ (this package cannot depend on {@code sync}, so the size lives here).
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
    /** A {@code ShareableList}: item records and their data (layout in {@code dev.ipckit.value.ShareableList}). */
    SHAREABLE_LIST(15, Byte.BYTES),
    /** A non-reentrant {@code SharedLock}: one lock slot (layout in {@code dev.ipckit.sync.RobustMutex}). */
    LOCK(20, SlotLengths.LOCK),
    /** A reentrant {@code SharedRLock}: the same slot as {@link #LOCK}. */
    RLOCK(21, SlotLengths.LOCK),
    /** A {@code SharedSemaphore}: guard, counters and a per-process permit table (layout in the class). */
    SEMAPHORE(22, SlotLengths.SEMAPHORE),
    /** A {@code SharedCondition}: its lock's name and a table of waiter rows; counted in bytes. */
    CONDITION(23, Byte.BYTES),
    /** A {@code SharedEvent}: one flag word. */
    EVENT(24, Long.BYTES),
    /** A {@code SharedBarrier}: guard, generation words, arrived parties and the serialized action; in bytes. */
    BARRIER(25, Byte.BYTES),
    /** A {@code SharedCountDownLatch}: one count word. */
    COUNT_DOWN_LATCH(27, Long.BYTES),
    /** A {@code SharedQueue}'s control block: counters, claim cursor and consumer rows; counted in bytes. */
    QUEUE(30, Byte.BYTES),
    /** A {@code Pipe}'s control block: the state of its two ends; counted in bytes. */
    PIPE(31, Byte.BYTES),
    /** A message ring: an Agrona ring buffer (a power-of-two capacity and its trailer); counted in bytes. */
    RING(32, Byte.BYTES),
    /** A ring queue's hold slots: the message each consumer row holds until acknowledged; counted in bytes. */
    MESSAGE_HOLDS(33, Byte.BYTES),
    /** A {@code SharedDict}: header, redo record, buckets and data blocks; counted in bytes, with a lock slot. */
    DICT(40, Byte.BYTES),
    /** A {@code SharedList}: header, redo record, two index arrays and data blocks; counted in bytes. */
    LIST(41, Byte.BYTES),
    /** A {@code SharedNamespace}: the layout of {@link #DICT}, string keys; counted in bytes. */
    NAMESPACE(42, Byte.BYTES),
    /** A {@code SharedSet}: a dict table whose values are all true (layout in {@code dev.ipckit.manager.DictTable}). */
    SET(43, Byte.BYTES),
    /** A {@code ManagedObject}: a dict table of one entry, the type id and the encoded state. */
    OBJECT(44, Byte.BYTES),
    /** Raw bytes whose meaning belongs to the user. */
    BYTES(99, Byte.BYTES);

    private final int code;
    private final int elementLength;

    /** Slot sizes shared by several constants (an enum constant cannot name another's field in its arguments). */
    private static final class SlotLengths
    {
        /** One cache line: the owner word and its fields. */
        static final int LOCK = 64;
        /** A 128-byte header (guard lock, counters, redo record) and 64 rows of 16 bytes: SharedSemaphore derives its
         *  row count from this. */
        static final int SEMAPHORE = 128 + 64 * 16;
    }

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
