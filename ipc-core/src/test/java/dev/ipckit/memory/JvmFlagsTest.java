package dev.ipckit.memory;

import dev.ipckit.platform.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
}
