package dev.ipckit.ops;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/** The directory argument of {@code ls} and {@code clean}, and the refusal of a directory ipckit does not use. */
final class Directories
{
    private Directories()
    {
    }

    /**
     * The directory given, which must exist, or the default region directory (which need not exist yet: nothing
     * has made a region there).
     *
     * @throws ParameterException (exit status 2) when the given directory does not exist or is not a directory.
     */
    static Path existing(final CommandSpec spec, final Path given)
    {
        if (given == null)
        {
            return RegionFiles.defaultDirectory();
        }
        if (!Files.isDirectory(given))
        {
            throw new ParameterException(spec.commandLine(), Files.exists(given) ?
                "'" + given + "' is not a directory" : "no directory '" + given + "'");
        }
        return given;
    }

    /** A directory ipckit does not use (a link, another user's, writable by others): the reason, no stack trace. */
    static int refused(final CommandSpec spec, final RegionException ex)
    {
        if (ex.reason() != RegionException.Reason.UNSAFE_DIRECTORY)
        {
            throw ex;
        }
        spec.commandLine().getErr().println("ipckit " + spec.name() + ": " + ex.getMessage());
        spec.commandLine().getErr().flush();
        return Cli.FAILED;
    }
}
