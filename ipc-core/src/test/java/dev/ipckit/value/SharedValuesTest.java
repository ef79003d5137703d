package dev.ipckit.value;

import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedValuesTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("values", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void longHasTheAtomicLongOperations()
    {
        final SharedLong v = SharedLong.create(region, "l", 5);
        assertEquals(5, v.get());
        assertEquals(6, v.incrementAndGet());
        assertEquals(5, v.decrementAndGet());
        assertEquals(5, v.getAndIncrement());
        assertEquals(6, v.getAndDecrement());
        assertEquals(5, v.getAndAdd(10));
        assertEquals(25, v.addAndGet(10));
        assertEquals(25, v.getAndSet(-1));
        assertFalse(v.compareAndSet(0, 1));
        assertTrue(v.compareAndSet(-1, Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, v.incrementAndGet(), "wraps as long arithmetic does");
        v.setPlain(7);
        assertEquals(7, v.getPlain());
        v.setRelease(8);
        assertEquals(8, v.getAcquire());
        v.set(9);
        assertEquals("SharedLong{l=9}", v.toString());
        assertEquals(9, SharedLong.open(region, "l").get(), "a second view sees the same memory");
    }

    @Test
    void intHasTheAtomicIntegerOperations()
    {
        final SharedInt v = SharedInt.create(region, "i", Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, v.incrementAndGet());
        assertEquals(Integer.MIN_VALUE, v.getAndSet(3));
        assertTrue(v.compareAndSet(3, 4));
        assertEquals(4, v.getAndAdd(2));
        assertEquals(6, v.getPlain());
        v.setRelease(1);
        assertEquals(1, v.getAcquire());
        assertEquals("SharedInt{i=1}", v.toString());
    }

    @Test
    void doubleWorksOnItsBits()
    {
        final SharedDouble v = SharedDouble.create(region, "d", 1.5);
        assertEquals(1.5, v.getAndAdd(2.25));
        assertEquals(5.0, v.addAndGet(1.25));
        assertFalse(v.compareAndSet(-0.0, 1), "0.0 and -0.0 differ in bits");
        v.set(-0.0);
        assertTrue(v.compareAndSet(-0.0, Double.NaN));
        assertTrue(v.compareAndSet(Double.NaN, 2.0), "NaN matches its own bits");
        assertEquals(2.0, v.getAndSet(3.0));
        v.setPlain(4.0);
        assertEquals(4.0, v.getPlain());
        v.setRelease(5.0);
        assertEquals(5.0, v.getAcquire());
    }

    @Test
    void byteWrapsLikeAByteAndReadsAsAChar()
    {
        final SharedByte v = SharedByte.create(region, "b", (byte)127);
        assertEquals((byte)-128, v.incrementAndGet());
        assertEquals((byte)127, v.decrementAndGet());
        assertEquals((byte)127, v.getAndAdd(2));
        assertEquals((byte)-127, v.get());
        assertTrue(v.compareAndSet((byte)-127, (byte)'A'));
        assertEquals('A', v.getChar());
        assertEquals((byte)'A', v.getAndSet((byte)0));
        v.setRelease((byte)-1);
        assertEquals((byte)-1, v.getAcquire());
        assertEquals((byte)-1, v.getPlain());
    }

    @Test
    void booleanBehavesLikeAtomicBoolean()
    {
        final SharedBoolean v = SharedBoolean.create(region, "flag", false);
        assertFalse(v.get());
        assertTrue(v.compareAndSet(false, true));
        assertFalse(v.compareAndSet(false, true));
        assertTrue(v.getAndSet(false));
        v.setRelease(true);
        assertTrue(v.getAcquire());
        v.setPlain(false);
        assertFalse(v.getPlain());
    }

    @Test
    void openOrCreateKeepsTheFirstInitialValueAndChecksTheType()
    {
        assertEquals(1, SharedLong.openOrCreate(region, "once", 1).get());
        assertEquals(1, SharedLong.openOrCreate(region, "once", 2).get());
        final RegionException ex = assertThrows(RegionException.class, () -> SharedDouble.open(region, "once"));
        assertEquals(RegionException.Reason.TYPE_MISMATCH, ex.reason());
        assertThrows(RegionException.class, () -> SharedLong.create(region, "once", 3));
    }

    @Test
    void longAndIntArraysHaveElementOperationsBulkCopyAndBoundsChecks()
    {
        final SharedLongArray a = SharedLongArray.create(region, "la", new long[] {1, 2, 3, 4});
        assertEquals(4, a.length());
        assertEquals(3, a.incrementAndGet(1));
        assertEquals(3, a.getAndAdd(2, 7));
        assertTrue(a.compareAndSet(3, 4, 40));
        assertEquals(10, a.getAndSet(2, 30));
        assertEquals("SharedLongArray{la=[1, 3, 30, 40]}", a.toString());
        a.fill(1, 3, 9);
        assertArrayEquals(new long[] {1, 9, 9, 40}, a.toArray());
        a.copyFrom(new long[] {7, 8}, 0, 2, 2);
        final long[] out = new long[3];
        a.copyTo(1, out, 0, 3);
        assertArrayEquals(new long[] {9, 7, 8}, out);
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(2, out, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.fill(0, 5, 1));

        final SharedIntArray i = SharedIntArray.create(region, "ia", 3);
        i.fill(2);
        assertEquals(3, i.incrementAndGet(0));
        assertEquals(1, i.decrementAndGet(1));
        assertArrayEquals(new int[] {3, 1, 2}, i.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> i.getAndAdd(3, 1));
        assertEquals(3, SharedIntArray.openOrCreate(region, "ia", 3).get(0));
        assertThrows(RegionException.class, () -> SharedIntArray.openOrCreate(region, "ia", 4));
    }

    @Test
    void doubleArrayAddsAndCopies()
    {
        final SharedDoubleArray a = SharedDoubleArray.create(region, "da", new double[] {0.5, 1.5});
        assertEquals(0.5, a.getAndAdd(0, 1.0));
        assertEquals(3.0, a.addAndGet(1, 1.5));
        assertTrue(a.compareAndSet(0, 1.5, -2.0));
        assertArrayEquals(new double[] {-2.0, 3.0}, a.toArray());
        assertEquals("SharedDoubleArray{da=[-2.0, 3.0]}", a.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(2));
    }

    @Test
    void byteArrayAtomicsLeaveNeighboursAloneAndHoldText()
    {
        final SharedByteArray a = SharedByteArray.create(region, "ba", 10);
        a.fill((byte)5);
        assertEquals((byte)6, a.incrementAndGet(1));
        assertEquals((byte)5, a.getAndSet(2, (byte)-1));
        assertTrue(a.compareAndSet(3, (byte)5, (byte)127));
        assertFalse(a.compareAndSet(3, (byte)5, (byte)0));
        assertEquals((byte)-128, a.incrementAndGet(3));
        assertArrayEquals(new byte[] {5, 6, -1, -128, 5, 5, 5, 5, 5, 5}, a.toArray());

        a.setString("héllo");
        assertEquals("héllo", a.getString());
        a.setString("0123456789");
        assertEquals("0123456789", a.getString());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> a.setString("01234567890"));
        assertTrue(ex.getMessage().contains("holds 10 bytes; the text needs 11"), ex.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(10));
    }

    @Test
    void neighbouringBytesUpdatedByTwoThreadsLoseNothing() throws Exception
    {
        final SharedByteArray a = SharedByteArray.create(region, "neighbours", 4);
        final int rounds = 200_000;
        final Thread t0 = new Thread(() -> { for (int i = 0; i < rounds; i++) { a.incrementAndGet(0); } });
        final Thread t1 = new Thread(() -> { for (int i = 0; i < rounds; i++) { a.decrementAndGet(1); } });
        t0.start();
        t1.start();
        t0.join(30_000);
        t1.join(30_000);
        assertEquals((byte)rounds, a.get(0));
        assertEquals((byte)-rounds, a.get(1));
        assertEquals(0, a.get(2));
    }

    @Test
    void valuesAndArraysTravelAsHandles() throws Exception
    {
        final SharedLong counter = SharedLong.create(region, "travel", 41);
        final SharedIntArray array = SharedIntArray.create(region, "travelArray", new int[] {1, 2});
        final Object[] copies = (Object[])deserialize(serialize(new Object[] {counter, array}));
        final SharedLong counterCopy = (SharedLong)copies[0];
        final SharedIntArray arrayCopy = (SharedIntArray)copies[1];
        assertEquals(42, counterCopy.incrementAndGet());
        assertEquals(42, counter.get());
        arrayCopy.set(1, 20);
        assertEquals(20, array.get(1));
        assertSame(region, counterCopy.region());
    }

    static byte[] serialize(final Object object) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(final byte[] bytes) throws Exception
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readObject();
        }
    }

    @Test
    void valuesCarryTheirLockUnlessCreatedRaw() throws Exception
    {
        final SharedLong locked = SharedLong.create(region, "locked", 1);
        assertTrue(locked.hasLock());
        final dev.ipckit.sync.SharedRLock lock = locked.getLock();
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount(), "Python's get_lock() is reentrant");
        lock.unlock();
        lock.unlock();
        assertTrue(SharedLong.open(region, "locked").hasLock());
        assertTrue(SharedDoubleArray.create(region, "da", 3).getLock().tryLock());

        final SharedInt raw = SharedInt.createRaw(region, "raw", 7);
        assertFalse(raw.hasLock());
        assertEquals(7, raw.get());
        final IllegalStateException noLock = assertThrows(IllegalStateException.class, raw::getLock);
        assertTrue(noLock.getMessage().contains("raw"), noLock.getMessage());
        assertFalse(SharedByteArray.createRaw(region, "rb", 4).hasLock());
        assertTrue(region.freeBytes() > 0);
    }
}
