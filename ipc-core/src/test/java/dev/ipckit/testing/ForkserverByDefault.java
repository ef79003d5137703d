package dev.ipckit.testing;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.StartMethod;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with {@link StartMethod#FORKSERVER} as the default start method, so a class that tests processes
 * or pools started the default way runs again on spare JVMs: {@code @ExtendWith(ForkserverByDefault.class)} on a
 * subclass. Afterwards spawn is the default again and the idle spares are stopped (the default count stays).
 */
public final class ForkserverByDefault implements BeforeAllCallback, AfterAllCallback
{
    /** Spares per set of options by default ({@code IpcProcess.setForkserverSpares}). */
    private static final int DEFAULT_SPARES = 1;

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        IpcProcess.setDefaultStartMethod(StartMethod.FORKSERVER);
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        IpcProcess.setDefaultStartMethod(StartMethod.SPAWN);
        IpcProcess.setForkserverSpares(0);
        IpcProcess.setForkserverSpares(DEFAULT_SPARES);
    }
}
