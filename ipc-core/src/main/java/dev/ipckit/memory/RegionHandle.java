package dev.ipckit.memory;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a {@link SharedRegion} becomes when it is serialized: the file and the region's id. Deserializing re-attaches
 * to the same region in the receiving process, or fails if the file now holds another region.
 */
record RegionHandle(String path, long regionId) implements Serializable
{
    private Object readResolve() throws ObjectStreamException
    {
        return SharedRegion.attach(Path.of(path), regionId);
    }
}
