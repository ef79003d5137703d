/**
 * Waiting for any of several things at once, Python's {@code multiprocessing.connection.wait}: pipe ends, process
 * sentinels, queues and events are {@link dev.ipckit.wait.Waitable}, and {@link dev.ipckit.wait.Waiting#any} waits
 * until one or more of them is ready. Depends on nothing else in ipckit, so every layer can offer waitables.
 */
package dev.ipckit.wait;
