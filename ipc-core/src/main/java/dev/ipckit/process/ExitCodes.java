package dev.ipckit.process;

/**
 * Python's exit code convention for Java's {@link Process#exitValue()}.
 */
final class ExitCodes
{
    /** Java, like the shell, reports death by signal N as 128 + N. */
    private static final int SIGNAL_BASE = 128;
    private static final int HIGHEST_SIGNAL = 64;

    private ExitCodes()
    {
    }

    /**
     * 0..128 and 193..255 unchanged; 129..192 (signal 1..64) as -1..-64, as Python reports a death by signal.
     *
     * @param exitValue the value from {@link Process#exitValue()}.
     * @return the Python-style exit code.
     */
    static int fromExitValue(final int exitValue)
    {
        if (exitValue > SIGNAL_BASE && exitValue <= SIGNAL_BASE + HIGHEST_SIGNAL)
        {
            return -(exitValue - SIGNAL_BASE);
        }
        return exitValue;
    }
}
