package dev.ipckit.examples;

import dev.ipckit.memory.RegionFiles;
import dev.ipckit.process.IpcProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every Java snippet in README.md and docs/*.md is compiled and run, so a snippet that does not compile or does not
 * work fails the build.
 * <p>
 * A snippet that declares a class is compiled as it is and its {@code main} is run. Any other snippet becomes the body
 * of a method; HTML comments right before it, invisible where the page is read, may give what it needs:
 * {@code <!-- snippet-setup: statements -->} are run before it (say, a region the snippet uses), and
 * {@code <!-- snippet: compile-only -->} marks one that is compiled but not run (it names files of the reader's
 * machine). The method's class offers the placeholders the pages use for the reader's own code:
 * {@code handle(job)}, {@code repair()}, {@code slowWork()}, {@code mayHang()}, {@code connect()}. Snippets run with
 * a fresh regions directory, and their child JVMs get the snippets' classes on their class path.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DocSnippetsTest
{
    private static final Pattern BLOCK = Pattern.compile(
        "((?:<!--[^\\n]*?-->\\s*\\n)*)```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern SETUP = Pattern.compile("<!--\\s*snippet-setup:(.*?)-->", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");

    private static Path work;
    private static String directoryBefore;

    @BeforeAll
    static void freshDirectory() throws IOException
    {
        work = Files.createTempDirectory("ipckit-snippets");
        directoryBefore = System.getProperty(RegionFiles.DIRECTORY_PROPERTY);
        final Path regions = work.resolve("regions");
        Files.createDirectory(regions, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        System.setProperty(RegionFiles.DIRECTORY_PROPERTY, regions.toString());
    }

    @AfterAll
    static void restore() throws IOException
    {
        IpcProcess.setDefaultClassPath(null);
        if (directoryBefore == null)
        {
            System.clearProperty(RegionFiles.DIRECTORY_PROPERTY);
        }
        else
        {
            System.setProperty(RegionFiles.DIRECTORY_PROPERTY, directoryBefore);
        }
        try (Stream<Path> files = Files.walk(work))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @TestFactory
    List<DynamicTest> everySnippetCompilesAndRuns() throws IOException
    {
        final Path root = Path.of("..").toAbsolutePath().normalize();
        final List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs")))
        {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path page : pages)
        {
            final Matcher block = BLOCK.matcher(Files.readString(page));
            int index = 0;
            while (block.find())
            {
                final Snippet snippet = new Snippet(root.relativize(page).toString(), ++index, block.group(1), block.group(2));
                tests.add(DynamicTest.dynamicTest(snippet.where(), snippet::compileAndRun));
            }
        }
        assertTrue(tests.size() >= 10, "found only " + tests.size() + " snippets: is the docs folder where it was?");
        return tests;
    }

    private record Snippet(String page, int index, String comments, String code)
    {
        String where()
        {
            return page + " snippet " + index;
        }

        String className()
        {
            final Matcher declared = CLASS_NAME.matcher(code);
            if (declared.find())
            {
                return declared.group(1);
            }
            return "Snippet_" + page.replaceAll("[^A-Za-z0-9]", "_") + "_" + index;
        }

        String source()
        {
            if (CLASS_NAME.matcher(code).find())
            {
                return IMPORTS + code;
            }
            final StringBuilder setup = new StringBuilder();
            final Matcher given = SETUP.matcher(comments);
            while (given.find())
            {
                setup.append(given.group(1).trim()).append('\n');
            }
            return IMPORTS + "public class " + className() + " {\n" + PLACEHOLDERS +
                "    public static void main(String[] args) throws Exception {\n" + setup + code + "\n    }\n}\n";
        }

        void compileAndRun() throws Exception
        {
            final Path classes = work.resolve(className());
            Files.createDirectories(classes);
            final Path file = classes.resolve(className() + ".java");
            Files.writeString(file, source());
            final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8))
            {
                final boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"),
                    null, files.getJavaFileObjects(file)).call();
                if (!compiled)
                {
                    final StringBuilder why = new StringBuilder(where() + " does not compile:\n");
                    for (final Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics())
                    {
                        why.append("  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                    fail(why + "source:\n" + source());
                }
            }
            if (comments.contains("snippet: compile-only"))
            {
                return;
            }
            IpcProcess.setDefaultClassPath(System.getProperty("java.class.path") + File.pathSeparator + classes);
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DocSnippetsTest.class.getClassLoader()))
            {
                // As `java -cp` (or a container) runs a program: its loader is the thread's context loader, through
                // which codecs resolve the program's classes.
                Thread.currentThread().setContextClassLoader(loader);
                loader.loadClass(className()).getMethod("main", String[].class).invoke(null, (Object)new String[0]);
            }
            catch (final InvocationTargetException ex)
            {
                throw new AssertionError(where() + " failed when run: " + ex.getCause(), ex.getCause());
            }
            finally
            {
                Thread.currentThread().setContextClassLoader(DocSnippetsTest.class.getClassLoader());
                IpcProcess.setDefaultClassPath(null);
            }
        }
    }

    private static final String IMPORTS = String.join("\n",
        "import dev.ipckit.*;", "import dev.ipckit.codec.*;", "import dev.ipckit.manager.*;", "import dev.ipckit.memory.*;", "import dev.ipckit.net.*;",
        "import dev.ipckit.platform.*;", "import dev.ipckit.pool.*;", "import dev.ipckit.process.*;",
        "import dev.ipckit.queue.*;", "import dev.ipckit.sync.*;", "import dev.ipckit.value.*;",
        "import dev.ipckit.wait.*;", "import java.io.*;", "import java.nio.file.*;", "import java.time.*;", "import java.util.*;",
        "import java.util.concurrent.*;", "import java.util.function.*;", "") + "\n";

    /** Stand-ins for the reader's own code that the pages call. */
    private static final String PLACEHOLDERS = String.join("\n",
        "    static void handle(Object job) { }",
        "    static void repair() { }",
        "    static long slowWork() { return 42L; }",
        "    static Object mayHang() { return \"done\"; }",
        "    static void connect() { }",
        "");
}
