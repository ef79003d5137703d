/**
 * What every layer needs from the JVM and the OS: the JVM flag set ({@link dev.ipckit.platform.JvmFlags}) and a
 * process identity that survives PID reuse ({@link dev.ipckit.platform.ProcessIdentity}).
 */
package dev.ipckit.platform;
