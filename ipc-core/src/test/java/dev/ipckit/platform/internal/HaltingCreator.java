package dev.ipckit.platform.internal;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableRunnable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM that creates something and dies at a named step of the creation ({@link CreationSteps}), as a SIGKILL
 * at that instant would leave it: no finally block, no shutdown hook runs.
 */
public final class HaltingCreator
{
    /** Small, quick child JVMs. */
    public static final String[] CHILD_JVM = {"-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    private HaltingCreator()
    {
    }

    /**
     * Runs {@code creation} in a child JVM that halts at {@code step}, and waits for it.
     *
     * @return the dead creator's pid.
     */
    public static long haltAt(final String step, final SerializableRunnable creation) throws InterruptedException
    {
        final String[] options = new String[CHILD_JVM.length + 1];
        options[0] = "-D" + CreationSteps.HALT_PROPERTY + "=" + step;
        System.arraycopy(CHILD_JVM, 0, options, 1, CHILD_JVM.length);
        final IpcProcess<Void> child = IpcProcess.of(creation).name("creator-" + step).jvmOptions(options).start();
        assertTrue(child.join(60, TimeUnit.SECONDS), "the creator halting at " + step + " ended");
        assertEquals(CreationSteps.HALT_STATUS, child.exitCode().getAsInt(),
            () -> "the creator halts at step " + step + "; its stderr: " + child.stderrTail());
        return child.pid();
    }

    /**
     * Starts {@code creation} in a child JVM without a halt step.
     *
     * @return the started child.
     */
    public static IpcProcess<Void> start(final String name, final SerializableRunnable creation)
    {
        return IpcProcess.of(creation).name(name).jvmOptions(CHILD_JVM).start();
    }

    /** The names in a directory, sorted. */
    public static List<String> namesIn(final Path directory)
    {
        try (Stream<Path> paths = Files.list(directory))
        {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
