package dev.ipckit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python {@code multiprocessing} reference shipped in this module
 * ({@code dev/ipckit/benchmarks/python/mp_lock.py}): the script is copied to a temporary file and run with
 * {@code python3} from the {@code PATH}; its {@code key=value} output lines come back as a map.
 */
final class PythonReference
{
    private static final String SCRIPT = "python/mp_lock.py";
    private static final long TIMEOUT_MINUTES = 30;

    private PythonReference()
    {
    }

    /**
     * Runs the script, or explains on standard output why not.
     *
     * @param processes  processes incrementing the shared value.
     * @param ops        increments per process.
     * @param rounds     rounds of the contended run (the best counts).
     * @param iterations iterations of the uncontended acquire/release loop.
     * @return the script's results, empty when python3 is missing or failed.
     * @throws IOException          when the script cannot be extracted.
     * @throws InterruptedException when interrupted while waiting for python3.
     */
    static Optional<Map<String, String>> run(final int processes, final long ops, final int rounds, final long iterations)
        throws IOException, InterruptedException
    {
        final Path script = Files.createTempFile("ipckit-mp_lock-", ".py");
        try
        {
            try (InputStream in = PythonReference.class.getResourceAsStream(SCRIPT))
            {
                if (in == null)
                {
                    throw new IOException("resource " + SCRIPT + " is missing from the class path");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            final Process python;
            try
            {
                python = new ProcessBuilder("python3", script.toString(), Integer.toString(processes),
                    Long.toString(ops), Integer.toString(rounds), Long.toString(iterations))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
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
                System.out.println("Python reference failed with exit code " + python.exitValue() + ":\n" + output);
                return Optional.empty();
            }
            final Map<String, String> results = new HashMap<>();
            output.lines().map(line -> line.split("=", 2)).filter(kv -> kv.length == 2)
                .forEach(kv -> results.put(kv[0].trim(), kv[1].trim()));
            return Optional.of(results);
        }
        finally
        {
            Files.deleteIfExists(script);
        }
    }
}
