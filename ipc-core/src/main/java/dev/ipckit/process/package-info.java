/**
 * Python's {@code multiprocessing.Process} for real child JVMs.
 * <p>
 * {@link dev.ipckit.process.IpcProcess} runs a {@link dev.ipckit.process.SerializableRunnable} or
 * {@link dev.ipckit.process.SerializableCallable} in a new JVM with the same class path and the ipckit flag set,
 * forwards the child's output, reports its exit code as Python does and returns its result or its uncaught exception
 * ({@link dev.ipckit.process.RemoteException}). {@link dev.ipckit.process.ProcessInfo} answers "who am I" questions;
 * the child side ({@code ChildMain}, the child JVM's main class) is in {@code dev.ipckit.process.internal}.
 * <p>
 * Lifetime rules: a child notices its parent's death, however it died, through its stdin pipe and exits within about
 * a second; at a parent's exit daemon children are terminated and non-daemon children are waited for.
 */
package dev.ipckit.process;
