/**
 * Internal: not API; may change without notice. Public only for ipckit's own packages and modules; excluded from
 * the javadoc jar.
 * <p>
 * The internals of the {@code process} layer: the child JVM's main class ({@code ChildMain}), the header the
 * parent writes to a child's stdin ({@code ChildProtocol}), the result file ({@code ResultCodec}, {@code Outcome},
 * {@code ThrowableText}), the registry of this JVM's children ({@code Children}) and what this JVM is
 * ({@code CurrentProcess}).
 */
package dev.ipckit.process.internal;
