package dev.ipckit.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@link IpcProcessTest} case again with {@link StartMethod#FORKSERVER} as the default: before each, a spare of
 * the tests' JVM options is made ready, so the child the case starts is handed to it (a case with other options,
 * such as the bad JVM option, is started by spawn, as forkserver does).
 */
@Timeout(90)
class ForkserverIpcProcessTest extends IpcProcessTest
{
    @BeforeAll
    static void forkserverByDefault()
    {
        IpcProcess.setDefaultStartMethod(StartMethod.FORKSERVER);
    }

    @AfterAll
    static void spawnByDefault()
    {
        IpcProcess.setDefaultStartMethod(StartMethod.SPAWN);
        ForkserverTest.stopSpares();
    }

    @BeforeEach
    void aSpareIsReady() throws Exception
    {
        ForkserverTest.awaitSpare(TestTasks.CHILD_OPTIONS);
    }
}
