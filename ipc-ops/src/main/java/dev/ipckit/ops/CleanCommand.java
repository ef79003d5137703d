package dev.ipckit.ops;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.queue.QueueFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ipckit clean}: removes stale regions, queues and pipes (their creator died and they are not persistent, or
 * their creator died before finishing them). {@code --dry-run} lists them and removes nothing.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {
        "Remove the stale regions, queues and pipes in a directory: those whose creator died and that are not " +
        "persistent, and those whose creator died before finishing them. Live ones are never touched."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:cleaned (or listed, with --dry-run)",
        "1:the directory is one ipckit refuses to use, or a file could not be removed",
        "2:bad usage (unknown option, a directory that does not exist)"})
public final class CleanCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR",
        description = "the directory (default: the default region directory, -Dipckit.dir or /dev/shm/ipckit-root)")
    Path directory;

    @Option(names = {"-n", "--dry-run"}, description = "list what would be removed; remove nothing")
    boolean dryRun;

    @Override
    public Integer call()
    {
        final Path dir = Directories.existing(spec, directory);
        final PrintWriter out = spec.commandLine().getOut();
        final List<Path> regions;
        final List<Path> queues;
        try
        {
            regions = dryRun ? staleRegions(dir) : RegionFiles.removeStale(dir);
            queues = dryRun ? staleQueues(dir) : QueueFiles.removeStale(dir);
        }
        catch (final RegionException ex)
        {
            return Directories.refused(spec, ex);
        }
        final String verb = dryRun ? "would remove " : "removed ";
        regions.forEach(p -> out.println(verb + p));
        queues.forEach(p -> out.println(verb + p));
        out.println(regions.size() + " stale region(s) and " + queues.size() + " stale queue(s) or pipe(s) " +
            (dryRun ? "would be removed from " + dir + " (dry run: nothing removed)" : "removed from " + dir));
        out.flush();
        return Cli.OK;
    }

    /** What {@link RegionFiles#removeStale} removes. */
    private static List<Path> staleRegions(final Path dir)
    {
        final List<Path> stale = new ArrayList<>();
        for (final RegionFiles.RegionFile file : RegionFiles.list(dir))
        {
            if (file.stale())
            {
                stale.add(file.path());
            }
        }
        return stale;
    }

    /** What {@link QueueFiles#removeStale} removes: unfinished directories of dead creators, then stale queues. */
    private static List<Path> staleQueues(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        final List<Path> stale = new ArrayList<>();
        try (Stream<Path> paths = Files.list(dir))
        {
            for (final Path candidate : paths.sorted().toList())
            {
                final long creator = RegionFiles.unfinishedCreator(candidate);
                if (creator != ProcessIdentity.NONE && !ProcessIdentity.isAlive(creator) &&
                    Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS))
                {
                    stale.add(candidate);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
        for (final Path queue : QueueFiles.list(dir))
        {
            if (QueueFiles.isStale(queue))
            {
                stale.add(queue);
            }
        }
        return stale;
    }
}
