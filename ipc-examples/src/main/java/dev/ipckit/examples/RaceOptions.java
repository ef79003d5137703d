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
     * Parses {@code --processes N}, {@code --increments M} and {@code --variants a,b} (each also as
     * {@code --name=value}).
     *
     * @throws IllegalArgumentException with a message that says what was wrong.
     */
    static RaceOptions parse(final String[] args)
    {
        int processes = DEFAULT_PROCESSES;
        int increments = DEFAULT_INCREMENTS;
        List<RaceVariant> variants = RaceVariant.all();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String value;
            if (option.length() < arg.length())
            {
                value = arg.substring(equals + 1);
            }
            else if (isOption(option) && i + 1 < args.length)
            {
                value = args[++i];
            }
            else if (isOption(option))
            {
                throw new IllegalArgumentException(option + " needs a value");
            }
            else
            {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            switch (option)
            {
                case "--processes":
                    processes = number(option, value, 1, MAX_PROCESSES);
                    break;
                case "--increments":
                    increments = number(option, value, 1, Integer.MAX_VALUE);
                    break;
                case "--variants":
                    variants = variants(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new RaceOptions(processes, increments, variants);
    }

    private static boolean isOption(final String option)
    {
        return "--processes".equals(option) || "--increments".equals(option) || "--variants".equals(option);
    }

    private static int number(final String option, final String value, final int min, final int max)
    {
        final int n;
        try
        {
            n = Integer.parseInt(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max +
                ", got '" + value + "'");
        }
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
