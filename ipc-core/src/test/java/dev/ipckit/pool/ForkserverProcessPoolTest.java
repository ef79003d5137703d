package dev.ipckit.pool;

import dev.ipckit.process.StartMethod;
import dev.ipckit.testing.ForkserverByDefault;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/**
 * Every {@link ProcessPoolTest} case again with {@link StartMethod#FORKSERVER} as the default start method: workers,
 * the replacements of killed, timed-out, cancelled and out-of-memory workers, and recycled workers are handed to
 * spare JVMs when one of their options is ready (the first worker of each set of options starts by spawn).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(ForkserverByDefault.class)
class ForkserverProcessPoolTest extends ProcessPoolTest
{
}
