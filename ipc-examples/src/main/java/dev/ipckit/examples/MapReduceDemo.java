package dev.ipckit.examples;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.process.ProcessInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Map-reduce, as Python's word-count lesson shows it: the text is cut into chunks, a pool's workers count the words
 * of each chunk (map), and the main process adds the counts together (reduce). The result is checked against a count
 * made in one process.
 */
public final class MapReduceDemo
{
    static final List<String> TEXT = List.of(
        "a process has its own memory and a thread shares the memory of its process",
        "processes share memory only when they map the same file or segment",
        "a lock in shared memory lets one process at a time change what the others read",
        "a queue carries messages from process to process and a pipe joins two processes",
        "a pool of worker processes takes tasks and gives back results",
        "map splits the work into chunks and reduce joins the results of the chunks",
        "the memory of a process is lost when the process ends but a shared file stays",
        "one process counts the words of one chunk and the main process adds the counts");

    private static final int CHUNK_LINES = 2;
    private static final int TOP = 5;

    private MapReduceDemo()
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
        final List<String> chunks = new ArrayList<>();
        for (int i = 0; i < TEXT.size(); i += CHUNK_LINES)
        {
            chunks.add(String.join(" ", TEXT.subList(i, Math.min(TEXT.size(), i + CHUNK_LINES))));
        }
        Lesson.say(out, TEXT.size() + " lines in " + chunks.size() + " chunks of " + CHUNK_LINES + " lines");

        final ProcessPool pool = ProcessPool.create(
            PoolOptions.defaults().withWorkers(2).withName("mapreduce").withJvmOptions(Lesson.SMALL_JVM));
        final List<HashMap<String, Integer>> partials;
        try
        {
            Lesson.say(out, "workers up: pids " + Lesson.awaitWorkers(pool, x -> ProcessInfo.currentPid()));
            partials = pool.map(chunk ->
            {
                final HashMap<String, Integer> counts = countWords(chunk);
                Lesson.say("map: chunk \"" + chunk.substring(0, 24) + "...\" has " +
                    counts.values().stream().mapToInt(Integer::intValue).sum() + " words, " + counts.size() +
                    " distinct");
                return counts;
            }, chunks, 1);
        }
        finally
        {
            Lesson.close(pool);
        }

        final Map<String, Integer> total = new HashMap<>();
        for (final Map<String, Integer> partial : partials)
        {
            partial.forEach((word, count) -> total.merge(word, count, Integer::sum));
        }
        final int words = total.values().stream().mapToInt(Integer::intValue).sum();
        Lesson.say(out, "reduce: merged " + partials.size() + " partial counts: " + words + " words, " + total.size() +
            " distinct");
        Lesson.say(out, "top " + TOP + ": " + total.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(TOP)
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .collect(Collectors.joining(", ")));
        final boolean same = total.equals(countWords(String.join(" ", TEXT)));
        if (!same)
        {
            throw new IllegalStateException("the map-reduce count differs from a count in one process");
        }
        Lesson.say(out, "same as counting the whole text in one process: " + same);
    }

    /** The map step: each word of {@code text} and how often it occurs. */
    static HashMap<String, Integer> countWords(final String text)
    {
        final HashMap<String, Integer> counts = new HashMap<>();
        for (final String word : text.split("\\s+"))
        {
            if (!word.isEmpty())
            {
                counts.merge(word, 1, Integer::sum);
            }
        }
        return counts;
    }
}
