package dev.ipckit.stress;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed pool of shared objects for jcstress states, in one region file that this JVM maps twice, so that each
 * actor can use its own mapping of the same pages, as two processes would.
 * <p>
 * <b>Why a pool.</b> jcstress makes a new {@code @State} object very often: in 0.16 a state with a constructor is
 * re-created for every sample, millions per run. Region objects are never freed, so a region (or a named object)
 * per state would exhaust any region within milliseconds. Instead every test class builds one pool per fork, in a
 * static holder, of {@code cells} cells created once; a state constructor takes the next cell round-robin and
 * resets it to its initial contents.
 * <p>
 * <b>Why that is safe.</b> A cell may be reused only when no state that still runs holds it. jcstress 0.16 keeps the
 * states of one epoch in an array of {@code strideSize * strideCount} entries (at most 256 x 40 = 10,240 by default;
 * its footprint estimator tries arrays up to 1.2 times that before the run). After every actor has passed the
 * epoch's last checkpoint, each actor thread replaces its half of the array with new states; the next epoch starts
 * only after both are done. So the states that can still run are always among the most recently created
 * {@code strideSize * strideCount} ones (at most 12,288 during estimation with 256 x 40), and a pool of
 * {@link #CELLS} cells (16,384 for 256 x 40; {@link #cellsFor} computes it for any stride, and {@link JcstressGate}
 * passes it to the forked JVMs) handed out in creation order never gives a running state's cell to a new state. Termination tests run one state at a time and need far fewer cells.
 * <p>
 * The reset in the state constructor is published to the actors by jcstress's own epoch hand-off, like any other
 * state field; both mappings see it because they are the same physical pages.
 * <p>
 * <b>Lifetime.</b> The file is unlinked as soon as both mappings exist: the pages live until this JVM exits, and a
 * fork that jcstress kills leaves nothing in {@code /dev/shm}.
 *
 * @param <T> the cell type, holding one or more shared objects.
 */
public final class MirroredPool<T>
{
    /**
     * The system property that sets {@link #CELLS}: {@link JcstressGate} passes the count that covers the stride it
     * runs with ({@link #cellsFor}), so a short pass with a small stride builds a small pool (building 16,384 cells
     * twice takes some 5 s of each forked JVM, most of a short pass's time).
     */
    public static final String CELLS_PROPERTY = "ipckit.jcstress.cells";

    /** The most cells a pool has: what the default stride, 256 x 40, needs. */
    public static final int MAX_CELLS = 16_384;

    /** Cells per pool for the stride bound explained above: {@link #CELLS_PROPERTY}, else {@link #MAX_CELLS}. */
    public static final int CELLS = configuredCells();

    /** Cells for termination tests, which run one state at a time. */
    public static final int TERMINATION_CELLS = 1_024;

    /** Directory entry length in a region (RegionLayout.ENTRY_LENGTH). */
    private static final int ENTRY_BYTES = 128;

    private static final AtomicInteger REGIONS = new AtomicInteger();

    /**
     * The cells a stride needs: the states of one epoch, with the 1.2 margin of jcstress's footprint estimator,
     * rounded up to a power of two, at least {@link #TERMINATION_CELLS}.
     *
     * @param strideSize  jcstress's {@code -strideSize}.
     * @param strideCount jcstress's {@code -strideCount}.
     * @return the cell count.
     * @throws IllegalArgumentException when the stride needs more than {@link #MAX_CELLS}.
     */
    public static int cellsFor(final int strideSize, final int strideCount)
    {
        final long states = (long)strideSize * strideCount * 6 / 5;
        if (states > MAX_CELLS)
        {
            throw new IllegalArgumentException("a stride of " + strideSize + " x " + strideCount + " needs " + states +
                " cells; the pool has at most " + MAX_CELLS);
        }
        return Math.max(TERMINATION_CELLS, Integer.highestOneBit((int)Math.max(1, states - 1)) << 1);
    }

    private static int configuredCells()
    {
        final String value = System.getProperty(CELLS_PROPERTY);
        if (value == null)
        {
            return MAX_CELLS;
        }
        if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) < TERMINATION_CELLS ||
            Integer.parseInt(value) > MAX_CELLS)
        {
            throw new IllegalStateException("-D" + CELLS_PROPERTY + "=" + value + " must be a cell count from " +
                TERMINATION_CELLS + " to " + MAX_CELLS);
        }
        return Integer.parseInt(value);
    }

    /**
     * Makes one cell's objects in a region (create in the first mapping, open in the second).
     *
     * @param <T> the cell type.
     */
    @FunctionalInterface
    public interface CellFactory<T>
    {
        /**
         * @param region the mapping.
         * @param prefix a prefix unique to the cell, for the names of its objects.
         * @return the cell.
         */
        T make(SharedRegion region, String prefix);
    }

    private final T[] first;
    private final T[] second;
    private final AtomicLong cursor = new AtomicLong();

    private MirroredPool(final T[] first, final T[] second)
    {
        this.first = first;
        this.second = second;
    }

    /**
     * Creates the region, its cells and the second mapping, then unlinks the file.
     *
     * @param type           the cell class.
     * @param cells          number of cells.
     * @param objectsPerCell named objects in one cell.
     * @param bytesPerCell   upper bound of the object bytes of one cell (slots are 128-byte aligned).
     * @param create         creates a cell's objects in the first mapping.
     * @param open           opens the same objects in the second mapping.
     * @param <T>            the cell type.
     * @return the pool.
     */
    public static <T> MirroredPool<T> create(
        final Class<T> type, final int cells, final int objectsPerCell, final int bytesPerCell,
        final CellFactory<T> create, final CellFactory<T> open)
    {
        final int entries = cells * objectsPerCell;
        final long length = (long)cells * bytesPerCell + (long)entries * ENTRY_BYTES + (1 << 20);
        final String name = "jcstress-" + ProcessHandle.current().pid() + "-" + REGIONS.incrementAndGet();
        final SharedRegion creator = SharedRegion.create(
            name, length, RegionOptions.defaults().withDirectoryCapacity(entries + 16));
        final SharedRegion attacher = SharedRegion.open(name);
        final T[] first = newArray(type, cells);
        final T[] second = newArray(type, cells);
        try
        {
            for (int i = 0; i < cells; i++)
            {
                first[i] = create.make(creator, prefix(i));
            }
            for (int i = 0; i < cells; i++)
            {
                second[i] = open.make(attacher, prefix(i));
            }
        }
        finally
        {
            // Both mappings exist (or we failed): unlink now, the pages stay mapped until this JVM exits.
            try
            {
                Files.deleteIfExists(creator.path());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot unlink " + creator.path(), ex);
            }
        }
        return new MirroredPool<>(first, second);
    }

    /**
     * Names are looked up by a linear scan that compares lengths, then bytes from the start: putting the fastest
     * varying digit first makes almost every comparison stop at the first byte, which keeps building 16k cells fast.
     */
    private static String prefix(final int i)
    {
        return new StringBuilder(Integer.toString(i)).reverse().append('.').toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] newArray(final Class<T> type, final int length)
    {
        return (T[])Array.newInstance(type, length);
    }

    /**
     * The next cell index, round-robin; thread-safe (jcstress re-creates states from both actor threads at once).
     *
     * @return an index for {@link #first(int)} and {@link #second(int)}.
     */
    public int next()
    {
        return (int)(cursor.getAndIncrement() % first.length);
    }

    /**
     * @param index a cell index.
     * @return the cell's objects in the first mapping (the creator's).
     */
    public T first(final int index)
    {
        return first[index];
    }

    /**
     * @param index a cell index.
     * @return the same objects in the second mapping.
     */
    public T second(final int index)
    {
        return second[index];
    }

    /**
     * @return the number of cells.
     */
    public int cells()
    {
        return first.length;
    }
}
