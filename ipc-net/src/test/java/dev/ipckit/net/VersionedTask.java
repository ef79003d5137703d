package dev.ipckit.net;

import dev.ipckit.process.SerializableCallable;

/**
 * A task class of which PoolServerCrossProcessTest compiles another version for a remote worker's class path: the
 * worker must refuse to run this one with its different class file.
 */
public class VersionedTask implements SerializableCallable<String>
{
    private static final long serialVersionUID = 1L;

    /** The text the other version returns instead. */
    static final String VERSION = "version 1";

    @Override
    public String call()
    {
        return VERSION;
    }
}
