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
 * The options of {@code ipckit stress}. {@code --ci} starts from the short preset CI runs; options given besides it
 * override the preset.
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
 * @param help       whether only the usage was asked for.
 */
record StressOptions(
    List<String> workloads, int processes, Duration duration, double killRate, double stopRate, Duration maxPause,
    Duration readyLimit, Duration grace, long seed, Path baseDir, boolean jcstress, boolean help)
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
     * The CI preset: 6 workloads with 2 participants, each running 6 s under faults once its participants are ready
     * (starting them comes on top, about a second on a quiet machine: about as long in all as the former 7 s preset,
     * which counted the start).
     */
    static final int CI_PROCESSES = 2;
    static final Duration CI_DURATION = Duration.ofSeconds(6);
    static final double CI_KILL_RATE = 1;
    static final double CI_STOP_RATE = 1;

    private static final Set<String> VALUED = Set.of(
        "--workloads", "--processes", "--duration", "--kill-rate", "--stop-rate", "--max-pause", "--ready-limit",
        "--grace", "--seed", "--dir");

    /**
     * Parses the arguments; each valued option also as {@code --name=value}.
     *
     * @param args the arguments after {@code stress}.
     * @return the options.
     * @throws IllegalArgumentException with a message that says what was wrong.
     */
    static StressOptions parse(final String[] args)
    {
        boolean ci = false;
        for (final String arg : args)
        {
            ci |= "--ci".equals(arg);
        }
        List<String> workloads = Workloads.NAMES;
        int processes = ci ? CI_PROCESSES : DEFAULT_PROCESSES;
        Duration duration = ci ? CI_DURATION : DEFAULT_DURATION;
        double killRate = ci ? CI_KILL_RATE : DEFAULT_KILL_RATE;
        double stopRate = ci ? CI_STOP_RATE : DEFAULT_STOP_RATE;
        Duration maxPause = DEFAULT_MAX_PAUSE;
        Duration readyLimit = DEFAULT_READY_LIMIT;
        Duration grace = DEFAULT_GRACE;
        long seed = System.nanoTime() & 0xFFFF_FFFFL;
        Path baseDir = defaultBaseDirectory();
        boolean jcstress = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            String value = null;
            if (VALUED.contains(option))
            {
                if (option.length() < arg.length())
                {
                    value = arg.substring(equals + 1);
                }
                else if (i + 1 < args.length)
                {
                    value = args[++i];
                }
                else
                {
                    throw new IllegalArgumentException(option + " needs a value");
                }
            }
            else if (option.length() < arg.length())
            {
                throw new IllegalArgumentException(option + " takes no value");
            }
            switch (option)
            {
                case "--help", "-h" -> help = true;
                case "--ci" ->
                {
                    // applied above, before the other options
                }
                case "--jcstress" -> jcstress = true;
                case "--workloads" -> workloads = workloads(value);
                case "--processes" -> processes = (int)number(option, value, 1, MAX_PROCESSES);
                case "--duration" -> duration = duration(option, value, Duration.ofSeconds(1), MAX_DURATION);
                case "--kill-rate" -> killRate = rate(option, value);
                case "--stop-rate" -> stopRate = rate(option, value);
                case "--max-pause" -> maxPause = duration(option, value, Duration.ofMillis(1), Duration.ofSeconds(30));
                case "--ready-limit" ->
                    readyLimit = duration(option, value, Duration.ofSeconds(1), Duration.ofHours(1));
                case "--grace" -> grace = duration(option, value, Duration.ofSeconds(5), Duration.ofHours(1));
                case "--seed" -> seed = number(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--dir" -> baseDir = directory(value);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new StressOptions(
            workloads, processes, duration, killRate, stopRate, maxPause, readyLimit, grace, seed, baseDir, jcstress,
            help);
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

    private static double rate(final String option, final String value)
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

    private static long number(final String option, final String value, final long min, final long max)
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

    private static Path directory(final String value)
    {
        final Path path = Path.of(value.strip()).toAbsolutePath();
        if (!Files.isDirectory(path) || !Files.isWritable(path))
        {
            throw new IllegalArgumentException("--dir must be an existing writable directory, got '" + value + "'");
        }
        return path;
    }

    private static List<String> workloads(final String value)
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
