package dev.ipckit.codec;

import dev.ipckit.manager.SharedList;
import dev.ipckit.manager.SharedManager;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.Connection;
import dev.ipckit.queue.Pipe;
import dev.ipckit.queue.PipeOptions;
import dev.ipckit.queue.QueueOptions;
import dev.ipckit.queue.SharedQueue;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.testing.ChildJvms;
import dev.ipckit.value.SharedLong;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ipckit's shared objects inside messages of the standard codec, as Python passes connections through queues and
 * keeps managed lists in managed dicts: they travel as handles and re-attach in whichever process decodes them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandlesInMessagesTest
{
    private static final String[] CHILD_JVM = ChildJvms.SMALL;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException
    {
        ChildJvms.killLeftovers();
    }

    @Test
    void aPipeEndSentThroughAQueueLetsTheProcessThatTakesItAnswer() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create("handoff", QueueOptions.defaults().withDirectory(dir));
             Pipe pipe = Pipe.create(PipeOptions.defaults().withDirectory(dir)))
        {
            final IpcProcess<Object> child = IpcProcess.of(() ->
            {
                final Connection reply = (Connection)queue.take(); // the task captured only the queue
                reply.send("pong " + reply.recv());
                return null;
            }).jvmOptions(CHILD_JVM).start();
            queue.put(pipe.end2());
            pipe.end1().send("ping");
            assertEquals("pong ping", pipe.end1().recv(60, TimeUnit.SECONDS));
            assertTrue(child.join(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aManagedListALockAnEventAndAQueueInsideAManagedDictAreUsedFromAnotherProcess() throws Exception
    {
        try (SharedManager manager = SharedManager.create("nested", 4 << 20, RegionOptions.defaults().withDirectory(dir));
             SharedQueue<Object> results = SharedQueue.create("results", QueueOptions.defaults().withDirectory(dir)))
        {
            final SharedList<Object> jobs = manager.list("jobs");
            jobs.add("job-1");
            final var outer = manager.dict("outer");
            outer.put("jobs", jobs);                                  // Python: d['jobs'] = m.list()
            outer.put("lock", SharedLock.create(manager.region(), "lock"));
            outer.put("done", SharedEvent.create(manager.region(), "done"));
            outer.put("results", results);
            final SharedManager travelling = manager;

            final IpcProcess<Object> child = IpcProcess.of(() ->
            {
                final var dict = travelling.dict("outer");
                @SuppressWarnings("unchecked")
                final SharedList<Object> list = (SharedList<Object>)dict.get("jobs");
                final SharedLock lock = (SharedLock)dict.get("lock");
                lock.lock();
                try
                {
                    list.add("job-2 from the child");
                }
                finally
                {
                    lock.unlock();
                }
                @SuppressWarnings("unchecked")
                final SharedQueue<Object> out = (SharedQueue<Object>)dict.get("results");
                out.put(list.size());
                ((SharedEvent)dict.get("done")).set();
                return null;
            }).jvmOptions(CHILD_JVM).start();

            assertTrue(((SharedEvent)outer.get("done")).await(60, TimeUnit.SECONDS), "the child set the nested event");
            assertEquals(2, results.poll(60, TimeUnit.SECONDS));
            assertEquals(List.of("job-1", "job-2 from the child"), outer.get("jobs"), "the nested list, read back");
            assertTrue(child.join(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aValueRoundTripsInProcessAndAForgedHandleIsRejected() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("values", 1 << 16, RegionOptions.defaults().withDirectory(dir)))
        {
            final SharedLong counter = SharedLong.create(region, "counter", 41);
            final SharedLong decoded = (SharedLong)CodecTesting.roundTrip(Codecs.standard(), counter);
            assertEquals("counter", decoded.name());
            assertEquals(42, decoded.incrementAndGet());
            assertEquals(42, counter.get(), "the same shared value");
        }

        final IllegalStateException map = assertThrows(IllegalStateException.class,
            () -> Codecs.standard().decode(handleBytes(new HashMap<String, String>())));
        assertTrue(map.getMessage().contains("rejected by the deserialization filter"), map.getMessage());
        final IllegalStateException number = assertThrows(IllegalStateException.class,
            () -> Codecs.standard().decode(handleBytes(7L)));
        assertTrue(number.getMessage().contains("not an ipckit object"), number.getMessage());
    }

    /** A handle tag followed by the Java serialization of anything: what a forger would write. */
    private static Bytes<?> handleBytes(final Object anything) throws Exception
    {
        final ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized))
        {
            out.writeObject(anything);
        }
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeByte(StandardCodec.HANDLE);
        bytes.write(serialized.toByteArray());
        return bytes;
    }
}
