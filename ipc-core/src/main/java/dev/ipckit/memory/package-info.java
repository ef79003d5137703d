/**
 * Shared memory regions: memory-mapped files with a validated header, a directory of named, typed objects and an
 * allocator that keeps independently contended words on their own cache lines.
 * <p>
 * {@link dev.ipckit.memory.SharedRegion} is the entry point; {@link dev.ipckit.memory.RegionFiles} finds and cleans
 * stale regions. The file layout is documented, offset by offset, in {@code RegionLayout}.
 */
package dev.ipckit.memory;
