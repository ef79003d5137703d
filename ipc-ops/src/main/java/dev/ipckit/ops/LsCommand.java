package dev.ipckit.ops;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.memory.RegionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ipckit ls}: an {@code ipcs} for ipckit. Every region with its creator (alive or dead) and its objects'
 * values and states, every queue and pipe with its counters; stale and damaged ones marked.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = {
        "List the regions in a directory (creator alive or dead, objects and their values, locks and their " +
        "holders) and its queues and pipes (depth, counters, consumers). Stale and damaged ones are marked."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:listed", "1:the directory is one ipckit refuses to use (a link, another user's, writable by others)",
        "2:bad usage (unknown option, a directory that does not exist)"})
public final class LsCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR",
        description = "the directory (default: the default region directory, -Dipckit.dir or /dev/shm/ipckit-root)")
    Path directory;

    @Option(names = "--json", description = "print the listing as JSON (one object; see docs/cli.md)")
    boolean json;

    @Override
    public Integer call() throws IOException
    {
        final Path dir = Directories.existing(spec, directory);
        final Listing.Result result;
        try
        {
            result = Listing.of(dir);
        }
        catch (final RegionException ex)
        {
            return Directories.refused(spec, ex);
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES).asString(ListingJson.of(result)));
        }
        else
        {
            ListingText.print(result, out, Marks.of(spec));
        }
        out.flush();
        return Cli.OK;
    }
}
