package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;

/**
 * The check every fixed-size primitive makes at class initialization: its layout's fields end inside the slot that
 * {@link ObjectType} allocates for it. {@link ObjectType} owns the size (the region allocates by it, and
 * {@code memory} cannot depend on {@code sync}); a layout that outgrew it fails the class's initialization, so no
 * primitive can write into its neighbour's slot.
 */
final class SlotLayout
{
    private SlotLayout()
    {
    }

    /**
     * @param type      the type whose slot the layout uses.
     * @param fieldsEnd where the layout's last field ends.
     * @return the slot's length, for the class's {@code LENGTH} constant.
     * @throws IllegalStateException when the fields end past the slot.
     */
    static int requireFits(final ObjectType type, final int fieldsEnd)
    {
        return requireFits(type + " slot", fieldsEnd, type.elementLength());
    }

    /**
     * @param what      what is checked, for the message.
     * @param fieldsEnd where the last field ends.
     * @param length    the bytes available.
     * @return {@code length}.
     * @throws IllegalStateException when the fields end past {@code length}.
     */
    static int requireFits(final String what, final int fieldsEnd, final int length)
    {
        if (fieldsEnd > length)
        {
            throw new IllegalStateException(what + ": the layout's fields end at byte " + fieldsEnd + ", past its " +
                length + " bytes; grow the size in dev.ipckit.memory.internal.ObjectType, which owns it");
        }
        return length;
    }
}
