package dev.ipckit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python {@code multiprocessing} reference shipped in this module under {@code dev/ipckit/benchmarks/python/}:
 * the script is copied to a temporary file and run with {@code python3} from the {@code PATH} and the given
 * arguments; its {@code key=value} output lines come back as a map, other lines are ignored, and its standard error
 * is passed through.
 */
final class PythonReference
{
    /** The reference for {@link CrossProcessLock}. */
    static final String MP_LOCK = "mp_lock.py";
    /** The reference for {@link PipeRoundTrip}, {@link MessageThroughput} and {@link QueueFanIn}. */
    static final String MP_MESSAGING = "mp_messaging.py";
    /** The reference for {@link PoolBenchmark}. */
    static final String MP_POOL = "mp_pool.py";
    /** The reference for {@link ManagerBenchmark}. */
    static final String MP_MANAGER = "mp_manager.py";
    /** The reference for {@link NetworkBenchmark}. */
    static final String MP_REMOTE = "mp_remote.py";
    /** The reference for {@link OperationCosts} and {@link ChildStartBenchmark}. */
    static final String MP_BASICS = "mp_basics.py";

    private static final long TIMEOUT_MINUTES = 30;

    private PythonReference()
    {
    }

    /**
     * Runs a script, or explains on standard output why not.
     *
     * @param script the script's file name in {@code dev/ipckit/benchmarks/python/}.
     * @param args   its arguments.
     * @return the script's results, empty when python3 is missing or failed.
     * @throws IOException          when the script cannot be extracted.
     * @throws InterruptedException when interrupted while waiting for python3.
     */
    static Optional<Map<String, String>> run(final String script, final Object... args)
        throws IOException, InterruptedException
    {
        final String resource = "python/" + script;
        final Path file = Files.createTempFile("ipckit-" + script.replace(".py", "") + "-", ".py");
        try
        {
            try (InputStream in = PythonReference.class.getResourceAsStream(resource))
            {
                if (in == null)
                {
                    throw new IOException("resource " + resource + " is missing from the class path");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            final List<String> command = new ArrayList<>(List.of("python3", file.toString()));
            for (final Object arg : args)
            {
                command.add(String.valueOf(arg));
            }
            final Process python;
            try
            {
                python = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            }
            catch (final IOException ex)
            {
                System.out.println("Python reference skipped: python3 not found on the PATH (" + ex.getMessage() + ")");
                return Optional.empty();
            }
            final String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!python.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES))
            {
                python.destroyForcibly();
                System.out.println("Python reference skipped: python3 did not finish within " + TIMEOUT_MINUTES + " min");
                return Optional.empty();
            }
            if (python.exitValue() != 0)
            {
                System.out.println("Python reference " + script + " failed with exit code " + python.exitValue() +
                    ":\n" + output);
                return Optional.empty();
            }
            final Map<String, String> results = new HashMap<>();
            output.lines().map(line -> line.split("=", 2)).filter(kv -> kv.length == 2)
                .forEach(kv -> results.put(kv[0].trim(), kv[1].trim()));
            return Optional.of(results);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A number the script printed.
     *
     * @param results the script's results, empty when it did not run.
     * @param key     the key.
     * @return the value, NaN when the script did not run or did not print the key.
     */
    static double number(final Optional<Map<String, String>> results, final String key)
    {
        return results.map(r -> r.get(key)).map(Double::parseDouble).orElse(Double.NaN);
    }
}
