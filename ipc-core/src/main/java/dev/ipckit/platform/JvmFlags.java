package dev.ipckit.platform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The JVM flag set every ipckit JVM needs: Agrona's and Chronicle's module openings and the properties that
 * switch Chronicle's analytics off. The list is defined once, in the parent pom, and reaches this class as the
 * filtered resource {@code jvm-flags.properties}; the child-process launcher, the CLI and the tests all use it.
 * <p>
 * Ways to give an application's JVM the flags without typing them: a JDK argument file written by this class's
 * {@link #main} ({@code java @ipckit.args -cp ... Main}), the manifest attributes of {@link #manifestAttributes()}
 * in the application's own jar ({@code java -jar app.jar}), or {@link #rerunWithFlags} from its {@code main}.
 */
public final class JvmFlags
{
    /** The flag Agrona 2.x needs; without it the first failure is a misleading {@code NoClassDefFoundError}. */
    public static final String AGRONA_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final String RESOURCE = "jvm-flags.properties";
    /** The end of the missing-flag messages: ways that need no typing. */
    private static final String HOW_TO = " (without typing them: `java -cp ipc-core.jar dev.ipckit.platform.JvmFlags > " +
        "ipckit.args` writes an argument file for `java @ipckit.args ...`; under `mvn exec:java`, put them in MAVEN_OPTS; " +
        "for `java -jar`, see --manifest; docs/jvm-flags.md has all four ways)";
    private static final Properties LISTS = load();
    /** The three lists {@link #forFeature} gives, made once: a child's start asks for one every time. */
    private static final List<String> FLAGS_17 = Collections.unmodifiableList(split(LISTS.getProperty("all")));
    private static final List<String> FLAGS_22 = join(FLAGS_17, split(LISTS.getProperty("jdk22")));
    private static final List<String> FLAGS_24 = join(FLAGS_22, split(LISTS.getProperty("jdk24")));

    private JvmFlags()
    {
    }

    /**
     * The flags for a JVM of the given feature release (17, 21, 25, ...).
     *
     * @param feature the {@link Runtime.Version#feature()} of the JVM to start.
     * @return the flags, in order, as separate command-line arguments.
     */
    public static List<String> forFeature(final int feature)
    {
        return feature >= 24 ? FLAGS_24 : feature >= 22 ? FLAGS_22 : FLAGS_17;
    }

    private static List<String> join(final List<String> first, final List<String> second)
    {
        final List<String> flags = new ArrayList<>(first);
        flags.addAll(second);
        return Collections.unmodifiableList(flags);
    }

    /**
     * The flags for a JVM of the same release as this one.
     *
     * @return the flags as separate command-line arguments.
     */
    public static List<String> forCurrentRuntime()
    {
        return forFeature(Runtime.version().feature());
    }

    /**
     * The flags as a JDK argument file ({@code java @file ...}): one flag a line.
     *
     * @param feature the feature release of the JVM that will read the file.
     * @return the file's text.
     */
    public static String argumentFile(final int feature)
    {
        final StringBuilder text = new StringBuilder("# ipckit's JVM flags for JDK ").append(feature).append(" and newer\n");
        for (final String flag : forFeature(feature))
        {
            text.append(flag).append('\n');
        }
        return text.toString();
    }

    /**
     * The jar-manifest attributes that give an application's own jar, started with {@code java -jar}, the module
     * access of the flag set: {@code Add-Exports}, {@code Add-Opens} and (read by JDK 22 and newer, ignored before)
     * {@code Enable-Native-Access}. The flag set's system properties have no manifest form and need none: ipckit
     * sets them itself, where they are unset, before Chronicle's classes load. Only the main jar's manifest counts.
     *
     * @return attribute name to value, in order.
     */
    public static Map<String, String> manifestAttributes()
    {
        final List<String> exports = new ArrayList<>();
        final List<String> opens = new ArrayList<>();
        for (final String flag : forFeature(Integer.MAX_VALUE))
        {
            if (flag.startsWith("--add-exports="))
            {
                exports.add(modulePackage(flag));
            }
            else if (flag.startsWith("--add-opens="))
            {
                opens.add(modulePackage(flag));
            }
        }
        final Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Add-Exports", String.join(" ", exports));
        attributes.put("Add-Opens", String.join(" ", opens));
        attributes.put("Enable-Native-Access", "ALL-UNNAMED");
        return Collections.unmodifiableMap(attributes);
    }

    /**
     * Prints the flags for use outside Java code: {@code java -cp ipc-core.jar dev.ipckit.platform.JvmFlags > ipckit.args}
     * writes an argument file for this JVM's release; {@code --release N} for another release; {@code --manifest}
     * prints the manifest attributes instead; {@code --line} the flags on one line, for scripts.
     *
     * @param args the options above.
     */
    public static void main(final String[] args)
    {
        int feature = Runtime.version().feature();
        String form = "argfile";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--manifest" -> form = "manifest";
                case "--line" -> form = "line";
                case "--release" ->
                {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,2}"))
                    {
                        System.err.println("JvmFlags: --release needs a feature release number, e.g. --release 21");
                        System.exit(2);
                    }
                    feature = Integer.parseInt(args[++i]);
                }
                default ->
                {
                    System.err.println("JvmFlags: unknown option " + args[i] + " (use --release N, --manifest or --line)");
                    System.exit(2);
                }
            }
        }
        switch (form)
        {
            case "manifest" -> manifestAttributes().forEach((name, value) -> System.out.println(name + ": " + value));
            case "line" -> System.out.println(String.join(" ", forFeature(feature)));
            default -> System.out.print(argumentFile(feature));
        }
    }

    private static String modulePackage(final String flag)
    {
        final String target = flag.substring(flag.indexOf('=') + 1);
        return target.substring(0, target.lastIndexOf('='));
    }

    /**
     * Whether this JVM was started with the module access Agrona needs.
     *
     * @return true when {@code java.base/jdk.internal.misc} is exported to this class's module.
     */
    public static boolean hasAgronaAccess()
    {
        return Object.class.getModule().isExported("jdk.internal.misc", JvmFlags.class.getModule());
    }

    /**
     * Fails with a message that names the missing flag, before Agrona fails with a misleading
     * {@code NoClassDefFoundError: Could not initialize class org.agrona.BufferUtil}.
     *
     * @throws IllegalStateException when the Agrona flag is missing.
     */
    public static void requireAgronaAccess()
    {
        if (!hasAgronaAccess())
        {
            throw new IllegalStateException(
                "ipckit needs the JVM flag " + AGRONA_FLAG + " (Agrona 2.x reads jdk.internal.misc). " +
                "Start this JVM with the full ipckit flag set: " + String.join(" ", forCurrentRuntime()) + HOW_TO);
        }
    }

    /**
     * Whether this JVM was started with the module access Chronicle Queue needs (it maps files through
     * {@code sun.nio.ch.FileChannelImpl}).
     *
     * @return true when {@code java.base/sun.nio.ch} is open to this class's module.
     */
    public static boolean hasChronicleAccess()
    {
        return Object.class.getModule().isOpen("sun.nio.ch", JvmFlags.class.getModule());
    }

    /**
     * Fails with a message that names the missing flag, before Chronicle fails with an
     * {@code AssertionError: IllegalAccessException: member is private: sun.nio.ch.FileChannelImpl.map0}.
     *
     * @throws IllegalStateException when Chronicle's flags are missing.
     */
    public static void requireChronicleAccess()
    {
        requireAgronaAccess();
        if (!hasChronicleAccess())
        {
            throw new IllegalStateException(
                "ipckit queues and pipes need the JVM flag --add-opens=java.base/sun.nio.ch=ALL-UNNAMED and the rest of " +
                "Chronicle's flags. Start this JVM with the full ipckit flag set: " + String.join(" ", forCurrentRuntime()) +
                HOW_TO);
        }
    }

    private static List<String> split(final String list)
    {
        if (list == null || list.isBlank())
        {
            return List.of();
        }
        return List.of(list.trim().split("\\s+"));
    }

    private static Properties load()
    {
        final Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("ipc-core is missing its resource " + RESOURCE + ": rebuild ipc-core");
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
        if (properties.getProperty("all", "").contains("${"))
        {
            throw new IllegalStateException(RESOURCE + " was not filtered by the build: rebuild ipc-core with Maven");
        }
        return properties;
    }

    /**
     * Runs {@code mainClass} again in a new JVM of this Java with the flag set, this JVM's deserialization settings,
     * class path and the same arguments, sharing this JVM's standard streams: for command-line tools started without the flags (say with
     * {@code java -jar}). Waits for it; when the wait is interrupted the new JVM is killed.
     *
     * @param mainClass the class whose {@code main} to run.
     * @param args      its arguments.
     * @return the new JVM's exit code, or 1 when it could not be started or the wait was interrupted.
     */
    public static int rerunWithFlags(final Class<?> mainClass, final String[] args)
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(forCurrentRuntime());
        command.addAll(Deserialization.childJvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        final Process rerun;
        try
        {
            rerun = new ProcessBuilder(command).inheritIO().start();
        }
        catch (final IOException ex)
        {
            System.err.println(mainClass.getSimpleName() + ": cannot start a JVM with the ipckit flags: " + ex);
            return 1;
        }
        try
        {
            return rerun.waitFor();
        }
        catch (final InterruptedException ex)
        {
            rerun.destroyForcibly();
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
