package dev.ipckit.ops;

import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;

/** The words that mark trouble ({@code STALE}, {@code DAMAGED}, {@code DEAD}), in bold red when colour is on. */
final class Marks
{
    private final Help.Ansi ansi;

    private Marks(final Help.Ansi ansi)
    {
        this.ansi = ansi;
    }

    static Marks of(final CommandSpec spec)
    {
        return new Marks(spec.commandLine().getColorScheme().ansi());
    }

    static Marks plain()
    {
        return new Marks(Help.Ansi.OFF);
    }

    /** The word, coloured when colour is on. */
    String mark(final String word)
    {
        return ansi.string("@|bold,red " + word + "|@");
    }
}
