package dev.ipckit.examples;

import dev.ipckit.net.Authkeys;
import dev.ipckit.net.RemoteWorker;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipckit worker --connect host:port}: pool workers on this host for a pool served on another
 * ({@code dev.ipckit.net.PoolServer}). Each worker is a JVM of its own ({@link RemoteWorker#start}); one that ends
 * by the pool's task limit or a lost connection is replaced, one the pool stopped or refused is not. The command ends
 * when every worker has.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Join a process pool served on another host (PoolServer) with pool workers of this host.",
        "The authkey comes from --authkey-file or $" + Authkeys.ENVIRONMENT_VARIABLE + ", never the command line."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the pool stopped every worker", "1:a worker was refused (wrong key, no free seat, no pool " +
        "there) or its initializer failed", "2:bad usage (no --connect, no key, a key file others can read)"})
final class WorkerCommand implements Callable<Integer>
{
    /** How long a replaced worker waits before it connects again, so a pool that went does not see a storm. */
    private static final Duration RESTART_PAUSE = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "the pool server's address")
    String address;

    @Option(names = "--authkey-file", paramLabel = "FILE",
        description = "a file holding the pool's authkey, readable by its owner only (default: $" +
            Authkeys.ENVIRONMENT_VARIABLE + ")")
    Path authkeyFile;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "how many workers (default: 1)")
    int workers;

    @Option(names = "--class-path", paramLabel = "PATH",
        description = "where the classes of the pool's tasks are, before ipckit's own (the same files as the pool's)")
    String classPath;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
        description = "an option for the worker JVMs, e.g. --jvm-option=-Xmx2g (repeat for more)")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--liveness-ms", paramLabel = "MS", defaultValue = "0",
        description = "how long the pool may be silent before a worker takes it for gone (default: ipckit's, 5000)")
    long livenessMillis;

    @Option(names = "--once", description = "do not replace a worker that ends (task limit, lost connection)")
    boolean once;

    private final PrintStream err;

    WorkerCommand(final PrintStream err)
    {
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        if (workers < 1)
        {
            throw new ParameterException(spec.commandLine(), "--workers must be at least 1, not " + workers);
        }
        if (livenessMillis != 0 && livenessMillis < 100)
        {
            throw new ParameterException(spec.commandLine(), "--liveness-ms must be at least 100, not " +
                livenessMillis);
        }
        ProcessInfo.setCurrentAuthkey(authkey()); // the workers' JVMs inherit it in their start header
        final String workerClassPath = classPath == null ? null :
            classPath + File.pathSeparator + System.getProperty("java.class.path");
        final IpcProcess<?>[] running = new IpcProcess<?>[workers];
        for (int i = 0; i < workers; i++)
        {
            running[i] = start(workerClassPath);
        }
        int status = 0;
        int alive = workers;
        while (alive > 0)
        {
            for (int i = 0; i < running.length; i++)
            {
                final IpcProcess<?> worker = running[i];
                if (worker == null || !worker.join(Duration.ofMillis(100)))
                {
                    continue;
                }
                final int ended = worker.result() instanceof Integer code ? code : -1;
                err.println("ipckit worker: worker pid " + worker.pid() + " " + describe(ended, worker));
                running[i] = null;
                if (!once && (ended == RemoteWorker.EXIT_TASK_LIMIT || ended == RemoteWorker.EXIT_LOST || ended == -1))
                {
                    Thread.sleep(RESTART_PAUSE.toMillis());
                    running[i] = start(workerClassPath);
                    continue;
                }
                if (ended != RemoteWorker.EXIT_STOPPED)
                {
                    status = 1;
                }
                alive--;
            }
        }
        return status;
    }

    private IpcProcess<Integer> start(final String workerClassPath)
    {
        return RemoteWorker.start(address, workerClassPath,
            livenessMillis == 0 ? null : Duration.ofMillis(livenessMillis), jvmOptions.toArray(new String[0]));
    }

    private static String describe(final int ended, final IpcProcess<?> worker)
    {
        return switch (ended)
        {
            case RemoteWorker.EXIT_STOPPED -> "was stopped by the pool";
            case RemoteWorker.EXIT_TASK_LIMIT -> "ran the pool's task limit";
            case RemoteWorker.EXIT_INIT_FAILED -> "failed the pool's initializer";
            case RemoteWorker.EXIT_LOST -> "lost its connection to the pool";
            case RemoteWorker.EXIT_REFUSED -> "was refused (see above)";
            default -> "ended with exit code " + worker.exitCode().orElse(-1) +
                worker.failure().map(f -> ": " + f.getMessage()).orElse("");
        };
    }

    private byte[] authkey()
    {
        try
        {
            if (authkeyFile != null)
            {
                return Authkeys.fromFile(authkeyFile);
            }
            final byte[] key = Authkeys.fromEnvironment(Authkeys.ENVIRONMENT_VARIABLE);
            if (key == null)
            {
                throw new ParameterException(spec.commandLine(), "no authkey: give --authkey-file FILE or set $" +
                    Authkeys.ENVIRONMENT_VARIABLE);
            }
            return key;
        }
        catch (final IllegalArgumentException | IOException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
    }
}
