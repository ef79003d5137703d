package dev.ipckit.wait;

/**
 * Something {@link Waiting#any} can wait for: a pipe's end ({@code Connection}), a queue ({@code SharedQueue}), an
 * event ({@code SharedEvent}), a process's sentinel ({@code IpcProcess.sentinel()}) or a network connection
 * ({@code NetConnection}, in ipc-net).
 */
public interface Waitable
{
    /**
     * Whether the thing is ready now: for a connection, a receive would not block (a message is there, or the other
     * end is gone); for a queue, a take would not block; for an event, it is set; for a sentinel, its process has
     * ended. A look only: it never consumes a message or changes state, and it does not block.
     *
     * @return true when ready.
     */
    boolean isReady();
}
