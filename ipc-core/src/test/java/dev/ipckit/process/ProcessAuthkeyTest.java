package dev.ipckit.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalInt;

import static dev.ipckit.process.TestTasks.CHILD_OPTIONS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The process tree's authkey (Python's {@code current_process().authkey}): made once in the main process, inherited
 * by children and grandchildren, spawned or on a spare, and replaced for the children started after a change.
 */
@Timeout(120)
class ProcessAuthkeyTest
{
    private final byte[] original = ProcessInfo.currentAuthkey();

    @AfterEach
    void restore() throws InterruptedException
    {
        ProcessInfo.setCurrentAuthkey(original);
        TestTasks.killLeftovers();
        ForkserverTest.stopSpares();
    }

    private static String hex(final byte[] key)
    {
        return HexFormat.of().formatHex(key);
    }

    @Test
    void theMainProcessHasOneRandomKeyAndHandsOutCopies()
    {
        final byte[] key = ProcessInfo.currentAuthkey();
        assertEquals(32, key.length);
        assertFalse(Arrays.equals(new byte[32], key), "random, not zeros");
        key[0]++;
        assertArrayEquals(original, ProcessInfo.currentAuthkey(), "a copy: changing it changes nothing");
    }

    @Test
    void aChildAndItsChildInheritTheKey() throws Exception
    {
        final IpcProcess<String> child = IpcProcess.of(() ->
        {
            final IpcProcess<String> grandchild = IpcProcess.of(() -> hex(ProcessInfo.currentAuthkey()))
                .jvmOptions(CHILD_OPTIONS).start();
            if (!grandchild.join(Duration.ofSeconds(60)))
            {
                return "the grandchild did not finish";
            }
            return hex(ProcessInfo.currentAuthkey()) + " " + grandchild.result();
        }).jvmOptions(CHILD_OPTIONS).start();
        assertTrue(child.join(Duration.ofSeconds(90)));
        assertEquals(OptionalInt.of(0), child.exitCode(), child.stderrTail());
        assertEquals(hex(original) + " " + hex(original), child.result());
    }

    @Test
    void childrenStartedAfterAChangeGetTheNewKeyEvenOnASpareStartedBefore() throws Exception
    {
        ForkserverTest.awaitSpare(CHILD_OPTIONS);
        final byte[] changed = "another key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ProcessInfo.setCurrentAuthkey(changed);
        assertArrayEquals(changed, ProcessInfo.currentAuthkey());
        final IpcProcess<String> onSpare = IpcProcess.of(() -> hex(ProcessInfo.currentAuthkey()))
            .jvmOptions(CHILD_OPTIONS).startMethod(StartMethod.FORKSERVER).start();
        final IpcProcess<String> spawned = IpcProcess.of(() -> hex(ProcessInfo.currentAuthkey()))
            .jvmOptions(CHILD_OPTIONS).startMethod(StartMethod.SPAWN).start();
        assertTrue(onSpare.startedOnSpare(), "the spare was started before the key changed");
        for (final IpcProcess<String> child : new IpcProcess[] {onSpare, spawned})
        {
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(hex(changed), child.result());
        }
    }

    @Test
    void aKeyIsOneTo1024Bytes()
    {
        assertThrows(NullPointerException.class, () -> ProcessInfo.setCurrentAuthkey(null));
        assertEquals("an authkey is 1 to 1024 bytes, not 0",
            assertThrows(IllegalArgumentException.class, () -> ProcessInfo.setCurrentAuthkey(new byte[0])).getMessage());
        assertEquals("an authkey is 1 to 1024 bytes, not 1025",
            assertThrows(IllegalArgumentException.class, () -> ProcessInfo.setCurrentAuthkey(new byte[1025]))
                .getMessage());
        final byte[] longest = new byte[1024];
        ProcessInfo.setCurrentAuthkey(longest);
        longest[0] = 1;
        assertArrayEquals(new byte[1024], ProcessInfo.currentAuthkey(), "the key set was copied");
    }
}
