package dev.ipckit.examples;

/**
 * One row of the race demo's table.
 *
 * @param label     the variant's name.
 * @param expected  processes times increments.
 * @param actual    the counter after every racer finished.
 * @param loopNanos the slowest racer's loop, from the opening of the start gate to its last increment.
 */
record RaceResult(String label, long expected, long actual, long loopNanos)
{
    long lost()
    {
        return expected - actual;
    }

    double lostPercent()
    {
        return expected == 0 ? 0 : 100.0 * lost() / expected;
    }
}
