package dev.ipckit.process;

import dev.ipckit.testing.ForkserverByDefault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every {@link IpcProcessTest} case again with {@link StartMethod#FORKSERVER} as the default: before each, a spare of
 * the tests' JVM options is made ready, so the child the case starts is handed to it (a case with other options,
 * such as the bad JVM option, is started by spawn, as forkserver does).
 */
@Timeout(90)
@ExtendWith(ForkserverByDefault.class)
class ForkserverIpcProcessTest extends IpcProcessTest
{
    @BeforeEach
    void aSpareIsReady() throws Exception
    {
        ForkserverTest.awaitSpare(TestTasks.CHILD_OPTIONS);
    }
}
