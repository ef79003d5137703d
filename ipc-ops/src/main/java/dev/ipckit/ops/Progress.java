package dev.ipckit.ops;

import java.io.PrintStream;

/**
 * Progress of a long command on stderr, so that stdout holds only the result. On a terminal a one-line bar redrawn
 * in place with {@code \r}; otherwise (a file, a pipe, CI) plain lines, one per step.
 * <p>
 * A command runs {@link #total} steps: {@link #begin} announces a step, {@link #at} moves the bar within it (terminal
 * only), {@link #end} finishes it with a result line.
 */
public final class Progress implements AutoCloseable
{
    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean redraw;
    private final String label;
    private final int total;
    private int done;
    private String step = "";
    /** Characters of the bar line on the terminal now (0: none), overwritten with spaces when it goes. */
    private int drawn;

    /**
     * @param err    where progress goes (stderr).
     * @param redraw whether to redraw a bar in place: only when stderr is a terminal.
     * @param label  what runs, e.g. {@code stress}.
     * @param total  how many steps it has.
     */
    public Progress(final PrintStream err, final boolean redraw, final String label, final int total)
    {
        this.err = err;
        this.redraw = redraw;
        this.label = label;
        this.total = Math.max(total, 1);
    }

    /**
     * Progress on {@code System.err}, as a bar when it is a terminal ({@code System.console() != null}).
     *
     * @param label what runs.
     * @param total how many steps.
     * @return the progress.
     */
    public static Progress onStderr(final String label, final int total)
    {
        return new Progress(System.err, System.console() != null, label, total);
    }

    /**
     * Starts a step.
     *
     * @param what the step, e.g. {@code counter: 4 processes, 30 s}.
     */
    public synchronized void begin(final String what)
    {
        step = what;
        if (redraw)
        {
            draw(0);
        }
        else
        {
            err.println("[" + label + " " + (done + 1) + "/" + total + "] " + what);
            err.flush();
        }
    }

    /**
     * Moves the bar within the current step (a terminal only: plain output does not repeat lines).
     *
     * @param fraction how far the step is, 0..1.
     */
    public synchronized void at(final double fraction)
    {
        if (redraw)
        {
            draw(Math.max(0, Math.min(1, fraction)));
        }
    }

    /**
     * Ends the current step with a line that stays.
     *
     * @param result what the step found.
     */
    public synchronized void end(final String result)
    {
        done = Math.min(done + 1, total);
        clearLine();
        err.println("[" + label + " " + done + "/" + total + "] " + result);
        err.flush();
    }

    private void draw(final double within)
    {
        final double fraction = (done + within) / total;
        final int filled = (int)Math.round(fraction * WIDTH);
        // No escape sequences (NO_COLOR users get none): a shorter line is padded over the longer one with spaces.
        final String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " +
            String.format("%3d%%", (int)Math.round(fraction * 100)) + " " + label + " " + (done + 1) + "/" + total + " " +
            step;
        err.print("\r" + bar + " ".repeat(Math.max(0, drawn - bar.length())));
        err.flush();
        drawn = bar.length();
    }

    private void clearLine()
    {
        if (drawn > 0)
        {
            err.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }

    @Override
    public synchronized void close()
    {
        clearLine();
        err.flush();
    }
}
