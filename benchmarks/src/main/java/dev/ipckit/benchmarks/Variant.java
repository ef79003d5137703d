package dev.ipckit.benchmarks;

/**
 * The four figures of a {@link ResultRow}: ipckit with its default wait strategy, ipckit with busy-spin, the raw
 * Agrona/Chronicle reference and Python's {@code multiprocessing}.
 */
public enum Variant
{
    /** ipckit with the default wait strategy. */
    IPCKIT("ipckit", "ipckit (default wait)"),
    /** ipckit with {@code WaitStrategy.busySpin()}. */
    IPCKIT_BUSY_SPIN("ipckit-busy-spin", "ipckit (busy-spin)"),
    /** The raw Agrona/Chronicle reference. */
    RAW("raw", "raw Agrona/Chronicle"),
    /** Python's {@code multiprocessing}. */
    PYTHON("python", "Python multiprocessing");

    private final String key;
    private final String label;

    Variant(final String key, final String label)
    {
        this.key = key;
        this.label = label;
    }

    /**
     * @return the name in the JSON report, say {@code ipckit-busy-spin}.
     */
    public String key()
    {
        return key;
    }

    /**
     * @return the column header in the reports.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param key a name as {@link #key()} gives it.
     * @return the variant.
     * @throws IllegalArgumentException when no variant has that name.
     */
    public static Variant byKey(final String key)
    {
        for (final Variant variant : values())
        {
            if (variant.key.equals(key))
            {
                return variant;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + key + "'");
    }
}
