package dev.ipckit.stress.harness;

import dev.ipckit.platform.JvmFlags;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The full jcstress pass, as the {@code jcstress-full} Maven profile runs it: {@link dev.ipckit.stress.JcstressGate}
 * on the shaded {@code jcstress.jar} next to this module's jar, jcstress's whole configuration matrix ({@code -m
 * default}) with the project's flag set prepended to each configuration. The report goes to
 * {@code target/jcstress-full/}.
 */
final class JcstressPass
{
    private static final long LIMIT_HOURS = 24;

    private JcstressPass()
    {
    }

    /**
     * @param out where progress and the gate's own output go (stderr: the report stays alone on stdout).
     * @return true when the gate passed.
     * @throws IOException          when the jar is missing or the gate cannot start.
     * @throws InterruptedException when interrupted.
     */
    static boolean run(final PrintStream out) throws IOException, InterruptedException
    {
        final Path target = targetDirectory();
        final Path jar = target.resolve("jcstress.jar");
        if (!Files.isRegularFile(jar))
        {
            throw new IOException("no " + jar + ": build it with mvn -B -q -DskipTests package -pl stress-tests -am");
        }
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = List.of(java, "-cp", jar.toString(), "dev.ipckit.stress.JcstressGate",
            "--java", java, "--jar", jar.toString(), "--flags", String.join(" ", JvmFlags.forCurrentRuntime()),
            "--mode", "prepend", "--report", target.resolve("jcstress-full").toString(), "--timeout-minutes", "0",
            "--", "-m default");
        out.println("[stress] full jcstress pass (takes long on 2 cores): " + String.join(" ", command));
        out.flush();
        // The gate's output is progress: it goes where this pass's lines go (stderr), never into the report.
        final Process gate = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectErrorStream(true).start();
        final Thread copier = new Thread(() ->
        {
            try (java.io.InputStream in = gate.getInputStream())
            {
                in.transferTo(out);
                out.flush();
            }
            catch (final IOException ex)
            {
                out.println("[stress] lost the jcstress pass's output: " + ex);
            }
        }, "jcstress-output");
        copier.setDaemon(true);
        copier.start();
        if (!gate.waitFor(LIMIT_HOURS, TimeUnit.HOURS))
        {
            gate.descendants().forEach(ProcessHandle::destroyForcibly);
            gate.destroyForcibly();
            out.println("[stress] the jcstress pass did not end within " + LIMIT_HOURS + " h: stopped");
            return false;
        }
        return gate.exitValue() == 0;
    }

    /** The directory holding this module's jar (or its classes): {@code stress-tests/target}. */
    private static Path targetDirectory() throws IOException
    {
        try
        {
            final Path location = Path.of(JcstressPass.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        }
        catch (final URISyntaxException | SecurityException | NullPointerException ex)
        {
            throw new IOException("cannot tell where stress-tests' jar is: " + ex, ex);
        }
    }
}
