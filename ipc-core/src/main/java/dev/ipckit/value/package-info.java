/**
 * Typed values and arrays in shared regions: Python's {@code Value} and {@code Array}, across JVMs.
 * <p>
 * <b>Memory-ordering names</b> follow {@link java.util.concurrent.atomic.AtomicLong}, once for all types:
 * <ul>
 *   <li>{@code get} / {@code set}: volatile (sequentially consistent) read and write: the safe default;</li>
 *   <li>{@code getAcquire} / {@code setRelease}: acquire read and release write, for one-writer publication;</li>
 *   <li>{@code getPlain} / {@code setPlain}: plain access, no ordering: for data guarded by a lock or
 *       published by another ordered access;</li>
 *   <li>{@code getAndAdd}, {@code addAndGet}, {@code incrementAndGet}, {@code decrementAndGet},
 *       {@code getAndIncrement}, {@code getAndDecrement}, {@code getAndSet}, {@code compareAndSet}: atomic
 *       read-modify-write with volatile semantics. For {@code double} they work on the raw bits:
 *       {@code compareAndSet} compares bits, so {@code -0.0} and {@code 0.0} differ and a NaN matches itself.</li>
 * </ul>
 * Bulk operations ({@code copyTo}, {@code copyFrom}, {@code fill}, {@code toArray}, {@code toString}) touch each
 * element with plain access and are not a snapshot. No operation on a single element allocates or boxes.
 * <p>
 * Each type is made by {@code create} (fails if the name exists), {@code open} (must exist with this type and
 * length) or {@code openOrCreate} (the initial value applies only when creating). Values and arrays serialize as
 * handles, so a task sent to a child process can capture them and works on the same memory there.
 */
package dev.ipckit.value;
