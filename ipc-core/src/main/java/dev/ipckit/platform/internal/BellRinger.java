package dev.ipckit.platform.internal;

/**
 * Something a waiter waits on that rings the waiter's {@link Doorbell} when it may have changed, so the waiter sleeps
 * instead of looking again and again: a pipe end, a queue, an event (through the waiter table of their region). Used
 * by {@link TimedWait}'s sleeps and by {@code Waiting.any}.
 */
public interface BellRinger
{
    /** {@link #ringWhenReady}'s answer when every change that makes the object ready rings. */
    long ONLY_WHEN_RUNG = Long.MAX_VALUE;

    /** {@link #ringWhenReady}'s answer when the object could not take the bell: look again on a backoff. */
    long LOOK_AGAIN_SOON = 0;

    /**
     * Asks to ring {@code bell} when the object may have become ready. The waiter looks at the object after this
     * returns, and sleeps only when it is not ready; the call is a full fence (see {@code WaiterTable}).
     *
     * @param bell the waiter's bell id.
     * @return how long the waiter may sleep, in nanoseconds, before it must look again without a ring:
     *     {@link #ONLY_WHEN_RUNG}, a period for changes that ring nobody (a process that dies), or
     *     {@link #LOOK_AGAIN_SOON}.
     */
    long ringWhenReady(int bell);

    /**
     * Withdraws {@link #ringWhenReady}, once the waiter is awake (rung or not). A no-op when the bell was rung.
     *
     * @param bell the waiter's bell id.
     */
    void stopRinging(int bell);
}
