package dev.ipckit.wait.internal;

import dev.ipckit.platform.internal.BellRinger;
import dev.ipckit.wait.Waitable;

/**
 * A {@link Waitable} that rings a waiter's doorbell ({@code platform.internal.Doorbells}) when it may have become
 * ready, so {@link dev.ipckit.wait.Waiting} sleeps instead of looking again and again. Pipe ends, queues, events and
 * process sentinels are; a waitable that is not is looked at on a backoff. The ringing contract is
 * {@link BellRinger}'s, which a blocking call's own wait ({@code TimedWait}) uses too.
 */
public interface RingingWaitable extends Waitable, BellRinger
{
}
