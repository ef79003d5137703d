package dev.ipckit.platform.internal;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.testing.ChildJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ExitDuties}: at a child JVM's exit the duties run stage by stage, in registration order within a stage,
 * each once, past one that throws; nothing can be registered once the exit has begun.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitDutiesTest
{
    @TempDir
    Path dir;

    @AfterEach
    void killChildren() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    @Test
    void stagesRunInTheirOrderAtExitWhateverTheOrderOfRegistration() throws Exception
    {
        final String log = dir.resolve("exit.log").toString();
        final IpcProcess<Object> child = IpcProcess.of(() ->
        {
            ExitDuties.register(ExitDuties.Stage.CLOSE_DOORBELLS, () -> append(log, "doorbells"));
            ExitDuties.register(ExitDuties.Stage.STOP_CHILDREN, () -> append(log, "children 1"));
            ExitDuties.register(ExitDuties.Stage.STOP_CHILDREN, () ->
            {
                throw new IllegalStateException("a failing duty");
            });
            ExitDuties.register(ExitDuties.Stage.STOP_CHILDREN, () -> append(log, "children 2"));
            ExitDuties.register(ExitDuties.Stage.RELEASE_QUEUE_ROWS, () -> append(log, "queues"));
            ExitDuties.register(ExitDuties.Stage.STOP_WATCHING_PARENT, () -> append(log,
                "parent; a late duty is " + (ExitDuties.register(ExitDuties.Stage.CLOSE_DOORBELLS,
                    () -> append(log, "late")) ? "taken" : "refused")));
            return null;
        }).jvmOptions(ChildJvms.SMALL).start();
        assertTrue(child.join(60, TimeUnit.SECONDS));

        final List<String> ran = Files.readAllLines(Path.of(log));
        // The child's own duties (its watchdog, the queue class if loaded) run too, and write nothing here.
        assertEquals(List.of("parent; a late duty is refused", "queues", "children 1", "children 2", "doorbells"), ran);
    }

    private static void append(final String file, final String line)
    {
        try
        {
            Files.writeString(Path.of(file), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
