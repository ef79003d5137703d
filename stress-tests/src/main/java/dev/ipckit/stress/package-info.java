/**
 * jcstress suites for ipckit's shared values and synchronization primitives, on off-heap region memory mapped twice
 * in the test JVM, and {@link dev.ipckit.stress.JcstressGate}, the pass/fail gate the build runs. The suites live in
 * {@code value}, {@code sync} and {@code teaching}; {@link dev.ipckit.stress.MirroredPool} explains how states get
 * their shared objects. The multi-process stress harness with fault injection is in {@code harness}.
 */
package dev.ipckit.stress;
