/**
 * The operations commands of {@code ipckit} ({@code ls}, {@code clean}, {@code repair}) and the conventions every
 * ipckit command keeps ({@link dev.ipckit.ops.Cli}: {@code --help}, {@code --version}, exit codes 0/1/2,
 * {@code NO_COLOR}; {@link dev.ipckit.ops.Progress}: progress on stderr). Depends on ipc-core only.
 */
package dev.ipckit.ops;
