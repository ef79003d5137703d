package dev.ipckit.examples;

import java.io.Serializable;

/**
 * What one racer does in its child JVM once the start gate opens: add {@code increments} to the shared counter.
 */
@FunctionalInterface
interface RaceBody extends Serializable
{
    void add(RaceCells cells, int increments);
}
