package dev.ipckit.manager;

/**
 * A thread's encode and decode buffers, shared by every dict, list and namespace the thread uses. Keys and values are
 * encoded before the lock is taken and decoded after it is released, so the lock is held only while bytes are
 * compared and copied. A call never relies on them across user code (a compute function may use other tables).
 */
final class Scratch
{
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** The key of the call. */
    final Encoded key = new Encoded();
    /** The value or element the call stores, or compares. */
    final Encoded value = new Encoded();
    /** The value or element the call reads out. */
    final Encoded out = new Encoded();

    private Scratch()
    {
    }

    static Scratch current()
    {
        return CURRENT.get();
    }
}
