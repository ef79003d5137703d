/**
 * Internal: not API; may change without notice. Public only for ipckit's own packages and modules; excluded from
 * the javadoc jar.
 * <p>
 * The internals of the {@code platform} layer: a process identity that survives PID reuse ({@code ProcessIdentity}),
 * the check that a directory only this uid can write ({@code PrivateDirectory}), Java serialization to bytes
 * ({@code Serialization}), a serializable lambda's form and its class's deserializer ({@code LambdaForms}), class
 * resolution with a cache ({@code ClassCache}), the named creation steps the
 * creator-death tests halt at ({@code CreationSteps}), and the doorbells that wake a thread asleep in another JVM
 * ({@code Doorbell}, {@code Doorbells}).
 */
package dev.ipckit.platform.internal;
