package dev.ipckit.stress.harness;

/**
 * One invariant checked at the end of a workload: an observed figure and the range its documented bound allows.
 *
 * @param what     what was measured and why the bound holds, in a few words.
 * @param observed the figure measured.
 * @param min      the smallest value allowed.
 * @param max      the largest value allowed.
 */
record Check(String what, long observed, long min, long max)
{
    static Check atMost(final String what, final long observed, final long max)
    {
        return new Check(what, observed, 0, max);
    }

    static Check atLeast(final String what, final long observed, final long min)
    {
        return new Check(what, observed, min, Long.MAX_VALUE);
    }

    static Check exactly(final String what, final long observed, final long expected)
    {
        return new Check(what, observed, expected, expected);
    }

    static Check between(final String what, final long observed, final long min, final long max)
    {
        return new Check(what, observed, min, max);
    }

    boolean passed()
    {
        return observed >= min && observed <= max;
    }

    String allowed()
    {
        return min == max ? Long.toString(min) : min == 0 ? "<= " + max : max == Long.MAX_VALUE ? ">= " + min :
            min + ".." + max;
    }
}
