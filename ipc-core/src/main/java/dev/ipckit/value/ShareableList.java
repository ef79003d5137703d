package dev.ipckit.value;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.sync.SharedRLock;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed-length list of longs, doubles, booleans, strings, byte arrays and nulls in a shared region, opened by name
 * in other processes: Python's {@code multiprocessing.shared_memory.ShareableList}.
 * <pre>{@code
 * ShareableList config = ShareableList.create(region, "config", List.of(8080L, 0.5, true, "eu-west", new byte[16]));
 * // in another process
 * ShareableList same = ShareableList.open(region, "config");
 * long port = (Long)same.get(0);
 * same.set(3, "us-east");            // fits: a string or byte array may not outgrow what it was created with
 * }</pre>
 * As in Python, an item may change its kind on {@link #set}, and the list's length and each item's room are fixed
 * at creation: a number, boolean or null takes 8 bytes; a string or byte array its length rounded up to 8 (at least
 * 8), and a later string or byte array in that place must fit in it ({@link IllegalArgumentException} otherwise).
 * Integers of any width are stored as {@code long} and read back as {@link Long} (Python has one int); floats as
 * {@link Double}.
 * <p>
 * Each {@link #get} and {@link #set} holds the list's lock ({@link #getLock()}, a {@link SharedRLock}), so an item is
 * never read half-written, and a compound update can hold the lock around several calls. A process killed in the
 * middle of a {@code set} leaves that item marked: reading it throws a {@link RegionException} (CORRUPT) saying the
 * value was lost, until it is set again.
 * <pre>
 * Slot layout
 *   0    COUNT     int   items
 *   8    RECORDS   COUNT records of RECORD_LENGTH bytes:
 *          0   KIND      int   NONE, LONG, DOUBLE, BOOLEAN, STRING, BYTES, or WRITING while a set is under way
 *          4   LENGTH    int   bytes used by a string (UTF-8) or byte array; 0 for the other kinds
 *          8   ROOM      int   bytes of the item's data, a multiple of 8, at least 8; fixed at creation
 *          16  DATA      long  the data's offset from the slot's start, 8-aligned; fixed at creation
 *   then           the items' data, ROOM bytes each
 * </pre>
 * Every field is checked against the slot when it is used.
 */
public final class ShareableList extends SharedObject
{
    private static final long serialVersionUID = 1L;

    static final int COUNT_OFFSET = 0;
    static final int RECORDS_OFFSET = 8;
    static final int KIND_OFFSET = 0;
    static final int LENGTH_OFFSET = 4;
    static final int ROOM_OFFSET = 8;
    static final int DATA_OFFSET = 16;
    static final int RECORD_LENGTH = 24;
    static final int ALIGNMENT = 8;

    static final int NONE = 0;
    static final int LONG = 1;
    static final int DOUBLE = 2;
    static final int BOOLEAN = 3;
    static final int STRING = 4;
    static final int BYTES = 5;
    /** Set before a {@code set} writes the data and replaced after: seen only after its writer died. */
    static final int WRITING = 6;

    /** The most items a list holds: its records must fit an int-sized slot with room for the data. */
    public static final int MAX_ITEMS = 1 << 24;

    private final transient int size;

    private ShareableList(final SharedRegion region, final RegionEntry entry)
    {
        super(region, entry);
        this.size = RegionChecks.intInRange(region.path(), "ShareableList '" + entry.name() + "' COUNT",
            live().getInt(offset + COUNT_OFFSET), 0, (int)Math.min(MAX_ITEMS, (entry.length() - RECORDS_OFFSET) /
            RECORD_LENGTH));
    }

    /**
     * Creates a list holding {@code items}; fails if the name exists.
     *
     * @param region the region.
     * @param name   the list's name.
     * @param items  the items: {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code Double},
     *               {@code Float}, {@code Boolean}, {@code String}, {@code byte[]} or null.
     * @return the list.
     * @throws IllegalArgumentException when an item is of another kind, or there are more than {@link #MAX_ITEMS}.
     */
    public static ShareableList create(final SharedRegion region, final String name, final List<?> items)
    {
        final Item[] encoded = encode(name, items);
        final long slotLength = slotLength(encoded);
        return new ShareableList(region, region.allocate(name, ObjectType.SHAREABLE_LIST, slotLength, LOCK_SLOT_LENGTH,
            (buffer, slot, bytes) ->
            {
                buffer.putInt(slot + COUNT_OFFSET, encoded.length);
                long data = RECORDS_OFFSET + (long)encoded.length * RECORD_LENGTH;
                for (int i = 0; i < encoded.length; i++)
                {
                    final int record = slot + RECORDS_OFFSET + i * RECORD_LENGTH;
                    final int room = roomFor(encoded[i]);
                    buffer.putInt(record + ROOM_OFFSET, room);
                    buffer.putLong(record + DATA_OFFSET, data);
                    write(buffer, record, (int)(slot + data), encoded[i]);
                    data += room;
                }
            }));
    }

    /**
     * Bytes the slot of a list holding {@code items} takes in a region (its lock and the region's own header and
     * directory come on top), for sizing a region.
     *
     * @param items the items (see {@link #create}).
     * @return the slot's length in bytes.
     * @throws IllegalArgumentException when an item is of another kind, or there are more than {@link #MAX_ITEMS}.
     */
    public static long slotLength(final List<?> items)
    {
        return slotLength(encode("", items));
    }

    private static Item[] encode(final String name, final List<?> items)
    {
        Objects.requireNonNull(items, "items");
        if (items.size() > MAX_ITEMS)
        {
            throw new IllegalArgumentException("a ShareableList holds at most " + MAX_ITEMS + " items, not " + items.size());
        }
        final Item[] encoded = new Item[items.size()];
        for (int i = 0; i < encoded.length; i++)
        {
            encoded[i] = Item.of(name, i, items.get(i));
        }
        return encoded;
    }

    private static long slotLength(final Item[] items)
    {
        long length = RECORDS_OFFSET + (long)items.length * RECORD_LENGTH;
        for (final Item item : items)
        {
            length += roomFor(item);
        }
        return length;
    }

    /**
     * Opens an existing list.
     *
     * @param region the region.
     * @param name   the list's name.
     * @return the list.
     */
    public static ShareableList open(final SharedRegion region, final String name)
    {
        return new ShareableList(region, region.find(name, ObjectType.SHAREABLE_LIST));
    }

    /**
     * @return how many items the list holds (fixed at creation).
     */
    public int size()
    {
        return size;
    }

    /**
     * The item at {@code index}.
     *
     * @param index the position.
     * @return a {@link Long}, {@link Double}, {@link Boolean}, {@link String}, {@code byte[]} (a copy) or null.
     * @throws IndexOutOfBoundsException when {@code index} is outside the list.
     * @throws RegionException           CORRUPT when the item's fields are damaged, or its last writer died
     *                                   before finishing it.
     */
    public Object get(final int index)
    {
        final int record = record(index);
        final SharedRLock lock = getLock();
        lock.lock();
        try
        {
            return read(index, record);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Replaces the item at {@code index}; its kind may change.
     *
     * @param index the position.
     * @param value a {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code Double}, {@code Float},
     *              {@code Boolean}, {@code String}, {@code byte[]} or null; a string or byte array must fit the
     *              item's room.
     * @return the item it replaced, or null when that one was lost by a writer that died.
     * @throws IllegalArgumentException  when the value is of another kind, or does not fit.
     * @throws IndexOutOfBoundsException when {@code index} is outside the list.
     */
    public Object set(final int index, final Object value)
    {
        final int record = record(index);
        final Item item = Item.of(name(), index, value);
        final SharedRLock lock = getLock();
        lock.lock();
        try
        {
            final AtomicBuffer buffer = live();
            final int room = room(index, record);
            if (item.length() > room)
            {
                throw new IllegalArgumentException("item " + index + " of ShareableList '" + name() + "' has room for " +
                    room + " bytes; the new " + (item.kind == STRING ? "string" : "byte array") + " takes " +
                    item.length() + " (the room is fixed when the list is created)");
            }
            Object previous;
            try
            {
                previous = read(index, record);
            }
            catch (final RegionException lost)
            {
                previous = null;
            }
            // WRITING first: a writer killed before the final KIND store leaves the item marked, never half-new.
            buffer.putIntVolatile(record + KIND_OFFSET, WRITING);
            write(buffer, record, dataOffset(index, record, room), item);
            return previous;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * How many items equal {@code value} (byte arrays by content), Python's {@code count}.
     *
     * @param value the value.
     * @return the count.
     */
    public int count(final Object value)
    {
        int count = 0;
        for (final Object item : toList())
        {
            if (same(item, value))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * The first position of {@code value} (byte arrays by content), Python's {@code index}.
     *
     * @param value the value.
     * @return the position, or -1 when absent (Python raises {@code ValueError}).
     */
    public int indexOf(final Object value)
    {
        final List<Object> items = toList();
        for (int i = 0; i < items.size(); i++)
        {
            if (same(items.get(i), value))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The items, read together under the list's lock.
     *
     * @return a copy.
     */
    public List<Object> toList()
    {
        final SharedRLock lock = getLock();
        lock.lock();
        try
        {
            final List<Object> items = new ArrayList<>(size);
            for (int i = 0; i < size; i++)
            {
                items.add(read(i, record(i)));
            }
            return items;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Python's repr: {@code ShareableList([8080, 0.5, True, 'eu-west'], name='config')}, Java-style values.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "ShareableList(name='" + name() + "', region closed)";
        }
        // Without the lock: toString must not wait on a holder that is stopped; an item being set may read torn.
        final StringBuilder text = new StringBuilder("ShareableList([");
        for (int i = 0; i < size; i++)
        {
            text.append(i == 0 ? "" : ", ");
            try
            {
                final Object item = read(i, record(i));
                text.append(item instanceof byte[] ? Arrays.toString((byte[])item) :
                    item instanceof String ? "'" + item + "'" : String.valueOf(item));
            }
            catch (final RuntimeException ex)
            {
                text.append("<unreadable>");
            }
        }
        return text.append("], name='").append(name()).append("')").toString();
    }

    private int record(final int index)
    {
        Objects.checkIndex(index, size);
        return offset + RECORDS_OFFSET + index * RECORD_LENGTH;
    }

    private int room(final int index, final int record)
    {
        final int room = live().getInt(record + ROOM_OFFSET);
        if (room < ALIGNMENT || room % ALIGNMENT != 0)
        {
            throw RegionChecks.corrupt(region.path(), field(index, "ROOM"), room, "not a multiple of 8 of at least 8");
        }
        return room;
    }

    /** The item's data offset in the region, checked (with its room) against the slot. */
    private int dataOffset(final int index, final int record, final int room)
    {
        final long data = live().getLong(record + DATA_OFFSET);
        final long recordsEnd = RECORDS_OFFSET + (long)size * RECORD_LENGTH;
        if (data < recordsEnd || data % ALIGNMENT != 0)
        {
            throw RegionChecks.corrupt(region.path(), field(index, "DATA"), data,
                "not an 8-aligned offset past the records (" + recordsEnd + ")");
        }
        if (data > entry.length() - room)
        {
            throw RegionChecks.corrupt(region.path(), field(index, "DATA"), data,
                "with ROOM " + room + " past the slot's end (" + entry.length() + " bytes)");
        }
        return (int)(offset + data);
    }

    /** Reads an item under the lock. */
    private Object read(final int index, final int record)
    {
        final AtomicBuffer buffer = live();
        final int kind = buffer.getInt(record + KIND_OFFSET);
        if (kind == WRITING)
        {
            throw new RegionException(RegionException.Reason.CORRUPT, region.path(), "item " + index +
                " of ShareableList '" + name() + "' was being set by a process that died: its value is lost " +
                "(set it again)");
        }
        if (kind < NONE || kind > BYTES)
        {
            throw RegionChecks.corrupt(region.path(), field(index, "KIND"), kind, "not a kind of item (0..5)");
        }
        if (kind == NONE)
        {
            return null;
        }
        final int room = room(index, record);
        final int data = dataOffset(index, record, room);
        switch (kind)
        {
            case LONG:
                return buffer.getLong(data);
            case DOUBLE:
                return buffer.getDouble(data);
            case BOOLEAN:
                return buffer.getLong(data) != 0;
            default:
                final int length = buffer.getInt(record + LENGTH_OFFSET);
                if (length < 0 || length > room)
                {
                    throw RegionChecks.corrupt(region.path(), field(index, "LENGTH"), length, "outside 0.." + room);
                }
                final byte[] bytes = new byte[length];
                buffer.getBytes(data, bytes);
                return kind == STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
        }
    }

    /** Writes an item's data, then LENGTH, then KIND (a release store) last. */
    private static void write(final AtomicBuffer buffer, final int record, final int data, final Item item)
    {
        switch (item.kind)
        {
            case LONG:
                buffer.putLong(data, (Long)item.value);
                break;
            case DOUBLE:
                buffer.putDouble(data, (Double)item.value);
                break;
            case BOOLEAN:
                buffer.putLong(data, (Boolean)item.value ? 1 : 0);
                break;
            case STRING:
            case BYTES:
                buffer.putBytes(data, (byte[])item.value);
                break;
            default:
                break;
        }
        buffer.putInt(record + LENGTH_OFFSET, item.length());
        buffer.putIntRelease(record + KIND_OFFSET, item.kind);
    }

    private String field(final int index, final String name)
    {
        return "ShareableList '" + name() + "' item " + index + " " + name;
    }

    private static int roomFor(final Item item)
    {
        return Math.max(ALIGNMENT, (item.length() + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }

    private static boolean same(final Object a, final Object b)
    {
        if (a instanceof byte[] && b instanceof byte[])
        {
            return Arrays.equals((byte[])a, (byte[])b);
        }
        if (a instanceof Long && b instanceof Number && !(b instanceof Double || b instanceof Float))
        {
            return (Long)a == ((Number)b).longValue();
        }
        return Objects.equals(a, b instanceof Float ? Double.valueOf((Float)b) : b);
    }

    /** An item ready to write: its kind, and its value as stored (a Long, Double, Boolean, UTF-8 bytes or bytes). */
    private static final class Item
    {
        final int kind;
        final Object value;

        private Item(final int kind, final Object value)
        {
            this.kind = kind;
            this.value = value;
        }

        static Item of(final String list, final int index, final Object value)
        {
            if (value == null)
            {
                return new Item(NONE, null);
            }
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
            {
                return new Item(LONG, ((Number)value).longValue());
            }
            if (value instanceof Double || value instanceof Float)
            {
                return new Item(DOUBLE, ((Number)value).doubleValue());
            }
            if (value instanceof Boolean)
            {
                return new Item(BOOLEAN, value);
            }
            if (value instanceof String)
            {
                return new Item(STRING, ((String)value).getBytes(StandardCharsets.UTF_8));
            }
            if (value instanceof byte[])
            {
                return new Item(BYTES, ((byte[])value).clone());
            }
            throw new IllegalArgumentException("item " + index + " of ShareableList '" + list + "' is a " +
                value.getClass().getName() + "; a ShareableList holds integers, floats, booleans, strings, byte " +
                "arrays and null");
        }

        int length()
        {
            return kind == STRING || kind == BYTES ? ((byte[])value).length : 0;
        }
    }
}
