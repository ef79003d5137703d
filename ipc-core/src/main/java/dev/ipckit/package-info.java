/**
 * What sits on top of the toolkit's layers: {@link dev.ipckit.IpcContext}, Python's {@code get_context}, which makes
 * processes, pools and queues with one start method. The packages below do the work: {@code process} (child JVMs and
 * start methods), {@code pool}, {@code queue}, {@code value}, {@code sync}, {@code memory}, {@code manager}.
 */
package dev.ipckit;
