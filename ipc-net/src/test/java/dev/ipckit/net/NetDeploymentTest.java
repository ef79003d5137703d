package dev.ipckit.net;

import dev.ipckit.net.internal.NetDriver;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ipckit.net.NetTesting.KEY;
import static dev.ipckit.net.NetTesting.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/** How ipckit is deployed: IPv6 addresses, and an external media driver instead of the embedded one. */
@Timeout(240)
class NetDeploymentTest
{
    @TempDir
    Path dir;

    @RegisterExtension
    final NetTesting.Children children = new NetTesting.Children();

    /** A child that connects, sends "ping", and returns the answer and the Aeron directory its connection used. */
    private IpcProcess<String> pinger(final String address, final String... jvmOptions)
    {
        return children.start(IpcProcess.of(() ->
        {
            try (NetConnection connection = Client.connect(address, KEY))
            {
                connection.send("ping");
                return connection.recv(60, TimeUnit.SECONDS) + " via " + NetDriver.aeronDirectory();
            }
        }).jvmOptions(jvmOptions));
    }

    private static void answer(final Listener listener) throws Exception
    {
        try (NetConnection connection = listener.accept(60, TimeUnit.SECONDS))
        {
            assertEquals("ping", connection.recv(60, TimeUnit.SECONDS));
            connection.send("pong from " + listener.address());
            // Until the child has read it and closed its end.
            assertThrows(java.io.EOFException.class, () -> connection.recv(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aListenerOnIpv6LoopbackServesAClient() throws Exception
    {
        final InetAddress v6 = InetAddress.getByName("::1");
        Assumptions.assumeTrue(NetworkInterface.getByInetAddress(v6) != null, "this host has no ::1");
        try (Listener listener = Listener.bind("[::1]:0", KEY))
        {
            final String host = listener.address().substring(1, listener.address().lastIndexOf(']'));
            assertEquals(v6, InetAddress.getByName(host), listener.address());
            final IpcProcess<String> child = pinger(listener.address());
            answer(listener);
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertTrue(child.result().startsWith("pong from " + listener.address()), child.result());
        }
    }

    @Test
    void aProcessGivenAnExternalDriverUsesItAndStartsNoneOfItsOwn() throws Exception
    {
        final Path aeronDir = dir.resolve("external-driver");
        // The external driver: a JVM of its own, as production runs one; shared threads with backoff for 2 cores.
        final String driverDir = aeronDir.toString();
        final IpcProcess<Void> driver = children.start(IpcProcess.of((SerializableCallable<Void>)() ->
        {
            try (MediaDriver ignored = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(driverDir)
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true)))
            {
                Thread.sleep(120_000);
            }
            return null;
        }).name("external-driver"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(aeronDir.resolve("cnc.dat")))
        {
            assertTrue(System.nanoTime() - deadline < 0 && driver.isAlive(), "the external driver started");
            Thread.sleep(20);
        }
        try (Listener listener = Listener.bind(LOOPBACK, KEY))
        {
            final IpcProcess<String> child = pinger(listener.address(), "-Dipckit.aeron.dir=" + driverDir);
            answer(listener);
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals("pong from " + listener.address() + " via " + driverDir, child.result());
        }
    }
}
