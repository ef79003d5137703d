package dev.ipckit.process;

import dev.ipckit.process.internal.Children;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What Python's {@code Process} has beside start and join, across real child JVMs: {@code interrupt()},
 * {@code close()}, {@code parent_process()} and the daemon flag a child's own children inherit.
 */
@Timeout(120)
class ProcessHandleParityTest
{
    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        TestTasks.killLeftovers();
    }

    @Test
    void interruptRunsTheChildsShutdownHooksAndExitsWithMinusTwo() throws Exception
    {
        // The child must not inherit an ignored SIGINT from this JVM (a background job's): start it with the default.
        final Path java = launcher("default-sigint", "exec env --default-signal=INT");
        try (OutputWatch watch = OutputWatch.stdout("INTERRUPT-ME-READY"))
        {
            final IpcProcess<Void> process = IpcProcess.of(() ->
            {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("INTERRUPT-HOOK-RAN")));
                System.out.println("INTERRUPT-ME-READY");
                TestTasks.sleep(60_000);
            }).javaExecutable(java).jvmOptions(CHILD_OPTIONS).start();
            watch.awaitMarkedLine(Duration.ofSeconds(60));
            process.interrupt();

            assertTrue(process.join(30, TimeUnit.SECONDS), "an interrupted child exits");
            assertEquals(OptionalInt.of(-2), process.exitCode());
            assertTrue(watch.text().contains("INTERRUPT-HOOK-RAN"), "its shutdown hooks ran: " + watch.text());
            process.interrupt(); // after the exit: nothing to do
        }
    }

    @Test
    void interruptOfAChildThatIgnoresSigintIsAClearError() throws Exception
    {
        final Path java = launcher("ignored-sigint", "trap '' INT; exec");
        try (OutputWatch watch = OutputWatch.stdout("DEAF-CHILD-READY"))
        {
            final IpcProcess<Void> process = IpcProcess.of(() ->
            {
                System.out.println("DEAF-CHILD-READY");
                TestTasks.sleep(60_000);
            }).name("deaf").javaExecutable(java).jvmOptions(CHILD_OPTIONS).start();
            // Until the launcher script has run its trap the child does not ignore SIGINT yet: wait for the task.
            watch.awaitMarkedLine(Duration.ofSeconds(60));
            final IllegalStateException ignored = assertThrows(IllegalStateException.class, process::interrupt);
            assertTrue(ignored.getMessage().contains("cannot interrupt IpcProcess 'deaf'") &&
                ignored.getMessage().contains("ignores SIGINT"), ignored.getMessage());
            assertTrue(process.isAlive());
            process.kill();
            assertTrue(process.join(30, TimeUnit.SECONDS));
        }

        final IllegalStateException notStarted =
            assertThrows(IllegalStateException.class, () -> IpcProcess.of(() -> { }).name("idle").interrupt());
        assertEquals("cannot interrupt IpcProcess 'idle': it has not been started", notStarted.getMessage());
    }

    @Test
    void closeReleasesTheProcessObjectAndEveryUseAfterItIsAClearError() throws Exception
    {
        final IpcProcess<Integer> process = IpcProcess.of(() ->
        {
            TestTasks.sleep(60_000);
            return 1;
        }).name("closing").jvmOptions(CHILD_OPTIONS).start();
        final IllegalStateException running = assertThrows(IllegalStateException.class, process::close);
        assertTrue(running.getMessage().contains("it is still running"), running.getMessage());
        assertTrue(process.isAlive(), "a refused close leaves the child alone");

        process.kill();
        assertTrue(process.join(30, TimeUnit.SECONDS));
        final long pid = process.pid();
        process.close();
        process.close(); // a second close: nothing

        for (final Runnable use : new Runnable[]{
            process::pid, process::isAlive, process::exitCode, process::result, process::failure,
            process::terminate, process::kill, process::interrupt, process::start})
        {
            final IllegalStateException closed = assertThrows(IllegalStateException.class, use::run);
            assertTrue(closed.getMessage().endsWith("IpcProcess 'closing': it was closed"), closed.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> process.join(1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, process::join);
        assertEquals("closing", process.name());
        assertFalse(process.isDaemon());
        assertEquals("<IpcProcess name='closing' pid=" + pid + " parent=" + ProcessHandle.current().pid() +
            " stopped exitcode=-9 closed>", process.toString());

        final IpcProcess<Void> neverStarted = IpcProcess.of(() -> { }).name("unused");
        neverStarted.close();
        assertThrows(IllegalStateException.class, neverStarted::start);
        assertThrows(IllegalStateException.class, () -> neverStarted.name("other"));
    }

    @Test
    void aResultIsReadBeforeCloseAndTheResultFileIsGoneAfterIt() throws Exception
    {
        final IpcProcess<String> process = IpcProcess.of(() -> "done").jvmOptions(CHILD_OPTIONS).start();
        process.join();
        assertEquals("done", process.result());
        process.close();
        assertThrows(IllegalStateException.class, process::result);

        final long filesBefore = resultFiles();
        final IpcProcess<String> unread = IpcProcess.of(() -> "never read").jvmOptions(CHILD_OPTIONS).start();
        unread.join();
        assertEquals(filesBefore + 1, resultFiles(), "the unread result waits in its file");
        unread.close();
        assertEquals(filesBefore, resultFiles(), "close deletes a result nobody read");
    }

    private static long resultFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(Children.resultDirectory()))
        {
            return files.count();
        }
    }

    @Test
    void aChildSeesItsParentAndAGrandchildSeesTheChildThatStartedIt() throws Exception
    {
        assertNull(ProcessInfo.parentProcess(), "the main process has no parent process");
        final IpcProcess<String> child = IpcProcess.of(() ->
        {
            final ParentProcess parent = ProcessInfo.parentProcess();
            final IpcProcess<String> grandchild = IpcProcess.of(() ->
            {
                final ParentProcess itsParent = ProcessInfo.parentProcess();
                return itsParent.name() + "," + itsParent.pid() + "," + itsParent.isAlive() + "," +
                    itsParent.join(10, TimeUnit.MILLISECONDS) + "," + itsParent.sentinel().isReady() + "," +
                    dev.ipckit.wait.Waiting.any(java.util.List.of(itsParent.sentinel()), 20, TimeUnit.MILLISECONDS);
            }).name("grandchild").jvmOptions(CHILD_OPTIONS).start();
            grandchild.join();
            return parent.name() + "," + parent.pid() + "," + parent.isAlive() + "," + parent + "|" +
                ProcessHandle.current().pid() + "|" + grandchild.result();
        }).name("child").jvmOptions(CHILD_OPTIONS).start();

        assertTrue(child.join(90, TimeUnit.SECONDS));
        final long me = ProcessHandle.current().pid();
        assertEquals("MainProcess," + me + ",true,<ParentProcess name='MainProcess' pid=" + me + " started>|" +
            child.pid() + "|child," + child.pid() + ",true,false,false,[]", child.result(),
            "the parent's sentinel is not ready while the parent runs");
    }

    @Test
    void aProcessMadeInADaemonChildIsADaemonUnlessToldOtherwise() throws Exception
    {
        assertFalse(IpcProcess.of(() -> { }).isDaemon(), "the main process is no daemon");
        final IpcProcess<String> daemonChild = IpcProcess.of(() ->
        {
            final IpcProcess<Boolean> grandchild =
                IpcProcess.of(() -> ProcessInfo.isDaemon()).jvmOptions(CHILD_OPTIONS).start();
            grandchild.join();
            return grandchild.isDaemon() + "," + grandchild.result() + "," +
                IpcProcess.of(() -> { }).daemon(false).isDaemon();
        }).daemon(true).jvmOptions(CHILD_OPTIONS).start();
        final IpcProcess<Boolean> plainChild =
            IpcProcess.of(() -> IpcProcess.of(() -> { }).isDaemon()).jvmOptions(CHILD_OPTIONS).start();

        assertTrue(daemonChild.join(90, TimeUnit.SECONDS));
        assertTrue(plainChild.join(90, TimeUnit.SECONDS));
        assertEquals("true,true,false", daemonChild.result());
        assertFalse(plainChild.result());
    }

    /** A java executable that runs this JVM's java after a shell prefix, to set how the child sees SIGINT. */
    private Path launcher(final String name, final String prefix) throws IOException
    {
        if (prefix.contains("--default-signal"))
        {
            assumeTrue(envHasDefaultSignal(), "env --default-signal (coreutils 8.31+) is needed");
        }
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + prefix + " '" + java + "' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static boolean envHasDefaultSignal()
    {
        try
        {
            final Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
