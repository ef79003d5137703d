package dev.ipckit.examples;

import dev.ipckit.memory.RegionFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Runs a demo with {@code System.out} captured (so children's lines are part of the text) and checks its output. */
final class DemoOutput
{
    private DemoOutput()
    {
    }

    /**
     * Runs the demo, echoes what it printed, and checks it left no region, queue or pipe of this JVM behind.
     *
     * @return everything it and its children printed.
     */
    static String capture(final Demos.DemoBody demo) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try
        {
            demo.run(capture);
        }
        finally
        {
            System.setOut(original);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        assertNothingLeft();
        return text;
    }

    /** No file of this JVM (temporary names carry the creator's pid) is left in the default directory. */
    static void assertNothingLeft() throws IOException
    {
        final Path directory = RegionFiles.defaultDirectory();
        if (!Files.isDirectory(directory))
        {
            return;
        }
        final String mark = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(directory))
        {
            final List<String> left = files.map(file -> file.getFileName().toString())
                .filter(name -> name.contains(mark))
                .collect(Collectors.toList());
            assertEquals(List.of(), left, "the demo left these behind in " + directory);
        }
    }

    /** How many times {@code regex} matches in {@code text}. */
    static int count(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find())
        {
            count++;
        }
        return count;
    }

    /** Asserts {@code regex} matches somewhere in {@code text}. */
    static void assertFinds(final String text, final String regex)
    {
        assertTrue(Pattern.compile(regex).matcher(text).find(), "no match for /" + regex + "/ in:\n" + text);
    }

    /** Asserts {@code text} holds {@code fact}. */
    static void assertHas(final String text, final String fact)
    {
        assertTrue(text.contains(fact), "missing \"" + fact + "\" in:\n" + text);
    }

    /** The first group of {@code regex} in {@code text}. */
    static String group(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "no match for /" + regex + "/ in:\n" + text);
        return matcher.group(1);
    }
}
