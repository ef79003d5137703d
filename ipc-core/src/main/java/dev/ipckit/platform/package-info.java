/**
 * What every layer needs from the JVM and the OS, as far as users see it: the JVM flag set
 * ({@link dev.ipckit.platform.JvmFlags}) and the one filtered way from bytes to objects
 * ({@link dev.ipckit.platform.Deserialization}). The rest of this layer (process identity, the private-directory
 * check, serialization, creation steps) is in {@code dev.ipckit.platform.internal}.
 */
package dev.ipckit.platform;
