package dev.ipckit.examples;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code ipckit race}: how many racing processes, how many increments each, which variants.
 *
 * @param processes  racing child JVMs per variant, 1..{@value #MAX_PROCESSES}.
 * @param increments increments per racer, at least 1.
 * @param variants   the variants to run, in table order.
 */
record RaceOptions(int processes, int increments, List<RaceVariant> variants)
{
    static final int DEFAULT_PROCESSES = 2;
    static final int MAX_PROCESSES = 8;
    /**
     * Enough that two racers on two cores lose a visible share of updates in the broken variants, few enough that the
     * default demo takes a few seconds: the lock variant, the slowest, takes about a second of it.
     */
    static final int DEFAULT_INCREMENTS = 1_000_000;

    static RaceOptions defaults()
    {
        return new RaceOptions(DEFAULT_PROCESSES, DEFAULT_INCREMENTS, RaceVariant.all());
    }

    /**
     * Checks the values {@code ipckit race} was given ({@link RaceCommand} parses them).
     *
     * @param processes  racing processes per variant.
     * @param increments increments per racer.
     * @param variants   comma-separated variant labels, or null for all.
     * @throws IllegalArgumentException with a message that says what was wrong.
     */
    static RaceOptions of(final int processes, final int increments, final String variants)
    {
        return new RaceOptions(range("--processes", processes, 1, MAX_PROCESSES),
            range("--increments", increments, 1, Integer.MAX_VALUE),
            variants == null ? RaceVariant.all() : variants(variants));
    }

    private static int range(final String option, final int n, final int min, final int max)
    {
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    private static List<RaceVariant> variants(final String value)
    {
        final Set<RaceVariant> chosen = new LinkedHashSet<>();
        for (final String name : value.split(",", -1))
        {
            final Optional<RaceVariant> variant = RaceVariant.byLabel(name.strip());
            if (variant.isEmpty())
            {
                throw new IllegalArgumentException("unknown variant '" + name.strip() + "'; valid variants: " +
                    RaceVariant.labels());
            }
            chosen.add(variant.get());
        }
        final List<RaceVariant> inOrder = new ArrayList<>();
        for (final RaceVariant variant : RaceVariant.values())
        {
            if (chosen.contains(variant))
            {
                inOrder.add(variant);
            }
        }
        return List.copyOf(inOrder);
    }
}
