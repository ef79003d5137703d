package dev.ipckit.examples;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo registry behind {@code ipckit demo}.
 */
final class Demos
{
    /** One demo: a description and the code that prints it. */
    interface Demo
    {
        String description();

        void run(PrintStream out) throws Exception;
    }

    static final Map<String, Demo> DEMOS = new LinkedHashMap<>();

    static
    {
        DEMOS.put("processes", demo("start, join, pid, name, alive, exit codes, terminate and kill", ProcessBasicsDemo::run));
        DEMOS.put("values", demo("shared Value and Array (long, double, char) changed by child processes", SharedMemoryDemo::run));
        DEMOS.put("race", demo("processes race on one counter: no lock, a broken lock, SharedLock, incrementAndGet",
            out -> RaceDemo.run(RaceOptions.defaults(), out)));
    }

    private Demos()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 1 && IpckitCli.isHelp(args[0]))
        {
            out.println("usage: ipckit demo [--list] [name...]   (no name: every demo in turn)");
            return IpckitCli.OK;
        }
        if (args.length == 1 && "--list".equals(args[0]))
        {
            DEMOS.forEach((name, demo) -> out.printf("%-10s %s%n", name, demo.description()));
            return IpckitCli.OK;
        }
        for (final String name : args)
        {
            if (!DEMOS.containsKey(name))
            {
                err.println("ipckit demo: no demo named '" + name + "'; ipckit demo --list names them");
                return IpckitCli.USAGE;
            }
        }
        final Iterable<String> chosen = args.length == 0 ? DEMOS.keySet() : java.util.List.of(args);
        for (final String name : chosen)
        {
            final Demo demo = DEMOS.get(name);
            out.println("=== " + name + ": " + demo.description());
            try
            {
                demo.run(out);
            }
            catch (final Exception ex)
            {
                err.println("ipckit demo " + name + " failed: " + ex);
                ex.printStackTrace(err);
                return IpckitCli.FAILED;
            }
            out.println();
        }
        return IpckitCli.OK;
    }

    private static Demo demo(final String description, final DemoBody body)
    {
        return new Demo()
        {
            public String description()
            {
                return description;
            }

            public void run(final PrintStream out) throws Exception
            {
                body.run(out);
            }
        };
    }

    @FunctionalInterface
    interface DemoBody
    {
        void run(PrintStream out) throws Exception;
    }
}
