package dev.ipckit.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine a report ran on, as text for its header: CPU model, cores, memory, OS, JDK and Python. Read from
 * {@code /proc} and {@code /etc/os-release} where they exist, from the JVM otherwise; what cannot be found says so.
 *
 * @param cpu    the CPU model.
 * @param cores  the cores available to the JVM.
 * @param memory the physical memory, as text.
 * @param os     the OS distribution, kernel and architecture.
 * @param jdk    the JDK vendor, version and VM.
 * @param python the Python version, or why there is none.
 */
record Machine(String cpu, int cores, String memory, String os, String jdk, String python)
{
    private static final long PYTHON_TIMEOUT_SECONDS = 10;

    /**
     * Looks at this machine; runs {@code python3 --version}.
     *
     * @return the machine.
     */
    static Machine probe()
    {
        return new Machine(probeCpu(), Runtime.getRuntime().availableProcessors(), probeMemory(), probeOs(), probeJdk(),
            probePython());
    }

    /**
     * @return the 1, 5 and 15 minute load averages from {@code /proc/loadavg}, else the JVM's 1 minute figure, else
     *         {@code n/a}.
     */
    static String loadAverage()
    {
        final Optional<String> proc = firstLine(Path.of("/proc/loadavg"));
        if (proc.isPresent())
        {
            final String[] fields = proc.get().trim().split("\\s+");
            if (fields.length >= 3)
            {
                return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
            }
        }
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Cells.MISSING : String.format(Locale.ROOT, "%.2f (1 min)", load);
    }

    private static String probeCpu()
    {
        for (final String line : lines(Path.of("/proc/cpuinfo")))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name"))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown model (" + System.getProperty("os.arch") + ")";
    }

    private static String probeMemory()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            final long bytes = ((com.sun.management.OperatingSystemMXBean)os).getTotalMemorySize();
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double)(1L << 30));
        }
        return "unknown";
    }

    private static String probeOs()
    {
        String distribution = null;
        for (final String line : lines(Path.of("/etc/os-release")))
        {
            if (line.startsWith("PRETTY_NAME="))
            {
                distribution = line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
            }
        }
        final String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch");
        return distribution == null ? kernel : distribution + ", " + kernel;
    }

    private static String probeJdk()
    {
        return System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version") + " (" +
            System.getProperty("java.vm.name") + ")";
    }

    private static String probePython()
    {
        try
        {
            final Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            // One short line: it fits the pipe's buffer, so waiting first cannot block the child.
            if (!process.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return "python3 did not answer --version within " + PYTHON_TIMEOUT_SECONDS + " s";
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 && !output.isEmpty() ? output + " (python3)" :
                "python3 --version failed: " + output;
        }
        catch (final IOException ex)
        {
            return "none (no python3 on the PATH): its column says n/a";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Cells.MISSING;
        }
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
    }

    private static Optional<String> firstLine(final Path file)
    {
        return lines(file).stream().findFirst();
    }
}
