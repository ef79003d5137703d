package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.Codecs;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An object of the application's own type in a shared region, whose methods any process can call: what Python's
 * {@code BaseManager.register} gives, without a server process.
 * <pre>{@code
 * static final ManagedType<Counter> COUNTER =
 *     ManagedType.of("Counter", Counter.class, Codecs.marshallable(Counter::new), Counter::new);
 *
 * try (SharedManager manager = SharedManager.openOrCreate("app", 1 << 20, RegionOptions.defaults())) {
 *     ManagedObject<Counter> hits = manager.object("hits", COUNTER);  // Python: manager.Counter()
 *     long now = hits.call(Counter::increment);                        // from any process
 * }
 * }</pre>
 * <b>How it lives across JVMs.</b> The object's state is kept encoded (by its {@link ManagedType}'s codec) in the
 * region, under the object's lock. {@link #call} takes the lock, decodes the state, runs the method on it in the
 * calling process, encodes the state again and writes it back, then releases the lock: every call sees the state
 * the previous one left, as calls on Python's server-held object do. A call is all or nothing: if the method throws,
 * or the caller is killed at any instant, the state stays as the last completed call left it (the write back is
 * crash-safe, as every write of a {@link SharedDict} is, and a dead caller's lock is taken over). There is no server
 * to start, to keep alive or to lose, and a call costs a lock and a decode/encode, not a round trip.
 * <p>
 * The price, compared with a server: the type's class must be on every caller's class path (it is, for ipckit's
 * children); the state must be encodable and fit the object's data bytes; and what a method does besides changing
 * the state (a file written, a thread started) happens in the calling process. A method should be quick: the lock
 * is held while it runs.
 * <p>
 * {@link #get()} returns a decoded copy: changing the copy changes nothing shared; use {@link #call} or
 * {@link #update}.
 *
 * @param <T> the state type.
 */
public final class ManagedObject<T> implements AutoCloseable, Attachable
{
    private static final long serialVersionUID = 1L;

    private final transient SharedDict<String, Object> state;
    private final transient String typeId;
    private final transient Class<T> type;
    private final transient Codec<? super T> codec;
    /** Makes the state when the object has none yet (its creator died before writing it); null when re-attached. */
    private final transient Supplier<? extends T> factory;

    private ManagedObject(
        final SharedDict<String, Object> state, final String typeId, final Class<T> type, final Codec<? super T> codec,
        final Supplier<? extends T> factory)
    {
        this.state = state;
        this.typeId = typeId;
        this.type = type;
        this.codec = codec;
        this.factory = factory;
    }

    /**
     * Creates the object with its type's first state; fails if the name exists.
     *
     * @param region    the region.
     * @param name      the object's name.
     * @param type      its type.
     * @param dataBytes most bytes its encoded state may take.
     * @param <T>       the state type.
     * @return the object.
     */
    public static <T> ManagedObject<T> create(
        final SharedRegion region, final String name, final ManagedType<T> type, final int dataBytes)
    {
        final ManagedObject<T> created = of(region, TableObjects.create(region, name, ObjectType.OBJECT, 1, dataBytes),
            type.id(), type.type(), type.codec(), type.factory());
        created.initialise();
        return created;
    }

    /**
     * Opens an existing object.
     *
     * @param region the region.
     * @param name   the object's name.
     * @param type   its type: the object must have been created with a type of this id.
     * @param <T>    the state type.
     * @return the object.
     * @throws IllegalStateException when the object is of another type.
     */
    public static <T> ManagedObject<T> open(final SharedRegion region, final String name, final ManagedType<T> type)
    {
        final ManagedObject<T> opened = of(region, TableObjects.open(region, name, ObjectType.OBJECT),
            type.id(), type.type(), type.codec(), type.factory());
        opened.initialise();
        return opened;
    }

    /**
     * Opens the object, or creates it with its type's first state.
     *
     * @param region    the region.
     * @param name      the object's name.
     * @param type      its type.
     * @param dataBytes most bytes its encoded state may take, when creating.
     * @param <T>       the state type.
     * @return the object.
     * @throws IllegalStateException when the object exists with another type.
     */
    public static <T> ManagedObject<T> openOrCreate(
        final SharedRegion region, final String name, final ManagedType<T> type, final int dataBytes)
    {
        final ManagedObject<T> object = of(region,
            TableObjects.openOrCreate(region, name, ObjectType.OBJECT, 1, dataBytes),
            type.id(), type.type(), type.codec(), type.factory());
        object.initialise();
        return object;
    }

    /**
     * The id of the type an object was created with, without decoding its state (for listings).
     *
     * @param region the region.
     * @param name   the object's name.
     * @return the type id, or empty when the object has no state yet.
     */
    public static Optional<String> typeIdOf(final SharedRegion region, final String name)
    {
        final SharedDict<String, Object> table = SharedDict.object(region,
            TableObjects.open(region, name, ObjectType.OBJECT), Codecs.standard());
        return table.keysOnly().stream().findFirst();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> ManagedObject<T> of(
        final SharedRegion region, final RegionEntry entry, final String typeId, final Class<T> type,
        final Codec<? super T> codec, final Supplier<? extends T> factory)
    {
        return new ManagedObject<>(SharedDict.object(region, entry, (Codec)codec), typeId, type, codec, factory);
    }

    /** Re-attaches in another process (from a {@link ManagedHandle}). */
    static <T> ManagedObject<T> reattach(
        final SharedRegion region, final String name, final String typeId, final Class<T> type,
        final Codec<? super T> codec, final WaitStrategy waitStrategy)
    {
        final ManagedObject<T> object = of(region, TableObjects.open(region, name, ObjectType.OBJECT), typeId, type,
            codec, null);
        return object.withWaitStrategy(waitStrategy);
    }

    /**
     * The same object, waiting for its lock with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same object.
     */
    public ManagedObject<T> withWaitStrategy(final WaitStrategy strategy)
    {
        return new ManagedObject<>(state.withWaitStrategy(strategy), typeId, type, codec, factory);
    }

    /** Gives the object its first state if it has none, and checks its type. */
    private void initialise()
    {
        final SharedRLock lock = state.getLock();
        lock.lock();
        try
        {
            current();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The current state, decoded; under the lock. Writes the first state when there is none and a factory is known. */
    private T current()
    {
        // The id first, undecoded: the state of another type must not reach this type's codec.
        final List<String> ids = state.keysOnly();
        final Object decoded = ids.contains(typeId) ? state.get(typeId) : null;
        if (decoded != null)
        {
            if (!type.isInstance(decoded))
            {
                throw new IllegalStateException(describe() + ": its state decodes to a " +
                    decoded.getClass().getName() +
                    ", not a " + type.getName());
            }
            return type.cast(decoded);
        }
        if (!ids.isEmpty())
        {
            throw new IllegalStateException(describe() + " was created with managed type '" + ids.get(0) +
                "': open it with that type, or give this one another name");
        }
        if (factory == null)
        {
            throw new IllegalStateException(describe() + " has no state yet (its creator died before writing it): " +
                "open it with its ManagedType, which makes the first state");
        }
        final T first = Objects.requireNonNull(factory.get(),
            () -> "the factory of managed type " + typeId + " returned null");
        state.set(typeId, first);
        return first;
    }

    /**
     * Runs a method on the object, from this process, atomically: under the object's lock, on the current state,
     * which is then written back (also when the method changed nothing). Waits for the lock as long as it takes (a
     * dead holder's lock is taken over at once).
     *
     * @param method what to run, e.g. {@code Counter::increment}.
     * @param <R>    the result type.
     * @return the method's result.
     * @throws IllegalArgumentException when the changed state cannot be encoded, and IllegalStateException when it
     *                                  does not fit the object's data bytes: the shared state is unchanged then, as
     *                                  when the method throws.
     */
    public <R> R call(final Function<? super T, ? extends R> method)
    {
        Objects.requireNonNull(method, "method");
        final SharedRLock lock = state.getLock();
        lock.lock();
        try
        {
            return callLocked(method);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@link #call(Function)} waiting at most {@code timeout} for the lock.
     *
     * @param timeout how long to wait for the lock.
     * @param method  what to run.
     * @param <R>     the result type.
     * @return the method's result.
     * @throws TimeoutException     when the lock was not free in time (the method did not run).
     * @throws InterruptedException when interrupted while waiting.
     */
    public <R> R call(final Duration timeout, final Function<? super T, ? extends R> method)
        throws TimeoutException, InterruptedException
    {
        Objects.requireNonNull(method, "method");
        final SharedRLock lock = state.getLock();
        if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS))
        {
            throw new TimeoutException(describe() + ": its lock was not free within " + timeout);
        }
        try
        {
            return callLocked(method);
        }
        finally
        {
            lock.unlock();
        }
    }

    private <R> R callLocked(final Function<? super T, ? extends R> method)
    {
        final T current = current();
        final R result = method.apply(current);
        state.set(typeId, current);
        return result;
    }

    /**
     * Replaces the state by {@code function} of it, atomically (for immutable states, such as records).
     *
     * @param function the new state from the current one; must not return null.
     * @return the new state.
     */
    public T update(final UnaryOperator<T> function)
    {
        Objects.requireNonNull(function, "function");
        final SharedRLock lock = state.getLock();
        lock.lock();
        try
        {
            final T next = Objects.requireNonNull(function.apply(current()), "the new state");
            state.set(typeId, next);
            return next;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A copy of the current state.
     *
     * @return the state, decoded.
     */
    public T get()
    {
        final SharedRLock lock = state.getLock();
        lock.lock();
        try
        {
            return current();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Replaces the state.
     *
     * @param value the new state; not null.
     */
    public void set(final T value)
    {
        Objects.requireNonNull(value, "value");
        final SharedRLock lock = state.getLock();
        lock.lock();
        try
        {
            current(); // checks the type
            state.set(typeId, value);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The object's type id.
     *
     * @return the id its {@link ManagedType} gave.
     */
    public String typeId()
    {
        return typeId;
    }

    /**
     * The object's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return state.name();
    }

    /**
     * The region holding the object.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return state.region();
    }

    /**
     * The object's lock: hold it to make several calls one atomic step.
     *
     * @return the lock (reentrant).
     */
    public SharedRLock getLock()
    {
        return state.getLock();
    }

    /** Closes this view (the object stays in the region). Idempotent. */
    @Override
    public void close()
    {
        state.close();
    }

    @Override
    public String toString()
    {
        return describe();
    }

    private String describe()
    {
        return "managed object '" + state.name() + "' (" + typeId + ") in region " + state.region().name();
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return new ManagedHandle(state.region(), state.name(), ManagedHandle.Kind.OBJECT, null, codec,
            state.getLock().waitStrategy(), new ManagedHandle.TypeOf(typeId, type));
    }
}
