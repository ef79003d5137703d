package dev.ipckit.stress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Runs the jcstress jar in a child JVM and fails (exit 1) unless {@link JcstressVerdict} passes it: no FORBIDDEN
 * result, no error, and every test listed in the jar's {@code META-INF/TestList} ran.
 * <pre>
 * java -cp jcstress.jar dev.ipckit.stress.JcstressGate --java JAVA --jar JAR --flags "FLAGS" --mode single|prepend
 *      --report DIR [--timeout-minutes N] -- [jcstress options...]
 * </pre>
 * {@code --flags} is the project's JVM flag set: the jcstress host JVM gets it, and so does every forked test JVM,
 * as {@code -jvmArgs} ({@code single}: this one configuration replaces jcstress's matrix) or {@code -jvmArgsPrepend}
 * ({@code prepend}: added to every configuration of the full matrix). Options after {@code --} may be given as one
 * space-separated string. The console output is echoed and kept in {@code DIR/jcstress.log}; jcstress's HTML report
 * is {@code DIR/index.html}. The stride is 256 x 40 unless given; the forked test JVMs get the {@link MirroredPool} cell
 * count that covers the stride used ({@link MirroredPool#cellsFor}).
 */
public final class JcstressGate
{
    private JcstressGate()
    {
    }

    /**
     * @param args see the class documentation.
     * @throws Exception on I/O failure.
     */
    public static void main(final String[] args) throws Exception
    {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = null;
        String flags = "";
        String mode = "single";
        Path report = Path.of("jcstress-report");
        long timeoutMinutes = 15;
        final List<String> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--java" -> java = args[++i];
                case "--jar" -> jar = args[++i];
                case "--flags" -> flags = args[++i].trim();
                case "--mode" -> mode = args[++i];
                case "--report" -> report = Path.of(args[++i]);
                case "--timeout-minutes" -> timeoutMinutes = Long.parseLong(args[++i]);
                case "--" ->
                {
                    for (i++; i < args.length; i++)
                    {
                        options.addAll(split(args[i]));
                    }
                }
                default -> throw usage("unknown argument: " + args[i]);
            }
        }
        if (jar == null || !(mode.equals("single") || mode.equals("prepend")))
        {
            throw usage("need --jar, and --mode single or prepend");
        }

        final Set<String> expected = testList(Path.of(jar));
        // The stride bounds how many states run at once; MirroredPool's cell count must cover it (its doc). The
        // forked test JVMs learn the count from a property, so a short pass with a small stride pays for a small pool.
        final int strideSize = optionValue(options, "-strideSize", 256);
        final int strideCount = optionValue(options, "-strideCount", 40);
        final String forkFlags = (flags + " -D" + MirroredPool.CELLS_PROPERTY + "=" +
            MirroredPool.cellsFor(strideSize, strideCount)).trim();
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(split(flags));
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(mode.equals("single") ? "-jvmArgs" : "-jvmArgsPrepend", forkFlags));
        if (!options.contains("-strideSize"))
        {
            command.addAll(List.of("-strideSize", Integer.toString(strideSize)));
        }
        if (!options.contains("-strideCount"))
        {
            command.addAll(List.of("-strideCount", Integer.toString(strideCount)));
        }
        if (!options.contains("-v") && !options.contains("-vv") && !options.contains("-vvv"))
        {
            command.add("-v");      // the RUN RESULTS section then names every test, not only failures
        }
        command.addAll(List.of("-r", report.toString()));
        command.addAll(options);

        Files.createDirectories(report);
        System.out.println("[jcstress-gate] " + expected.size() + " tests in " + jar);
        System.out.println("[jcstress-gate] " + String.join(" ", command));
        final long start = System.nanoTime();
        final List<String> lines = new ArrayList<>();
        final int exitCode = run(command, report.resolve("jcstress.log"), lines, timeoutMinutes);
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        final JcstressVerdict verdict = JcstressVerdict.judge(lines, exitCode, expected);
        System.out.println("[jcstress-gate] " + verdict.ran().size() + " of " + expected.size() + " tests ran in " +
            seconds + " s; report: " + report.resolve("index.html"));
        if (!verdict.interesting().isEmpty())
        {
            System.out.println("[jcstress-gate] interesting (allowed, e.g. the teaching races): " + verdict.interesting());
        }
        if (!verdict.passed())
        {
            System.out.println("[jcstress-gate] FAILED:");
            verdict.problems().forEach(problem -> System.out.println("[jcstress-gate]   " + problem));
            System.exit(1);
        }
        System.out.println("[jcstress-gate] passed");
    }

    /** The integer after {@code option} in the jcstress options, or {@code absent}. */
    static int optionValue(final List<String> options, final String option, final int absent)
    {
        final int at = options.indexOf(option);
        if (at < 0)
        {
            return absent;
        }
        if (at + 1 >= options.size() || !options.get(at + 1).matches("[0-9]{1,6}"))
        {
            throw usage(option + " needs a positive number");
        }
        return Integer.parseInt(options.get(at + 1));
    }

    /**
     * The test classes named in a jar's {@code META-INF/TestList}. Each line of jcstress 0.16's list starts with
     * {@code JCTEST}, then length-prefixed fields ({@code <length>S<text>}), the first being the test class.
     *
     * @param jar the jar.
     * @return the test class names.
     * @throws IOException when the jar cannot be read.
     */
    static Set<String> testList(final Path jar) throws IOException
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final ZipEntry entry = file.getEntry("META-INF/TestList");
            if (entry == null)
            {
                return Set.of();
            }
            try (InputStream in = file.getInputStream(entry))
            {
                return parseTestList(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    static Set<String> parseTestList(final String text)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final String line : text.split("\\R"))
        {
            if (!line.startsWith("JCTEST"))
            {
                continue;
            }
            final int s = line.indexOf('S', 6);
            if (s < 0)
            {
                throw new IllegalArgumentException("unreadable TestList line: " + line);
            }
            final int length = Integer.parseInt(line.substring(6, s));
            names.add(line.substring(s + 1, s + 1 + length));
        }
        return names;
    }

    private static int run(final List<String> command, final Path log, final List<String> lines, final long timeoutMinutes)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    System.out.println(line);
                    out.println(line);
                    synchronized (lines)
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final IOException ex)
            {
                System.out.println("[jcstress-gate] output lost: " + ex);
            }
        }, "jcstress-output");
        pump.start();
        final boolean finished = timeoutMinutes <= 0 ? process.waitFor() >= Integer.MIN_VALUE :
            process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
        if (!finished)
        {
            System.out.println("[jcstress-gate] no result after " + timeoutMinutes + " minutes: stopping jcstress");
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (lines)
        {
            if (!finished)
            {
                lines.add("[jcstress-gate] timed out");
            }
        }
        return finished ? process.exitValue() : -1;
    }

    private static List<String> split(final String text)
    {
        final String trimmed = text.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    private static IllegalArgumentException usage(final String problem)
    {
        return new IllegalArgumentException(problem + "\nusage: JcstressGate --java JAVA --jar JAR --flags \"FLAGS\" " +
            "--mode single|prepend --report DIR [--timeout-minutes N] -- [jcstress options]");
    }
}
