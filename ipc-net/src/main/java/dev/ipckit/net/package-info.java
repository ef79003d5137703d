/**
 * ipckit beyond one machine, on Aeron: {@link dev.ipckit.net.Listener} and {@link dev.ipckit.net.Client} make
 * authenticated {@link dev.ipckit.net.NetConnection}s between processes on different hosts (Python's
 * {@code multiprocessing.connection}), with the methods of a local pipe's end.
 */
package dev.ipckit.net;
