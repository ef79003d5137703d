package dev.ipckit.value;

import dev.ipckit.memory.SharedRegion;

/**
 * A single typed value in a shared region (Python's {@code multiprocessing.Value}). Implementations:
 * {@link SharedInt}, {@link SharedLong}, {@link SharedDouble}, {@link SharedByte}, {@link SharedBoolean}.
 */
public interface SharedValue
{
    /**
     * The value's name in its region.
     *
     * @return the name.
     */
    String name();

    /**
     * The region that holds the value.
     *
     * @return the region.
     */
    SharedRegion region();
}
