package dev.ipckit.memory;

import dev.ipckit.platform.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ipckit.queue.SharedQueue;
import dev.ipckit.value.SharedLong;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmFlagsTest
{
    /** Run again through rerunWithFlags: exits 7 when it has Agrona's access and its arguments arrived. */
    public static final class RerunMain
    {
        public static void main(final String[] args)
        {
            System.exit(JvmFlags.hasAgronaAccess() && args.length == 2 && "b".equals(args[1]) ? 7 : 3);
        }
    }

    @Test
    void rerunWithFlagsStartsTheClassAgainWithTheFlagsAndItsArguments()
    {
        assertEquals(7, JvmFlags.rerunWithFlags(RerunMain.class, new String[] {"a", "b"}));
    }

    /** Run in a JVM started without the flags: every region touch, not only the first, must name the missing flag. */
    public static final class NoFlagsMain
    {
        public static void main(final String[] args)
        {
            for (int attempt = 1; attempt <= 2; attempt++)
            {
                try
                {
                    SharedRegion.create("never", 1 << 20);
                    System.out.println("attempt " + attempt + ": created without flags");
                }
                catch (final Throwable ex)
                {
                    System.out.println("attempt " + attempt + ": " + ex);
                }
            }
        }
    }

    @Test
    void theFlagListIsFilteredAndKeepsPerReleaseFlagsApart()
    {
        final List<String> jdk17 = JvmFlags.forFeature(17);
        assertTrue(jdk17.contains(JvmFlags.AGRONA_FLAG));
        assertTrue(jdk17.contains("-Dchronicle.analytics.disable=true"));
        assertFalse(jdk17.contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(jdk17.contains("--sun-misc-unsafe-memory-access=allow"));
        assertTrue(JvmFlags.forFeature(22).contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(JvmFlags.forFeature(22).contains("--sun-misc-unsafe-memory-access=allow"));
        assertTrue(JvmFlags.forFeature(25).contains("--sun-misc-unsafe-memory-access=allow"));
        jdk17.forEach(flag -> assertFalse(flag.contains("${"), flag));
    }

    @Test
    void thisJvmHasTheFlags()
    {
        assertTrue(JvmFlags.hasAgronaAccess());
    }

    @Test
    void aJvmWithoutTheFlagsIsToldWhichFlagToAdd() throws Exception
    {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process process = new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), NoFlagsMain.class.getName())
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            assertTrue(output.contains("attempt " + attempt + ": java.lang.IllegalStateException: ipckit needs the JVM flag " +
                JvmFlags.AGRONA_FLAG), output);
        }
    }
    /** Uses a region, a value and a queue: what needs every flag. Prints "works" and exits 0 when all of it does. */
    public static final class UsesEverythingMain
    {
        public static void main(final String[] args) throws Exception
        {
            final RegionOptions options = RegionOptions.defaults().withDirectory(Path.of(args[0]));
            try (SharedRegion region = SharedRegion.create("flags", 1 << 20, options))
            {
                final SharedLong value = SharedLong.create(region, "v", 41);
                try (SharedQueue<Object> queue = SharedQueue.create("q", dev.ipckit.codec.Codecs.standard(),
                    dev.ipckit.queue.QueueOptions.defaults().withDirectory(Path.of(args[0]))))
                {
                    queue.put(value.incrementAndGet());
                    System.out.println(Long.valueOf(42).equals(queue.poll(10, TimeUnit.SECONDS)) ? "works" : "wrong value");
                }
            }
        }
    }

    private static String runJava(final List<String> arguments) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(arguments);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void anArgumentFileFromJvmFlagsMainIsAllAJvmNeeds(@TempDir final Path dir) throws Exception
    {
        final String text = runJava(List.of("-cp", System.getProperty("java.class.path"), JvmFlags.class.getName()));
        assertEquals(JvmFlags.argumentFile(Runtime.version().feature()), text);
        final Path argumentFile = dir.resolve("ipckit.args");
        Files.writeString(argumentFile, text);
        final String output = runJava(List.of("@" + argumentFile, "-cp", System.getProperty("java.class.path"),
            UsesEverythingMain.class.getName(), dir.toString()));
        assertTrue(output.contains("works"), output);
    }

    @Test
    void manifestAttributesLetJavaJarRunWithoutFlags(@TempDir final Path dir) throws Exception
    {
        final Manifest manifest = new Manifest();
        final Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, UsesEverythingMain.class.getName());
        final StringBuilder classPath = new StringBuilder();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            classPath.append(Path.of(entry).toUri()).append(' ');
        }
        main.put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        JvmFlags.manifestAttributes().forEach((name, value) -> main.putValue(name, value));
        final Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest))
        {
            // a jar with the manifest alone: the classes come through its Class-Path
        }
        final String output = runJava(List.of("-jar", jar.toString(), dir.toString()));
        assertTrue(output.contains("works"), output);
    }

    @Test
    void manifestAttributesNameEveryModuleOpeningOfTheFlagSet()
    {
        final String exports = JvmFlags.manifestAttributes().get("Add-Exports");
        final String opens = JvmFlags.manifestAttributes().get("Add-Opens");
        for (final String flag : JvmFlags.forCurrentRuntime())
        {
            if (flag.startsWith("--add-exports=") || flag.startsWith("--add-opens="))
            {
                final String target = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
                assertTrue((flag.startsWith("--add-exports=") ? exports : opens).contains(target), flag);
            }
        }
    }
}
