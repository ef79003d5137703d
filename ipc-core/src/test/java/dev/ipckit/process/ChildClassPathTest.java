package dev.ipckit.process;

import dev.ipckit.platform.JvmFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which class path and java executable a child gets, and what happens where no class path can load the task. */
@Timeout(120)
class ChildClassPathTest
{
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** A task a child runs: the child's feature release. */
    public static final class FeatureRelease implements SerializableCallable<Integer>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call()
        {
            return Runtime.version().feature();
        }
    }

    /** Run inside {@link ExecJavaLauncher}'s class loader: starts a child and prints what it returned. */
    public static final class ExecJavaMain
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcProcess<Integer> child = IpcProcess.of(new FeatureRelease()).start();
            System.out.println(child.join(Duration.ofSeconds(60)) ? "child returned " + child.result() : "child hung");
        }
    }

    @AfterEach
    void restore()
    {
        IpcProcess.setDefaultClassPath(null);
        IpcProcess.setDefaultJavaExecutable(null);
    }

    @Test
    void aTaskWhoseClassNoClassPathCanLoadIsRefusedAtStartWithWhatToDo() throws Exception
    {
        final ClassLoader inMemory = new InMemoryLoader(FeatureRelease.class.getName());
        final Class<?> type = inMemory.loadClass(FeatureRelease.class.getName());
        assertSame(inMemory, type.getClassLoader());
        @SuppressWarnings("unchecked")
        final IpcProcess<Integer> process =
            IpcProcess.of((SerializableCallable<Integer>)type.getDeclaredConstructor().newInstance());
        final IllegalStateException refused = assertThrows(IllegalStateException.class, process::start);
        assertTrue(refused.getMessage().contains(FeatureRelease.class.getName()), refused.getMessage());
        assertTrue(refused.getMessage().contains("IpcProcess.classPath("), refused.getMessage());
        assertTrue(refused.getMessage().contains("-Dipckit.child.classpath"), refused.getMessage());

        // Class paths found are kept per class; a refusal is not: the next process of the class is refused too.
        @SuppressWarnings("unchecked")
        final IpcProcess<Integer> again =
            IpcProcess.of((SerializableCallable<Integer>)type.getDeclaredConstructor().newInstance());
        assertThrows(IllegalStateException.class, again::start);
    }

    @Test
    void aTaskThatAUrlClassLoaderDefinedFromMemoryIsRefusedAtStartAsUnderJshell() throws Exception
    {
        // jshell's class loader is a URLClassLoader whose snippet classes are in none of its URLs.
        final ClassLoader jshellLike = new SnippetLoader(FeatureRelease.class.getName());
        @SuppressWarnings("unchecked")
        final IpcProcess<Integer> process = IpcProcess.of((SerializableCallable<Integer>)
            jshellLike.loadClass(FeatureRelease.class.getName()).getDeclaredConstructor().newInstance());
        final IllegalStateException refused = assertThrows(IllegalStateException.class, process::start);
        assertTrue(refused.getMessage().contains("in none of its class loader's jars or directories"), refused.getMessage());
    }

    @Test
    void theSameTaskRunsWhenTheProcessIsGivenAClassPath() throws Exception
    {
        final ClassLoader inMemory = new InMemoryLoader(FeatureRelease.class.getName());
        @SuppressWarnings("unchecked")
        final IpcProcess<Integer> process = IpcProcess.of((SerializableCallable<Integer>)
            inMemory.loadClass(FeatureRelease.class.getName()).getDeclaredConstructor().newInstance());
        process.classPath(System.getProperty("java.class.path")).start();
        assertTrue(process.join(Duration.ofSeconds(60)));
        assertEquals(Runtime.version().feature(), process.result());
    }

    @Test
    void underAnExecJavaStyleClassLoaderTheChildGetsThatLoadersClassPath(@TempDir final Path dir) throws Exception
    {
        final String name = ExecJavaLauncher.class.getName().replace('.', '/') + ".class";
        final Path copy = dir.resolve(name);
        Files.createDirectories(copy.getParent());
        try (InputStream in = ExecJavaLauncher.class.getClassLoader().getResourceAsStream(name))
        {
            Files.copy(in, copy);
        }
        final List<String> command = new ArrayList<>();
        command.add(ChildCommand.javaBinary().toString());
        command.addAll(JvmFlags.forCurrentRuntime());
        command.addAll(List.of("-cp", dir.toString(), ExecJavaLauncher.class.getName(),
            System.getProperty("java.class.path"), ExecJavaMain.class.getName()));
        final String output = run(command);
        assertTrue(output.contains("child returned " + Runtime.version().feature()), output);
    }

    @Test
    void aChildWithAClassPathThatLacksTheTaskFailsNamingTheClass() throws Exception
    {
        final List<String> withoutTests = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (!entry.endsWith("test-classes"))
            {
                withoutTests.add(entry);
            }
        }
        final IpcProcess<Integer> process = IpcProcess.of(new FeatureRelease())
            .classPath(String.join(File.pathSeparator, withoutTests)).start();
        assertTrue(process.join(Duration.ofSeconds(60)));
        assertEquals(1, process.exitCode().orElse(-1000));
        final String why = process.stderrTail();
        assertTrue(why.contains("cannot load class " + FeatureRelease.class.getName() + " of its task from its class path " +
            String.join(File.pathSeparator, withoutTests)), why);
        assertTrue(why.contains("IpcProcess.classPath"), why);
    }

    @Test
    void aGivenJavaExecutableStartsTheChildWithTheFlagsOfItsRelease() throws Exception
    {
        assumeTrue(Files.isExecutable(JDK_25), "needs a JDK 25 at " + JDK_25);
        assertEquals(25, ChildCommand.featureOf(JDK_25));
        final IpcProcess<Integer> process = IpcProcess.of(new FeatureRelease()).javaExecutable(JDK_25).start();
        assertTrue(process.join(Duration.ofSeconds(60)));
        assertEquals(25, process.result(), process.stderrTail());
        assertFalse(process.stderrTail().contains("sun.misc.Unsafe"), "JDK 24+ flags given: " + process.stderrTail());
    }

    @Test
    void theGlobalJavaExecutableAppliesToChildrenWithoutTheirOwn() throws Exception
    {
        assumeTrue(Files.isExecutable(JDK_25), "needs a JDK 25 at " + JDK_25);
        IpcProcess.setDefaultJavaExecutable(JDK_25);
        final IpcProcess<Integer> process = IpcProcess.of(new FeatureRelease()).start();
        assertTrue(process.join(Duration.ofSeconds(60)));
        assertEquals(25, process.result());
    }

    @Test
    void misuseIsAClearError()
    {
        assertThrows(IllegalArgumentException.class, () -> IpcProcess.of(new FeatureRelease()).classPath(" "));
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> IpcProcess.of(new FeatureRelease()).javaExecutable(Path.of("/no/such/java")));
        assertTrue(missing.getMessage().contains("/no/such/java"));
        assertThrows(IllegalArgumentException.class, () -> IpcProcess.setDefaultClassPath(""));
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return output;
    }

    /** Defines one class itself from its bytes, as jshell and the source launcher do: no class path to give a child. */
    private static final class InMemoryLoader extends ClassLoader
    {
        private final String only;

        InMemoryLoader(final String only)
        {
            super(ChildClassPathTest.class.getClassLoader());
            this.only = only;
        }

        @Override
        protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
        {
            if (!name.equals(only))
            {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name))
            {
                final Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineFromBytes(getParent(), name,
                    bytes -> defineClass(name, bytes, 0, bytes.length));
            }
        }
    }

    /** A URLClassLoader with no URLs that defines one class from bytes, as jshell's loader defines its snippets. */
    private static final class SnippetLoader extends java.net.URLClassLoader
    {
        private final String only;

        SnippetLoader(final String only)
        {
            super(new java.net.URL[0], ChildClassPathTest.class.getClassLoader());
            this.only = only;
        }

        @Override
        protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
        {
            if (!name.equals(only))
            {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name))
            {
                final Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineFromBytes(getParent(), name,
                    bytes -> defineClass(name, bytes, 0, bytes.length));
            }
        }

        @Override
        public java.net.URL getResource(final String name)
        {
            return name.equals(only.replace('.', '/') + ".class") ? null : super.getResource(name);
        }
    }

    /** Reads a class's bytes through {@code parent} and defines them with {@code define}: a class held in memory. */
    private static Class<?> defineFromBytes(
        final ClassLoader parent, final String name, final java.util.function.Function<byte[], Class<?>> define)
        throws ClassNotFoundException
    {
        try (InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class"))
        {
            return define.apply(in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new ClassNotFoundException(name, ex);
        }
    }
}
