package dev.ipckit.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class IpcProcessTest
{
    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        TestTasks.killLeftovers();
    }

    @Test
    void normalTaskExitsWithZero() throws Exception
    {
        final IpcProcess<Void> process = IpcProcess.of(() -> System.out.print("")).jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals(OptionalInt.of(0), process.exitCode());
        assertFalse(process.isAlive());
        assertTrue(process.failure().isEmpty());
        assertNull(process.result());
    }

    @Test
    void onExitCompletesWhenTheChildHasExitedAndAtOnceAfter() throws Exception
    {
        final IpcProcess<Void> notStarted = IpcProcess.of(() -> { });
        assertThrows(IllegalStateException.class, notStarted::onExit);
        final IpcProcess<Integer> process = IpcProcess.of(() ->
        {
            Thread.sleep(200);
            return 7;
        }).jvmOptions(CHILD_OPTIONS).start();
        final CompletableFuture<IpcProcess<Integer>> exit = process.onExit();
        assertSame(process, exit.get(60, TimeUnit.SECONDS));
        assertFalse(process.isAlive());
        assertEquals(OptionalInt.of(0), process.exitCode());
        assertEquals(7, process.result());
        assertTrue(process.onExit().isDone(), "after the exit, a new future is done at once");
    }

    @Test
    void callableResultReachesTheParent() throws Exception
    {
        final int base = 6;
        final IpcProcess<Integer> process = IpcProcess.of(() -> base * 7).jvmOptions(CHILD_OPTIONS).start();

        assertTrue(process.join(Duration.ofSeconds(30)));
        assertEquals(OptionalInt.of(0), process.exitCode());
        assertEquals(42, process.result());
    }

    @Test
    void uncaughtExceptionExitsWithOneAndReachesTheParent() throws Exception
    {
        final IpcProcess<Object> process = IpcProcess.of(() ->
        {
            throw new IllegalStateException("boom", new IOException("disk full"));
        }).name("worker").jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals(OptionalInt.of(1), process.exitCode());
        final RemoteException failure = process.failure().orElseThrow();
        assertEquals("java.lang.IllegalStateException", failure.remoteClassName());
        assertEquals("boom", failure.remoteMessage());
        assertEquals(
            "java.lang.IllegalStateException: boom (in child process 'worker' pid " + process.pid() + ")",
            failure.getMessage());
        assertTrue(
            Arrays.stream(failure.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals(IpcProcessTest.class.getName()) && frame.getMethodName().startsWith("lambda$")),
            () -> "remote stack trace has the lambda's frame: " + Arrays.toString(failure.getStackTrace()));
        final RemoteException cause = (RemoteException)failure.getCause();
        assertEquals("java.io.IOException", cause.remoteClassName());
        assertEquals("disk full", cause.remoteMessage());
        assertTrue(failure.remoteThrowable().orElseThrow() instanceof IllegalStateException);

        final RemoteException thrown = assertThrows(RemoteException.class, process::result);
        assertEquals("boom", thrown.remoteMessage());
        assertTrue(process.stderrTail().contains("java.lang.IllegalStateException: boom"), process.stderrTail());
    }

    @Test
    void exceptionThatCannotBeSerializedIsStillReported() throws Exception
    {
        final IpcProcess<Object> process = IpcProcess.of(() ->
        {
            throw new HoldsAThread("unserializable");
        }).jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals(OptionalInt.of(1), process.exitCode());
        final RemoteException failure = process.failure().orElseThrow();
        assertEquals(HoldsAThread.class.getName(), failure.remoteClassName());
        assertEquals("unserializable", failure.remoteMessage());
        assertTrue(failure.remoteThrowable().isEmpty());
    }

    @Test
    void resultThatCannotBeSerializedIsAFailure() throws Exception
    {
        final IpcProcess<Object> process = IpcProcess.of(Object::new).jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals(OptionalInt.of(1), process.exitCode());
        final RemoteException failure = assertThrows(RemoteException.class, process::result);
        assertEquals(IllegalArgumentException.class.getName(), failure.remoteClassName());
        assertTrue(failure.remoteMessage().contains("java.lang.Object"), failure.remoteMessage());
    }

    @Test
    void systemExitSetsTheExitCode() throws Exception
    {
        final IpcProcess<Void> process = IpcProcess.of(() -> System.exit(3)).jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals(OptionalInt.of(3), process.exitCode());
        assertTrue(process.failure().isEmpty());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, process::result);
        assertTrue(ex.getMessage().contains("exited with code 3"), ex.getMessage());
    }

    @Test
    void killedChildExitsWithMinusNine() throws Exception
    {
        try (OutputWatch watch = OutputWatch.stdout("KILL-ME-READY"))
        {
            final IpcProcess<Void> process = IpcProcess.of(() ->
            {
                System.out.println("KILL-ME-READY");
                TestTasks.sleep(30_000);
            }).jvmOptions(CHILD_OPTIONS).start();
            watch.awaitMarkedLine(Duration.ofSeconds(30));
            process.kill();

            assertTrue(process.join(10, TimeUnit.SECONDS));
            assertEquals(OptionalInt.of(-9), process.exitCode());
            final IllegalStateException ex = assertThrows(IllegalStateException.class, process::result);
            assertTrue(ex.getMessage().contains("killed by signal 9"), ex.getMessage());
            process.kill();
            process.terminate();
        }
    }

    @Test
    void terminatedChildExitsWithMinusFifteen() throws Exception
    {
        try (OutputWatch watch = OutputWatch.stdout("TERMINATE-ME-READY"))
        {
            final IpcProcess<Void> process = IpcProcess.of(() ->
            {
                System.out.println("TERMINATE-ME-READY");
                TestTasks.sleep(30_000);
            }).jvmOptions(CHILD_OPTIONS).start();
            watch.awaitMarkedLine(Duration.ofSeconds(30));
            process.terminate();

            assertTrue(process.join(10, TimeUnit.SECONDS));
            assertEquals(OptionalInt.of(-15), process.exitCode());
        }
    }

    @Test
    void joinWithTimeoutReturnsFalseWhileTheChildRuns() throws Exception
    {
        final IpcProcess<Void> process = IpcProcess.of(() -> TestTasks.sleep(30_000)).jvmOptions(CHILD_OPTIONS).start();

        final long begin = System.nanoTime();
        assertFalse(process.join(300, TimeUnit.MILLISECONDS));
        final long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(waitedMillis >= 290 && waitedMillis < 10_000, "waited " + waitedMillis + " ms");
        assertTrue(process.isAlive());
        assertEquals(OptionalInt.empty(), process.exitCode());
        assertFalse(process.join(0, TimeUnit.SECONDS));
        assertFalse(process.join(Duration.ofMillis(-5)));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, process::result);
        assertTrue(ex.getMessage().contains("has not finished"), ex.getMessage());

        process.kill();
        assertTrue(process.join(Duration.ofSeconds(10)));
    }

    @Test
    void misuseIsReportedClearly() throws Exception
    {
        final IpcProcess<Void> process = IpcProcess.of(() -> System.out.print("")).name("misused").jvmOptions(CHILD_OPTIONS);

        final IllegalStateException joinFirst = assertThrows(IllegalStateException.class, process::join);
        assertEquals("cannot join IpcProcess 'misused': it has not been started", joinFirst.getMessage());
        assertThrows(IllegalStateException.class, () -> process.join(1, TimeUnit.SECONDS));
        final IllegalStateException pidFirst = assertThrows(IllegalStateException.class, process::pid);
        assertTrue(pidFirst.getMessage().contains("has not been started"), pidFirst.getMessage());
        assertThrows(IllegalStateException.class, process::kill);
        assertThrows(IllegalStateException.class, process::result);
        assertEquals(OptionalInt.empty(), process.exitCode());
        assertFalse(process.isAlive());

        process.start();
        final IllegalStateException twice = assertThrows(IllegalStateException.class, process::start);
        assertTrue(twice.getMessage().contains("already started"), twice.getMessage());
        final IllegalStateException rename = assertThrows(IllegalStateException.class, () -> process.name("other"));
        assertTrue(rename.getMessage().contains("already started"), rename.getMessage());
        assertThrows(IllegalStateException.class, () -> process.daemon(true));
        assertThrows(IllegalStateException.class, () -> process.jvmOptions("-Xmx32m"));
        process.join();
        assertEquals(OptionalInt.of(0), process.exitCode());
    }

    @Test
    void taskCapturingSomethingNotSerializableIsRefusedAtStart()
    {
        final Object notSerializable = new Object();
        final IpcProcess<Void> process = IpcProcess.of(() -> System.out.println(notSerializable)).jvmOptions(CHILD_OPTIONS);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, process::start);
        assertTrue(ex.getMessage().contains("java.lang.Object"), ex.getMessage());
        assertTrue(ex.getMessage().contains("cannot be sent to a child process"), ex.getMessage());
        assertFalse(process.isAlive());
        assertThrows(IllegalStateException.class, process::pid);
        assertFalse(ProcessInfo.activeChildren().contains(process));
    }

    @Test
    void taskCapturingAThreadIsRefusedAtStart()
    {
        final Thread thread = Thread.currentThread();
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> IpcProcess.of(() -> thread.getName()).start());
        assertTrue(ex.getMessage().contains("java.lang.Thread"), ex.getMessage());
    }

    @Test
    void childOutputReachesTheParentsSystemOut() throws Exception
    {
        try (OutputWatch watch = OutputWatch.stdout("never printed"))
        {
            final IpcProcess<Void> process = IpcProcess.of(() ->
            {
                System.out.println("marker-from-child-7f3a");
                System.out.print("no newline at the end");
            }).jvmOptions(CHILD_OPTIONS).start();
            process.join();

            assertTrue(watch.text().contains("marker-from-child-7f3a"), watch.text());
            assertTrue(watch.text().contains("no newline at the end"), watch.text());
        }
    }

    @Test
    void childSeesItsNameAndParent() throws Exception
    {
        final IpcProcess<String> process = IpcProcess.of(() ->
            ProcessInfo.currentName() + "," + ProcessInfo.currentPid() + "," + ProcessInfo.parentPid().orElse(-1) + "," +
            ProcessInfo.isChild() + "," + ProcessInfo.isDaemon() + "," + System.in.read()).name("worker").daemon(true)
            .jvmOptions(CHILD_OPTIONS).start();
        process.join();

        assertEquals("worker," + process.pid() + "," + ProcessHandle.current().pid() + ",true,true,-1", process.result());
        assertEquals("MainProcess", ProcessInfo.currentName());
        assertFalse(ProcessInfo.isChild());
        assertTrue(ProcessInfo.cpuCount() > 0);
    }

    @Test
    void defaultNamesCountUp()
    {
        final String first = IpcProcess.of(() -> System.out.print("")).name();
        final String second = IpcProcess.of(() -> System.out.print("")).name();

        assertTrue(first.matches("IpcProcess-\\d+"), first);
        assertEquals(Integer.parseInt(first.substring(11)) + 1, Integer.parseInt(second.substring(11)));
    }

    @Test
    void reprFollowsPython() throws Exception
    {
        final long parent = ProcessHandle.current().pid();
        final IpcProcess<Void> process = IpcProcess.of(() -> TestTasks.sleep(30_000)).name("worker").daemon(true)
            .jvmOptions(CHILD_OPTIONS);
        assertEquals("<IpcProcess name='worker' parent=" + parent + " initial daemon>", process.toString());

        process.start();
        assertEquals("<IpcProcess name='worker' pid=" + process.pid() + " parent=" + parent + " started daemon>",
            process.toString());
        assertTrue(ProcessInfo.activeChildren().contains(process));

        process.kill();
        process.join();
        assertEquals("<IpcProcess name='worker' pid=" + process.pid() + " parent=" + parent + " stopped exitcode=-9 daemon>",
            process.toString());
        assertFalse(ProcessInfo.activeChildren().contains(process));
    }

    @Test
    void badJvmOptionFailsTheChildNotTheParent() throws Exception
    {
        final IpcProcess<Void> process = IpcProcess.of(() -> System.out.print("")).jvmOptions("-XX:+NoSuchOption").start();
        process.join();

        assertEquals(OptionalInt.of(1), process.exitCode());
        assertTrue(process.stderrTail().contains("NoSuchOption"), process.stderrTail());
        assertThrows(IllegalStateException.class, process::result);
    }

    static final class HoldsAThread extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Thread thread = Thread.currentThread();

        HoldsAThread(final String message)
        {
            super(message);
        }
    }
}
