package dev.ipckit.manager;

import dev.ipckit.sync.SharedRLock;

/**
 * The lock of a table and the repair that comes with it: whoever takes the lock first completes a change its
 * previous holder committed and did not finish (it died; see {@link TableLayout}). The check is one read of
 * PENDING, made on every acquisition, nested ones included, so it holds however the lock was taken over.
 */
final class TableGuard
{
    /** What a guarded table exposes for repair. */
    interface Repairable
    {
        /** @return whether a committed change is not fully applied. */
        boolean pending();

        /** Applies the pending change and clears it. */
        void repair();
    }

    private final SharedRLock lock;
    private final Repairable table;

    TableGuard(final SharedRLock lock, final Repairable table)
    {
        this.lock = lock;
        this.table = table;
    }

    SharedRLock lock()
    {
        return lock;
    }

    /** Takes the lock and repairs the table if needed. */
    void acquire()
    {
        lock.lock();
        try
        {
            if (table.pending())
            {
                table.repair();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            lock.unlock();
            throw ex;
        }
    }

    void release()
    {
        lock.unlock();
    }
}
