/**
 * Internal: not API; may change without notice. The media driver of this JVM and the framing of connections.
 */
package dev.ipckit.net.internal;
