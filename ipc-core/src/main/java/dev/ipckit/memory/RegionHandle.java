package dev.ipckit.memory;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a {@link SharedRegion} becomes when it is serialized: the file and the region's id. Deserializing re-attaches
 * to the same region in the receiving process, or fails if the file now holds another region.
 * <p>
 * A plain class, not a record: a JVM's first record deserialization builds its method-handle machinery, about 30 ms
 * of a child's start.
 */
final class RegionHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String path;
    private final long regionId;

    RegionHandle(final String path, final long regionId)
    {
        this.path = path;
        this.regionId = regionId;
    }

    private Object readResolve() throws ObjectStreamException
    {
        return SharedRegion.attach(Path.of(path), regionId);
    }
}
