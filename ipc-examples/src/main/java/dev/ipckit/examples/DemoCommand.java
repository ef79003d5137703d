package dev.ipckit.examples;

import dev.ipckit.ops.Cli;
import dev.ipckit.ops.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipckit demo}: runs the lessons ({@link Demos}), all or the named ones. Their output goes to stdout; which
 * demo runs and how long it took goes to stderr as progress lines (never a redrawn bar: the demos write to the same
 * terminal meanwhile).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the demos: every one in turn, or the named ones (--list names them).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every demo ran", "1:a demo failed", "2:bad usage (unknown option, no such demo)"})
public final class DemoCommand implements Callable<Integer>
{
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--list"}, description = "name the demos and what each shows; run none")
    boolean list;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "the demos to run (default: all)")
    List<String> names = new ArrayList<>();

    /**
     * @param out where the demos write.
     * @param err where progress and failures go.
     */
    public DemoCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call()
    {
        if (list)
        {
            Demos.DEMOS.forEach((name, demo) -> out.printf("%-10s %s%n", name, demo.description()));
            out.flush();
            return Cli.OK;
        }
        for (final String name : names)
        {
            if (!Demos.DEMOS.containsKey(name))
            {
                throw new ParameterException(spec.commandLine(),
                    "no demo named '" + name + "'; ipckit demo --list names them");
            }
        }
        final List<String> chosen = names.isEmpty() ? List.copyOf(Demos.DEMOS.keySet()) : names;
        try (Progress progress = new Progress(err, false, "demo", chosen.size()))
        {
            for (final String name : chosen)
            {
                final Demos.Demo demo = Demos.DEMOS.get(name);
                progress.begin(name);
                final long start = System.nanoTime();
                out.println("=== " + name + ": " + demo.description());
                try
                {
                    demo.run(out);
                }
                catch (final Exception ex)
                {
                    out.flush();
                    err.println("ipckit demo " + name + " failed: " + ex);
                    ex.printStackTrace(err);
                    return Cli.FAILED;
                }
                out.println();
                out.flush();
                progress.end(name + " done in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        }
        return Cli.OK;
    }
}
