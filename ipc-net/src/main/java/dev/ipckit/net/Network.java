package dev.ipckit.net;

import dev.ipckit.net.internal.NetDriver;

import java.time.Duration;

/**
 * This JVM's network settings. ipckit reaches other hosts through an Aeron media driver: an embedded one, started on
 * the first {@link Listener} or {@link Client} (a JVM that never uses the network starts none) and stopped at exit,
 * or an external one when {@code -Dipckit.aeron.dir=<its directory>} names it (a driver run on its own, as production
 * setups run Aeron). See {@code docs/network.md}.
 */
public final class Network
{
    private Network()
    {
    }

    /**
     * Sets how long a peer may be silent (no message and no heartbeat; Aeron sends heartbeats while idle) before its
     * connections end with end of stream: the embedded driver's image liveness and publication connection timeouts.
     * Default {@link NetDriver#DEFAULT_LIVENESS_TIMEOUT}. Only before the first listener or client of this JVM.
     *
     * @param timeout at least 100 ms.
     * @throws IllegalStateException when the driver runs already.
     */
    public static void setLivenessTimeout(final Duration timeout)
    {
        NetDriver.setLivenessTimeout(timeout);
    }

    /** @return the liveness timeout. */
    public static Duration livenessTimeout()
    {
        return NetDriver.livenessTimeout();
    }
}
