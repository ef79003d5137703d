package dev.ipckit.pool;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.StartMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Every {@link ProcessPoolTest} case again with {@link StartMethod#FORKSERVER} as the default start method: workers,
 * the replacements of killed, timed-out, cancelled and out-of-memory workers, and recycled workers are handed to
 * spare JVMs when one of their options is ready (the first worker of each set of options starts by spawn).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ForkserverProcessPoolTest extends ProcessPoolTest
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
        IpcProcess.setForkserverSpares(0);
        IpcProcess.setForkserverSpares(1);
    }
}
