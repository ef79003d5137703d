package dev.ipckit.stress.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code ipckit stress}, as {@link StressCommand} built them from its command line (picocli parses it;
 * the static methods here convert and check each value, their messages naming the option and the value).
 * {@code --ci} starts from the short preset CI runs ({@link #preset}); options given besides it override the preset.
 *
 * @param workloads  the workloads to run, in the order of {@link Workloads#NAMES}; empty with {@code --workloads none}.
 * @param processes  participants per workload (producers and consumers each for {@code queue}; workers for
 *                   {@code pool}), 1..{@value #MAX_PROCESSES}.
 * @param duration   how long each workload runs under faults.
 * @param killRate   SIGKILLs per second per workload, 0..{@value #MAX_RATE}.
 * @param stopRate   SIGSTOP/SIGCONT pairs per second per workload, 0..{@value #MAX_RATE}.
 * @param maxPause   the longest a stopped participant stays stopped.
 * @param readyLimit how long a participant may take from its start until it says it is ready (its JVM started, its
 *                   shared objects opened, its loop entered); a workload's clock starts once all of them are ready.
 * @param grace      how long a workload may take past its duration to stop, drain and check before it counts as a
 *                   deadlock.
 * @param seed       the seed of the fault injectors.
 * @param baseDir    the directory under which each run makes its own fresh directory.
 * @param jcstress   whether to run the full jcstress pass as well.
 */
record StressOptions(
    List<String> workloads, int processes, Duration duration, double killRate, double stopRate, Duration maxPause,
    Duration readyLimit, Duration grace, long seed, Path baseDir, boolean jcstress)
{
    static final int MAX_PROCESSES = 16;
    static final double MAX_RATE = 50;
    static final Duration MAX_DURATION = Duration.ofHours(24);

    static final int DEFAULT_PROCESSES = 4;
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    static final double DEFAULT_KILL_RATE = 0.5;
    static final double DEFAULT_STOP_RATE = 0.5;
    static final Duration DEFAULT_MAX_PAUSE = Duration.ofMillis(500);
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);
    /**
     * A child JVM that loads Chronicle is ready in about a second on a quiet machine, in 15 s on 2 cores shared with
     * other builds (load average 16) and in 50 s when four start at once at load average 30; 120 s is beyond all of
     * them, so only a participant that hangs while starting fails it.
     */
    static final Duration DEFAULT_READY_LIMIT = Duration.ofSeconds(120);

    /**
     * The CI preset: every workload with 2 participants, each running 4 s under faults once its participants are
     * ready (starting them comes on top, about a second on a quiet machine). 4 s, not 6: with 8 workloads the hogged
     * CI run went past its 20-minute budget; the full runs ({@code ipckit stress}) keep the long ones.
     */
    static final int CI_PROCESSES = 2;
    static final Duration CI_DURATION = Duration.ofSeconds(4);
    static final double CI_KILL_RATE = 1;
    static final double CI_STOP_RATE = 1;

    /**
     * The options before any is given: the defaults, or with {@code ci} the CI preset. {@link StressCommand} starts
     * from these and replaces each option given on its command line, so explicit options override the preset.
     *
     * @param ci whether {@code --ci} was given.
     * @return the preset; its seed from the clock, its base directory {@link #defaultBaseDirectory()}.
     */
    static StressOptions preset(final boolean ci)
    {
        return new StressOptions(
            Workloads.NAMES,
            ci ? CI_PROCESSES : DEFAULT_PROCESSES,
            ci ? CI_DURATION : DEFAULT_DURATION,
            ci ? CI_KILL_RATE : DEFAULT_KILL_RATE,
            ci ? CI_STOP_RATE : DEFAULT_STOP_RATE,
            DEFAULT_MAX_PAUSE, DEFAULT_READY_LIMIT, DEFAULT_GRACE,
            System.nanoTime() & 0xFFFF_FFFFL, defaultBaseDirectory(), false);
    }

    /**
     * @return {@code /dev/shm} where it exists and is writable (memory), else {@code java.io.tmpdir}.
     */
    static Path defaultBaseDirectory()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Parses a duration: a whole number with the unit {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 30s}, {@code 2m}); a bare number is seconds.
     *
     * @param option the option, for the message.
     * @param value  the text.
     * @param min    the shortest allowed.
     * @param max    the longest allowed.
     * @return the duration.
     * @throws IllegalArgumentException when it is not a duration in range.
     */
    static Duration duration(final String option, final String value, final Duration min, final Duration max)
    {
        final String text = value.strip().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits)))
        {
            digits++;
        }
        final String unit = text.substring(digits);
        final Duration parsed;
        try
        {
            final long amount = Long.parseLong(text.substring(0, digits));
            parsed = switch (unit)
            {
                case "ms" -> Duration.ofMillis(amount);
                case "", "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> null;
            };
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(option + " must be a duration such as 500ms, 30s, 2m or 1h, got '" +
                value + "'");
        }
        if (parsed == null)
        {
            throw new IllegalArgumentException(option + " has an unknown unit '" + unit + "' in '" + value +
                "'; use ms, s, m or h");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0)
        {
            throw new IllegalArgumentException(option + " must be from " + Report.seconds(min) + " to " +
                Report.seconds(max) + ", got " + value);
        }
        return parsed;
    }

    static double rate(final String option, final String value)
    {
        final double rate;
        try
        {
            rate = Double.parseDouble(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " must be a number of faults per second such as 0.5, got '" +
                value + "'");
        }
        if (!(rate >= 0 && rate <= MAX_RATE))
        {
            throw new IllegalArgumentException(option + " must be from 0 to " + (int)MAX_RATE + " per second, got " +
                value);
        }
        return rate;
    }

    static long number(final String option, final String value, final long min, final long max)
    {
        final long n;
        try
        {
            n = Long.parseLong(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
        }
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    static Path directory(final String value)
    {
        final Path path = Path.of(value.strip()).toAbsolutePath();
        if (!Files.isDirectory(path) || !Files.isWritable(path))
        {
            throw new IllegalArgumentException("--dir must be an existing writable directory, got '" + value + "'");
        }
        return path;
    }

    static List<String> workloads(final String value)
    {
        if ("all".equals(value.strip()))
        {
            return Workloads.NAMES;
        }
        if ("none".equals(value.strip()))
        {
            return List.of();
        }
        final Set<String> chosen = new LinkedHashSet<>();
        for (final String name : value.split(",", -1))
        {
            if (!Workloads.NAMES.contains(name.strip()))
            {
                throw new IllegalArgumentException("unknown workload '" + name.strip() + "'; valid workloads: " +
                    String.join(",", Workloads.NAMES) + " (or all, none)");
            }
            chosen.add(name.strip());
        }
        final List<String> inOrder = new ArrayList<>();
        for (final String name : Workloads.NAMES)
        {
            if (chosen.contains(name))
            {
                inOrder.add(name);
            }
        }
        return List.copyOf(inOrder);
    }
}
