package dev.ipckit.platform.internal;

/**
 * Named steps of creating a region, queue, pipe, pool or manager, where a test can make the creating JVM die:
 * started with {@code -Dipckit.test.haltAtStep=<step>}, the JVM halts (no shutdown hooks, no finally blocks, as
 * after SIGKILL) when creation reaches that step. Tests loop over {@link #STEPS} so that a kill at every instant
 * of creation is covered, not one lucky instant.
 * <p>
 * Internal: for ipckit's tests. Without the property every call is a comparison with a constant null.
 */
public final class CreationSteps
{
    /** The system property naming the step to halt at. */
    public static final String HALT_PROPERTY = "ipckit.test.haltAtStep";
    /** The exit status of a JVM halted at a step. */
    public static final int HALT_STATUS = 86;

    /** A region: its file created under an unfinished name, still empty. */
    public static final String REGION_FILE_CREATED = "region.file-created";
    /** A region: its unfinished file sized. */
    public static final String REGION_SIZED = "region.sized";
    /** A region: its header written and marked ready, still under the unfinished name. */
    public static final String REGION_HEADER_WRITTEN = "region.header-written";
    /** A region: linked under its own name, the unfinished name not yet removed. */
    public static final String REGION_LINKED = "region.linked";
    /** A region: created (the unfinished name removed). */
    public static final String REGION_CREATED = "region.created";
    /** A queue or pipe: its unfinished directory made, still empty. */
    public static final String DIRECTORY_CREATED = "directory.created";
    /** A queue or pipe: its control region and the objects in it made, the directory not yet renamed. */
    public static final String CONTROL_PREPARED = "directory.control-prepared";
    /** A queue or pipe: its directory renamed to its own name. */
    public static final String DIRECTORY_RENAMED = "directory.renamed";
    /** A queue: its journal opened, its control block not yet published. */
    public static final String QUEUE_JOURNAL_OPENED = "queue.journal-opened";
    /** A queue: created. */
    public static final String QUEUE_CREATED = "queue.created";
    /** A pipe: its journals opened. */
    public static final String PIPE_JOURNALS_OPENED = "pipe.journals-opened";

    /** Not creation, and not in {@link #STEPS}: a queue's skip past journal damage, its redo record committed. */
    public static final String QUEUE_SKIP_RECORDED = "queue.skip-recorded";
    /** Not creation, and not in {@link #STEPS}: a queue's skip past journal damage, CURSOR stored, TAKEN not yet. */
    public static final String QUEUE_SKIP_CURSOR_MOVED = "queue.skip-cursor-moved";

    /** Not creation, and not in {@link #STEPS}: a ring queue's claim past its commit point, TAKEN not yet raised. */
    public static final String QUEUE_RING_CLAIMED = "queue.ring-claimed";
    /** Not creation, and not in {@link #STEPS}: a ring queue's claim with TAKEN raised, the row's HELD not applied. */
    public static final String QUEUE_RING_COUNTED = "queue.ring-counted";

    /** Every step, in the order a queue's creation passes them (a region's are the first five). */
    public static final String[] STEPS = {
        DIRECTORY_CREATED, REGION_FILE_CREATED, REGION_SIZED, REGION_HEADER_WRITTEN, REGION_LINKED, REGION_CREATED,
        CONTROL_PREPARED, DIRECTORY_RENAMED, QUEUE_JOURNAL_OPENED, QUEUE_CREATED, PIPE_JOURNALS_OPENED};

    private static final String HALT_AT = System.getProperty(HALT_PROPERTY);

    private CreationSteps()
    {
    }

    /**
     * Marks that creation reached {@code step}; halts the JVM when that is the step the property names.
     *
     * @param step one of the constants of this class.
     */
    public static void reached(final String step)
    {
        if (HALT_AT != null && HALT_AT.equals(step))
        {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
