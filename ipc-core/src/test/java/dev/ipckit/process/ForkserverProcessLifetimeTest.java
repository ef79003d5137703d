package dev.ipckit.process;

import dev.ipckit.testing.ForkserverByDefault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every {@link ProcessLifetimeTest} case again with forkserver at both levels: the child runs on a spare of the test
 * JVM, and starts its grandchild on a spare of its own (which it makes ready first). A spare-born child that is
 * killed leaves no grandchild behind, terminates its daemon grandchildren at its exit and waits for the others.
 */
@Timeout(120)
@ExtendWith(ForkserverByDefault.class)
class ForkserverProcessLifetimeTest extends ProcessLifetimeTest
{
    @BeforeEach
    void aSpareIsReady() throws Exception
    {
        ForkserverTest.awaitSpare(TestTasks.CHILD_OPTIONS);
    }

    @Override
    StartMethod grandchildStartMethod()
    {
        return StartMethod.FORKSERVER;
    }
}
