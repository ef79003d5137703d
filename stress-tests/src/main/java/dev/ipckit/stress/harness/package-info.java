/**
 * The multi-process stress harness ({@code ./ipckit stress}, {@link dev.ipckit.stress.harness.StressCommand}):
 * workloads of child JVMs ({@code counter}, {@code atomic}, {@code semaphore}, {@code queue}, {@code pipe},
 * {@code pool}) run while a seeded fault injector SIGKILLs and SIGSTOPs/SIGCONTs their participants; killed
 * participants are started again; each workload checks its invariants against its documented bound (lost or
 * duplicated updates and messages, no deadlock, no file left behind) and the run ends with a report and an exit code.
 */
package dev.ipckit.stress.harness;
