package dev.ipckit.examples;

import dev.ipckit.sync.SharedLock;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedLong;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four ways the race demo adds to a shared counter: two that lose updates and two that do not, each with the
 * sentence that explains its result.
 */
enum RaceVariant implements RaceBody
{
    /** {@code c.set(c.get() + 1)}: two volatile accesses, not one atomic one. */
    NOLOCK("nolock", "c.set(c.get() + 1)", false,
        "c.set(c.get() + 1) is a read and then a write. Two processes read the same value, both write value + 1,"
        + " and one increment is gone. Volatile orders each access; it does not make the pair atomic.")
    {
        @Override
        public void add(final RaceCells cells, final int increments)
        {
            final SharedLong counter = cells.counter();
            for (int i = 0; i < increments; i++)
            {
                counter.set(counter.get() + 1);
            }
        }
    },

    /** Check a flag, then set it: the classic broken lock. */
    BROKEN("broken", "while (flag.get()) spin; flag.set(true); c.set(c.get() + 1); flag.set(false)", false,
        "while (flag.get()) spin; flag.set(true) leaves a gap between the check and the set. Two processes both see"
        + " the flag down, both raise it, and both run c.set(c.get() + 1) at once: the lock locks nothing.")
    {
        @Override
        public void add(final RaceCells cells, final int increments)
        {
            final SharedLong counter = cells.counter();
            final SharedBoolean flag = cells.flag();
            for (int i = 0; i < increments; i++)
            {
                int spins = 0;
                while (flag.get())
                {
                    // The spin is the point of this variant; after a short one, give the CPU to the holder.
                    if (++spins < BROKEN_LOCK_SPINS)
                    {
                        Thread.onSpinWait();
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
                flag.set(true);
                counter.set(counter.get() + 1);
                flag.set(false);
            }
        }
    },

    /** The same read-modify-write under a {@link SharedLock}. */
    LOCK("lock", "lock.lock(); try { c.set(c.get() + 1); } finally { lock.unlock(); }", true,
        "SharedLock takes its word with one compare-and-set: check and set are a single atomic step, so when two"
        + " processes see it free only one CAS wins and the other waits. Nothing is lost; each increment pays for"
        + " the lock and the unlock.")
    {
        @Override
        public void add(final RaceCells cells, final int increments)
        {
            final SharedLong counter = cells.counter();
            final SharedLock lock = cells.lock();
            for (int i = 0; i < increments; i++)
            {
                lock.lock();
                try
                {
                    counter.set(counter.get() + 1);
                }
                finally
                {
                    lock.unlock();
                }
            }
        }
    },

    /** {@code incrementAndGet}: one atomic instruction. */
    ATOMIC("atomic", "c.incrementAndGet()", true,
        "incrementAndGet is one atomic instruction (lock xadd on x86): the read, the add and the write cannot be"
        + " split, so nothing is lost, and no lock is needed.")
    {
        @Override
        public void add(final RaceCells cells, final int increments)
        {
            final SharedLong counter = cells.counter();
            for (int i = 0; i < increments; i++)
            {
                counter.incrementAndGet();
            }
        }
    };

    /** Busy spins of the broken lock's waiter before it yields. */
    static final int BROKEN_LOCK_SPINS = 100;

    private final String label;
    private final String code;
    private final boolean correct;
    private final String why;

    RaceVariant(final String label, final String code, final boolean correct, final String why)
    {
        this.label = label;
        this.code = code;
        this.correct = correct;
        this.why = why;
    }

    /** The name used on the command line and in the table. */
    String label()
    {
        return label;
    }

    /** What each racer does per increment, as code. */
    String code()
    {
        return code;
    }

    /** Whether this variant must never lose an update (a loss is a bug, not a lesson). */
    boolean isCorrect()
    {
        return correct;
    }

    /** Why the variant's result is what it is. */
    String why()
    {
        return why;
    }

    static Optional<RaceVariant> byLabel(final String label)
    {
        return Arrays.stream(values()).filter(v -> v.label.equals(label)).findFirst();
    }

    /** The valid names, comma separated, in table order. */
    static String labels()
    {
        return Arrays.stream(values()).map(RaceVariant::label).collect(Collectors.joining(","));
    }

    static List<RaceVariant> all()
    {
        return List.of(values());
    }
}
