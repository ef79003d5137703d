package dev.ipckit.queue;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.Attachments;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ProcessIdentity;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.InvalidObjectException;
import java.nio.file.Path;

/**
 * One process's attachment to one pipe: the control region, the journals and the {@link Connection}s attached here,
 * shared by the {@link Pipe} object (in its creator) and every connection to that pipe in this process, and closed
 * when the last of them lets go.
 * <p>
 * A pipe directory holds {@value QueueFiles#CONTROL_FILE} (one {@link PipeControl} block named {@value #BLOCK_NAME})
 * and one channel per direction, named after the end that reads it, {@code to-end1}, and for a duplex pipe
 * {@code to-end2}: with the journal transport a Chronicle journal in a directory of that name; with the ring transport
 * an Agrona one-to-one ring, an object of that name in the control region:
 * <pre>
 * Ring object ({@code ObjectType.RING}), {@link #ringLength} bytes
 *   0          records   capacity bytes (a power of two): Agrona's records, [int length][int type][message]
 *   capacity   trailer   RingBufferDescriptor.TRAILER_LENGTH bytes: Agrona's tail, head cache, head and counters
 * </pre>
 * A record's type is the message's kind ({@link Connection#KIND_OBJECT} or {@link Connection#KIND_BYTES}). Each
 * direction has one writer (the sending end's owner) and one reader (the receiving end's owner), as Agrona's
 * one-to-one ring needs; the ends' ownership rules ({@link Connection}) keep it so.
 * <p>
 * Everything here is guarded by {@link #LOCK}: attaching and closing are rare.
 */
final class PipeLink
{
    static final Object LOCK = new Object();
    static final String BLOCK_NAME = "pipe";
    static final int REGION_LENGTH = 4096;
    static final int REGION_DIRECTORY_CAPACITY = 4;

    /** Read and changed under LOCK, with the links' reference counts. */
    private static final Attachments<PipeLink> ATTACHED = Attachments.of(PipeLink.class);

    final Path directory;
    final String name;
    final SharedRegion region;
    final PipeControl control;
    final boolean duplex;
    final RollCycle rollCycle;
    /** Each direction's ring capacity in bytes; 0 for the journal transport. */
    final int ringCapacity;
    /** Indexed by the end that reads; null entries for the journal transport and a one-way pipe's end 2. */
    private final OneToOneRingBuffer[] rings = new OneToOneRingBuffer[3];
    private final SingleChronicleQueue[] journals = new SingleChronicleQueue[3];
    private final Connection[] connections = new Connection[3];
    private int references;

    private PipeLink(final Path directory, final SharedRegion region, final RollCycle rollCycle)
    {
        this.directory = directory;
        final String fileName = directory.getFileName().toString();
        this.name = fileName.substring(0, fileName.length() - QueueFiles.PIPE_SUFFIX.length());
        this.region = region;
        this.control = new PipeControl(region.buffer(), region.find(BLOCK_NAME, ObjectType.PIPE).offset(), region.waiters());
        this.duplex = control.duplex();
        this.rollCycle = rollCycle;
        this.ringCapacity = control.ringCapacity();
        if (ringCapacity != 0)
        {
            rings[PipeControl.END1] = openRing(PipeControl.END1);
            if (duplex)
            {
                rings[PipeControl.END2] = openRing(PipeControl.END2);
            }
        }
    }

    /** The ring {@code toEnd} reads, checked against the capacity the control block records. */
    private OneToOneRingBuffer openRing(final int toEnd)
    {
        final RegionEntry entry = region.find(channelName(toEnd), ObjectType.RING);
        final int length = ringLength(ringCapacity);
        if (entry.length() != length)
        {
            throw new IllegalStateException("pipe '" + name + "' is damaged: its ring " + channelName(toEnd) + " is " +
                entry.length() + " bytes long, not the " + length + " its capacity of " + ringCapacity + " needs");
        }
        return new OneToOneRingBuffer(new UnsafeBuffer(region.buffer(), entry.offset(), length));
    }

    /** A ring object's length: the records and Agrona's trailer. */
    static int ringLength(final int capacity)
    {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /** The control region's length for a pipe with rings of {@code ringCapacity} bytes (0: journals). */
    private static long regionLength(final boolean duplex, final int ringCapacity)
    {
        if (ringCapacity == 0)
        {
            return REGION_LENGTH;
        }
        // Each object starts on a slot boundary (128 bytes): one slot of slack per ring is enough.
        final long perRing = ringLength(ringCapacity) + 128L;
        return REGION_LENGTH + (duplex ? 2 : 1) * perRing;
    }

    /**
     * Creates a pipe's directory, control region and journals, owned by this process; the caller holds one
     * reference. On failure nothing is left behind.
     */
    static PipeLink create(
        final Path directory, final boolean duplex, final RollCycle rollCycle, final int ringCapacity)
    {
        synchronized (LOCK)
        {
            // The directory appears with its control region, the pipe block and its rings in it (createWithControl).
            final SharedRegion region = QueueFiles.createWithControl(directory, "pipe",
                regionLength(duplex, ringCapacity),
                RegionOptions.defaults().withDirectoryCapacity(REGION_DIRECTORY_CAPACITY),
                building ->
                {
                    building.allocate(BLOCK_NAME, ObjectType.PIPE, PipeControl.LENGTH, 0,
                        (buffer, offset, lockOffset) ->
                            PipeControl.initialize(buffer, offset, duplex, ringCapacity, ProcessIdentity.current()));
                    if (ringCapacity != 0)
                    {
                        // Zeroed by the region: an empty ring (Agrona keeps no other state).
                        building.allocate(channelName(PipeControl.END1), ObjectType.RING, ringLength(ringCapacity), 0,
                            null);
                        if (duplex)
                        {
                            building.allocate(channelName(PipeControl.END2), ObjectType.RING,
                                ringLength(ringCapacity), 0, null);
                        }
                    }
                });
            PipeLink link = null;
            try
            {
                link = new PipeLink(directory, region, rollCycle);
                if (ringCapacity == 0)
                {
                    // Both journals now: their metadata records the roll cycle before any other process opens them.
                    link.journal(PipeControl.END1);
                    if (duplex)
                    {
                        link.journal(PipeControl.END2);
                    }
                }
                CreationSteps.reached(CreationSteps.PIPE_JOURNALS_OPENED);
                link.references = 1;
                ATTACHED.put(directory, link);
                return link;
            }
            catch (final RuntimeException ex)
            {
                if (link != null)
                {
                    link.closeResources();
                }
                else
                {
                    region.close();
                }
                QueueFiles.deleteTree(directory);
                throw ex;
            }
        }
    }

    /** The link this process has to the pipe, or a new one; the caller holds one more reference. */
    static PipeLink attach(final Path directory, final long pipeId, final RollCycle rollCycle)
        throws InvalidObjectException
    {
        synchronized (LOCK)
        {
            final PipeLink existing = ATTACHED.get(directory);
            if (existing != null && existing.region.regionId() == pipeId)
            {
                existing.references++;
                return existing;
            }
            final SharedRegion region;
            try
            {
                region = SharedRegion.openAt(directory.resolve(QueueFiles.CONTROL_FILE), RegionOptions.defaults());
            }
            catch (final RegionException ex)
            {
                throw invalid("pipe " + directory + " cannot be attached: " + ex.getMessage(), ex);
            }
            if (region.regionId() != pipeId)
            {
                region.close();
                throw invalid(
                    "pipe " + directory + " was closed and created again: the handle names the old one", null);
            }
            final PipeLink link;
            try
            {
                link = new PipeLink(directory, region, rollCycle);
            }
            catch (final RuntimeException ex)
            {
                region.close();
                throw ex;
            }
            link.references = 1;
            ATTACHED.put(directory, link);
            return link;
        }
    }

    /** The link this process has to the pipe, if any. */
    static PipeLink attached(final Path directory, final long pipeId)
    {
        synchronized (LOCK)
        {
            final PipeLink link = ATTACHED.get(directory);
            return link != null && link.region.regionId() == pipeId ? link : null;
        }
    }

    /** The ring {@code toEnd} reads; only with the ring transport. */
    OneToOneRingBuffer ring(final int toEnd)
    {
        return rings[toEnd];
    }

    /** Whether the messages go through rings, not journals. */
    boolean isRing()
    {
        return ringCapacity != 0;
    }

    /** The journal {@code toEnd} reads, opened on first use; only with the journal transport. */
    SingleChronicleQueue journal(final int toEnd)
    {
        synchronized (LOCK)
        {
            if (journals[toEnd] == null)
            {
                journals[toEnd] = Journal.open(directory.resolve(channelName(toEnd)), rollCycle);
            }
            return journals[toEnd];
        }
    }

    Connection connection(final int end)
    {
        synchronized (LOCK)
        {
            return connections[end];
        }
    }

    void connection(final int end, final Connection connection)
    {
        synchronized (LOCK)
        {
            connections[end] = connection;
        }
    }

    /** Forgets {@code connection} if it is the one attached for its end. */
    void forget(final int end, final Connection connection)
    {
        synchronized (LOCK)
        {
            if (connections[end] == connection)
            {
                connections[end] = null;
            }
        }
    }

    /** Takes one more reference. */
    void retain()
    {
        synchronized (LOCK)
        {
            references++;
        }
    }

    long pipeId()
    {
        return region.regionId();
    }

    /** Drops one reference; the last one closes the journals and the control region. */
    void release()
    {
        synchronized (LOCK)
        {
            if (--references > 0)
            {
                return;
            }
            ATTACHED.remove(directory, this);
            closeResources();
        }
    }

    private void closeResources()
    {
        for (int i = 0; i < journals.length; i++)
        {
            if (journals[i] != null)
            {
                journals[i].close();
                journals[i] = null;
            }
        }
        region.close();
    }

    /** "end1 of pipe 'name'", for messages. */
    String describe(final int end)
    {
        return "end" + end + " of pipe '" + name + "'";
    }

    /** The name of the journal directory or ring object {@code toEnd} reads. */
    static String channelName(final int toEnd)
    {
        return "to-end" + toEnd;
    }

    private static InvalidObjectException invalid(final String message, final Throwable cause)
    {
        final InvalidObjectException ex = new InvalidObjectException(message);
        if (cause != null)
        {
            ex.initCause(cause);
        }
        return ex;
    }
}
