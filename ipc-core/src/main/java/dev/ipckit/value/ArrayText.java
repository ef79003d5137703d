package dev.ipckit.value;

import java.util.function.IntFunction;

/**
 * {@code toString} of the arrays: the contents, cut after {@link #MAX_SHOWN} elements.
 */
final class ArrayText
{
    static final int MAX_SHOWN = 1000;

    private ArrayText()
    {
    }

    static String of(final String type, final String name, final int length, final IntFunction<String> element)
    {
        final StringBuilder sb = new StringBuilder(type).append('{').append(name).append('=').append('[');
        final int shown = Math.min(length, MAX_SHOWN);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                sb.append(", ");
            }
            sb.append(element.apply(i));
        }
        if (shown < length)
        {
            sb.append(", ... (").append(length - shown).append(" more)");
        }
        return sb.append("]}").toString();
    }
}
