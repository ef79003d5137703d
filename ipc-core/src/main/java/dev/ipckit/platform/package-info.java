/**
 * What every layer needs from the JVM and the OS: the JVM flag set ({@link dev.ipckit.platform.JvmFlags}), a
 * process identity that survives PID reuse ({@link dev.ipckit.platform.ProcessIdentity}), the check that a
 * directory only this uid can write ({@link dev.ipckit.platform.PrivateDirectory}), and the one filtered way from
 * bytes to objects ({@link dev.ipckit.platform.Deserialization}).
 */
package dev.ipckit.platform;
