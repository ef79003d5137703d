package dev.ipckit.queue;

import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.internal.CreationSteps;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.queue.internal.RingClaims;
import dev.ipckit.sync.SharedLock;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shared parts of a {@link SharedQueue}, created or opened: its directory, control region, control block, put
 * and claim locks, and its journal (null with the ring transport, whose ring and hold slots are objects in the
 * control region, attached by the control block: see {@link QueueRing}). Creating builds them under an unfinished name and renames them into place; opening
 * waits for a live creator and finishes a dead one's half-made queue (see {@code openOrCreate}).
 */
record QueueParts(
    Path directory, boolean creator, SharedRegion region, QueueControl control, SharedLock putLock,
    SharedLock claimLock, SingleChronicleQueue journal)
{
    /** Entries of a queue's control region: its control block, two locks, a ring's two objects, and room for more. */
    private static final int CONTROL_REGION_DIRECTORY_CAPACITY = 8;
    /** The most a ring and its hold slots may take of a control region: a region is at most 2 GiB - 1 bytes. */
    private static final long MAX_RING_REGION_BYTES = Integer.MAX_VALUE - (1 << 20);

    static QueueParts create(final String name, final QueueOptions options, final boolean joinable)
    {
        final Path directory = QueueFiles.directoryFor(options.directory(), name, QueueFiles.QUEUE_SUFFIX);
        // The directory appears with its control region and locks (see createWithControl); the journal and the
        // control block follow. A creator killed after the rename leaves a queue without its control block,
        // which names it as creator: openOrCreate finishes such a queue once the creator is dead.
        if (options.transport() == Transport.RING && options.maxConsumers() > RingClaims.MAX_ROWS)
        {
            throw new IllegalArgumentException("queue '" + name + "': a ring queue takes at most " + RingClaims.MAX_ROWS +
                " consumers (its claim word names the claiming row in 8 bits), not the " + options.maxConsumers() +
                " of QueueOptions.withMaxConsumers");
        }
        final long ringLength = options.transport() == Transport.RING ?
            QueueRing.regionLength(options.ringCapacity(), options.maxConsumers()) : 0;
        if (ringLength > MAX_RING_REGION_BYTES)
        {
            throw new IllegalArgumentException("queue '" + name + "': a ring of " + options.ringCapacity() +
                " bytes with " + options.maxConsumers() + " consumer rows needs " + ringLength + " bytes of shared " +
                "memory (the ring, and a hold slot of an eighth of it per row), more than a region holds (" +
                MAX_RING_REGION_BYTES + "); choose a smaller QueueOptions.withRingCapacity or withMaxConsumers");
        }
        final SharedRegion region = QueueFiles.createWithControl(directory, "queue",
            QueueControl.length(options.maxConsumers()) + 16_384 + ringLength,
            regionOptions(options).withPersistent(options.persistent()),
            building ->
            {
                SharedLock.create(building, SharedQueue.PUT_LOCK_NAME);
                SharedLock.create(building, SharedQueue.CLAIM_LOCK_NAME);
            });
        try
        {
            return finish(directory, region, options, joinable, true);
        }
        catch (final RuntimeException | Error ex)
        {
            region.close();
            QueueFiles.deleteTree(directory);
            throw ex;
        }
    }

    /**
     * Completes a queue whose control region exists: what its creator does, and what openOrCreate does for a
     * queue whose creator died before finishing it. Every step finds what a previous try made, so finishing
     * twice, or in two processes at once, makes one queue.
     */
    private static QueueParts finish(
        final Path directory, final SharedRegion region, final QueueOptions options, final boolean joinable,
        final boolean creator)
    {
        final SharedLock putLock = SharedLock.openOrCreate(region, SharedQueue.PUT_LOCK_NAME);
        final SharedLock claimLock = SharedLock.openOrCreate(region, SharedQueue.CLAIM_LOCK_NAME);
        final boolean ring = options.transport() == Transport.RING;
        final SingleChronicleQueue journal = ring ? null : openUnfinishedJournal(directory, options);
        try
        {
            if (ring)
            {
                // Zeroed, as a new region's memory is: an empty Agrona ring, empty hold slots.
                region.findOrAllocate(QueueRing.RING_NAME, ObjectType.RING, QueueRing.ringLength(options.ringCapacity()),
                    0, (buffer, offset, lockOffset) -> { });
                region.findOrAllocate(QueueRing.HOLDS_NAME, ObjectType.MESSAGE_HOLDS,
                    QueueRing.holdsLength(options.ringCapacity(), options.maxConsumers()), 0,
                    (buffer, offset, lockOffset) -> { });
            }
            CreationSteps.reached(CreationSteps.QUEUE_JOURNAL_OPENED);
            // The control block last: an opener waits for it, so it finds the locks and the journal or ring ready.
            final int controlLength = QueueControl.length(options.maxConsumers());
            final RegionEntry entry = region.findOrAllocate(SharedQueue.CONTROL_NAME, ObjectType.QUEUE, controlLength, 0,
                (buffer, offset, lockOffset) -> QueueControl.initialize(buffer, offset, options.capacity(),
                    options.maxConsumers(), joinable, ring ? options.ringCapacity() : 0));
            CreationSteps.reached(CreationSteps.QUEUE_CREATED);
            return new QueueParts(directory, creator, region, new QueueControl(region, entry),
                putLock, claimLock, journal);
        }
        catch (final RuntimeException | Error ex)
        {
            if (journal != null)
            {
                journal.close();
            }
            throw ex;
        }
    }

    /**
     * Opens the journal of a queue being finished. It holds no message: producers wait for the control block,
     * which comes after it, and only this process finishes the queue (its creator, or the one that adopted it).
     * So a journal whose metadata file lock cannot be claimed even after {@code Journal.open}'s retries (seen
     * once in a hogged CI run after a creator was SIGKILLed 600 ms into creating a persistent queue) is set
     * aside and a new one made: the name is never bricked by it. The old one is removed once the new one is
     * open (removed first, its file's inode could be reused by the new file, and a lock this JVM holds on that
     * inode would block the new file too).
     */
    private static SingleChronicleQueue openUnfinishedJournal(final Path directory, final QueueOptions options)
    {
        final Path journalDirectory = directory.resolve(SharedQueue.JOURNAL_DIRECTORY);
        try
        {
            return Journal.open(journalDirectory, options.rollCycle());
        }
        catch (final IllegalStateException ex)
        {
            if (!Journal.isMetadataLockFailure(ex))
            {
                throw ex;
            }
            final Path setAside = directory.resolve(SharedQueue.JOURNAL_DIRECTORY + ".unusable-" +
                Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
            try
            {
                Files.move(journalDirectory, setAside, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final IOException moveFailed)
            {
                ex.addSuppressed(moveFailed);
                throw ex;
            }
            final SingleChronicleQueue journal = Journal.open(journalDirectory, options.rollCycle());
            QueueFiles.deleteTree(setAside);
            return journal;
        }
    }

    static QueueParts open(final Path directory, final QueueOptions options)
    {
        return open(directory, options, false, false);
    }

    /**
     * Opens a queue, waiting up to the open timeout for a live creator to finish it. One whose creator died
     * before finishing it is finished here when {@code finishAbandoned}, else an error names the dead creator.
     */
    private static QueueParts open(
        final Path directory, final QueueOptions options, final boolean finishAbandoned, final boolean joinable)
    {
        if (!Files.isDirectory(directory))
        {
            throw new IllegalStateException("no queue " + directory);
        }
        final Path controlFile = directory.resolve(QueueFiles.CONTROL_FILE);
        final long deadline = System.nanoTime() + options.openTimeout().toNanos();
        while (!Files.exists(controlFile))
        {
            // Only a directory made by hand or by an older ipckit lacks one: this version renames a queue's
            // directory into place with its control region in it.
            waitForCreator(directory, deadline, "has no " + QueueFiles.CONTROL_FILE + " (made by hand or by an " +
                "older ipckit?); ./ipckit clean removes it once it is a minute old");
        }
        final SharedRegion region = SharedRegion.openAt(controlFile, regionOptions(options));
        try
        {
            RegionEntry entry;
            while ((entry = region.lookup(SharedQueue.CONTROL_NAME).orElse(null)) == null)
            {
                final long creator = region.creatorIdentity();
                if (!ProcessIdentity.isAlive(creator))
                {
                    if (finishAbandoned)
                    {
                        // Adopt it, then finish it as its creator (a temporary one is removed by our close): of
                        // several processes here at once one adopts it, the others wait for it as for any creator.
                        if (region.adopt(creator))
                        {
                            return finish(directory, region, options, joinable, true);
                        }
                        continue;
                    }
                    throw new IllegalStateException("queue '" + nameOf(directory) + "': its creator, pid " +
                        ProcessIdentity.pid(creator) + ", died before finishing it; openOrCreate finishes it, " +
                        "./ipckit clean (QueueFiles.removeStale) removes it (" + directory + ")");
                }
                waitForCreator(directory, deadline, "was not finished by its creator, pid " +
                    ProcessIdentity.pid(creator) + " (alive), within " + options.openTimeout().toMillis() + " ms");
            }
            if (entry.type() != ObjectType.QUEUE)
            {
                throw new IllegalStateException(directory + " holds a " + entry.type() + ", not a queue");
            }
            final QueueControl control = new QueueControl(region, entry);
            return new QueueParts(directory, false, region, control,
                SharedLock.open(region, SharedQueue.PUT_LOCK_NAME), SharedLock.open(region, SharedQueue.CLAIM_LOCK_NAME),
                control.ring() != null ? null :
                    Journal.open(directory.resolve(SharedQueue.JOURNAL_DIRECTORY), options.rollCycle()));
        }
        catch (final RuntimeException | Error ex)
        {
            region.close();
            throw ex;
        }
    }

    static QueueParts openOrCreate(final String name, final QueueOptions options, final boolean joinable)
    {
        final Path directory = QueueFiles.directoryFor(options.directory(), name, QueueFiles.QUEUE_SUFFIX);
        if (!Files.exists(directory))
        {
            try
            {
                return create(name, options, joinable);
            }
            catch (final IllegalStateException ex)
            {
                if (!Files.exists(directory))
                {
                    throw ex;
                }
                // Another process created it first: open it.
            }
        }
        return open(directory, options, true, joinable);
    }

    private static RegionOptions regionOptions(final QueueOptions options)
    {
        return RegionOptions.defaults()
            .withTimeout(options.openTimeout())
            .withDirectoryCapacity(CONTROL_REGION_DIRECTORY_CAPACITY);
    }

    private static void waitForCreator(final Path directory, final long deadline, final String problem)
    {
        if (System.nanoTime() - deadline >= 0)
        {
            throw new IllegalStateException("queue '" + nameOf(directory) + "' " + problem + " (" + directory + ")");
        }
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening queue " + directory, ex);
        }
    }

    private static String nameOf(final Path directory)
    {
        final String fileName = directory.getFileName().toString();
        return fileName.endsWith(QueueFiles.QUEUE_SUFFIX) ?
            fileName.substring(0, fileName.length() - QueueFiles.QUEUE_SUFFIX.length()) : fileName;
    }
}
