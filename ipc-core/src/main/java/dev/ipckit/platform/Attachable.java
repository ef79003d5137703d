package dev.ipckit.platform;

import java.io.Serializable;

/**
 * An ipckit object that travels to another process as a small handle and re-attaches there to the same shared
 * state: a region, a value or array, a lock or another primitive, a queue, a pipe's end, a managed structure.
 * {@code Codecs.standard()} carries these inside messages (Python passes connections through queues), so a queue
 * can hand a pipe's end or a lock to whichever process takes the message.
 */
public interface Attachable extends Serializable
{
}
