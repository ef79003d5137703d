package dev.ipckit.examples;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Process pools, as Python's {@code Pool} lesson shows them: {@code map}, {@code apply}, {@code apply_async} with a
 * callback, {@code map_async}, {@code starmap}, a {@code get} that times out, and a task past its time limit whose
 * worker is killed and replaced. Each worker prints what it got and what it returns.
 */
public final class PoolDemo
{
    private static final int WORKERS = 2;

    private PoolDemo()
    {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored.
     * @throws Exception if a step fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(System.out);
    }

    static void run(final PrintStream out) throws Exception
    {
        final ProcessPool pool = ProcessPool.create(
            PoolOptions.defaults().withWorkers(WORKERS).withName("pool").withJvmOptions(Lesson.SMALL_JVM));
        try
        {
            Lesson.say(out, "created " + pool);

            final List<Integer> squares = pool.map(x ->
            {
                Lesson.say("got " + x + " -> " + x * x);
                return x * x;
            }, List.of(1, 2, 3, 4, 5, 6));
            Lesson.say(out, "map(square, [1..6]) = " + squares + " (in the items' order)");
            Lesson.say(out, "worker pids: " + pool.workerPids());

            final String applied = pool.apply(() -> "apply ran in " + Lesson.who());
            Lesson.say(out, "apply(...) = \"" + applied + "\"");

            final CompletableFuture<Integer> cube = pool.applyAsync(() ->
            {
                Lesson.say("applyAsync: computing 5^3");
                return 5 * 5 * 5;
            });
            final CompletableFuture<Void> callback =
                cube.thenAccept(result -> Lesson.say(out, "applyAsync callback got " + result));
            callback.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
            Lesson.say(out, "applyAsync(cube 5).get() = " + cube.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));

            final CompletableFuture<List<Integer>> plus = pool.mapAsync(x -> x + 100, List.of(1, 2, 3));
            Lesson.say(out, "mapAsync(x + 100, [1, 2, 3]).get() = " + plus.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS));

            final List<Integer> products = pool.starmap(args ->
            {
                final int product = (Integer)args[0] * (Integer)args[1];
                Lesson.say("starmap: " + args[0] + " * " + args[1] + " = " + product);
                return product;
            }, List.of(new Object[] {2, 3}, new Object[] {4, 5}, new Object[] {6, 7}));
            Lesson.say(out, "starmap(mul, [(2, 3), (4, 5), (6, 7)]) = " + products);

            final CompletableFuture<String> slow = pool.applyAsync(() ->
            {
                Lesson.work(700);
                return "slow task done in " + Lesson.who();
            });
            try
            {
                slow.get(100, TimeUnit.MILLISECONDS);
                Lesson.say(out, "the slow task was ready within 100 ms (a busy machine can be that slow to ask)");
            }
            catch (final TimeoutException ex)
            {
                Lesson.say(out, "get(100 ms) on a 700 ms task: TimeoutException; the task goes on running");
            }
            Lesson.say(out, "get() again, waiting longer: \"" + slow.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS) + "\"");

            final List<Long> before = pool.workerPids();
            final CompletableFuture<String> hung = pool.applyAsync(() ->
            {
                Lesson.say("starting a task that would take a minute");
                Lesson.work(60_000);
                return "never";
            }, 1, TimeUnit.SECONDS);
            try
            {
                hung.get(Lesson.WAIT_SECONDS, TimeUnit.SECONDS);
                throw new IllegalStateException("the task past its time limit returned instead of timing out");
            }
            catch (final ExecutionException ex)
            {
                Lesson.say(out, "applyAsync(minute-long task, timeout 1 s): " + ex.getCause().getClass().getSimpleName() +
                    ": " + ex.getCause().getMessage());
            }
            final List<Integer> after = pool.map(x -> x * 10, List.of(1, 2));
            Lesson.say(out, "the pool still works: map(x * 10, [1, 2]) = " + after + "; worker pids " + before + " -> " +
                pool.workerPids());
        }
        finally
        {
            Lesson.close(pool);
        }
        Lesson.say(out, "closed: " + pool);
    }
}
