package dev.ipckit.benchmarks.report;

/**
 * How long {@code ipckit bench} measures.
 */
enum Mode
{
    /** Small sizes, one round, short JMH runs: the whole report in under two minutes on a quiet 2-core machine. */
    QUICK("quick"),
    /** The sizes each harness uses by itself, and the JMH benchmarks' own settings: a few minutes per harness. */
    FULL("full");

    private final String label;

    Mode(final String label)
    {
        this.label = label;
    }

    /**
     * @return the mode as the report names it.
     */
    String label()
    {
        return label;
    }

    /**
     * @return whether this is the quick mode.
     */
    boolean quick()
    {
        return this == QUICK;
    }
}
