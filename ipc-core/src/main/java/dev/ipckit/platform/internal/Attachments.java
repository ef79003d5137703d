package dev.ipckit.platform.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's attach caches, in one place: for each kind of thing a handle can name (a region, a pipe), the one object
 * this JVM has attached for each file or directory, so that a handle arriving in a message or a task reuses what
 * this JVM already maps instead of mapping it again. Each kind keeps its own rules for when an entry is reused (the
 * owner checks the region id, a pipe counts its references under its lock); this class only holds the entries, and
 * can say what is attached ({@link #counts()}). No exit duty uses them: what a JVM attached goes with its mappings.
 *
 * @param <V> what is attached.
 */
public final class Attachments<V>
{
    private static final Map<Class<?>, Attachments<?>> KINDS = new ConcurrentHashMap<>();

    private final Class<V> kind;
    private final Map<Path, V> byPath = new ConcurrentHashMap<>();

    private Attachments(final Class<V> kind)
    {
        this.kind = kind;
    }

    /**
     * The cache of one kind, made on first use.
     *
     * @param kind the class of what is attached.
     * @param <V>  that class.
     * @return the cache, the same one on every call for {@code kind}.
     */
    @SuppressWarnings("unchecked")
    public static <V> Attachments<V> of(final Class<V> kind)
    {
        return (Attachments<V>)KINDS.computeIfAbsent(kind, Attachments::new);
    }

    /**
     * How many things of each kind this JVM has attached now, for diagnostics.
     *
     * @return simple class name to count, sorted by name.
     */
    public static Map<String, Integer> counts()
    {
        final Map<String, Integer> counts = new TreeMap<>();
        KINDS.values().forEach(cache -> counts.put(cache.kind.getSimpleName(), cache.byPath.size()));
        return counts;
    }

    /**
     * @param path the file or directory.
     * @return what is attached for it, or null.
     */
    public V get(final Path path)
    {
        return byPath.get(path);
    }

    /**
     * Records what is attached for a path, replacing what was.
     *
     * @param path  the file or directory.
     * @param value what is attached.
     */
    public void put(final Path path, final V value)
    {
        byPath.put(path, value);
    }

    /**
     * Records what is attached for a path unless something is already.
     *
     * @param path  the file or directory.
     * @param value what is attached.
     * @return what was there, or null when {@code value} was recorded.
     */
    public V putIfAbsent(final Path path, final V value)
    {
        return byPath.putIfAbsent(path, value);
    }

    /**
     * Forgets {@code value} for the path, only if it is what is recorded (a newer attachment stays).
     *
     * @param path  the file or directory.
     * @param value what was attached.
     * @return whether it was forgotten.
     */
    public boolean remove(final Path path, final V value)
    {
        return byPath.remove(path, value);
    }
}
