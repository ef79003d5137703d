package dev.ipckit.ops;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.queue.QueueFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ipckit repair}: skips the damaged part of a queue's journal and says how many messages were lost. */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = {
        "Skip the damaged part of a queue's journal (as ipckit ls marks it) and print how many messages were lost."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:repaired, or nothing was damaged", "1:no such queue, or the repair failed", "2:bad usage"})
public final class RepairCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "QUEUE", description = {
        "the queue: a <name>.queue directory, or a name in the default region directory"})
    String queueName;

    @Override
    public Integer call()
    {
        Path queue = Path.of(queueName);
        if (!queue.isAbsolute() && !Files.isDirectory(queue))
        {
            queue = RegionFiles.defaultDirectory().resolve(queueName.endsWith(QueueFiles.QUEUE_SUFFIX) ? queueName :
                queueName + QueueFiles.QUEUE_SUFFIX);
        }
        if (!Files.isDirectory(queue))
        {
            spec.commandLine().getErr().println("ipckit repair: no queue " + queue);
            spec.commandLine().getErr().flush();
            return Cli.FAILED;
        }
        final long lost = QueueFiles.skipDamaged(queue);
        final PrintWriter out = spec.commandLine().getOut();
        out.println(lost == 0 ? queue + ": nothing damaged at the read position, nothing lost" :
            queue + ": skipped the damaged part of the journal, " + lost + " message(s) lost");
        out.flush();
        return Cli.OK;
    }
}
