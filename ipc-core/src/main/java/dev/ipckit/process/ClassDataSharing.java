package dev.ipckit.process;

import dev.ipckit.platform.internal.PrivateDirectory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class-data archive for children (on unless {@code -Dipckit.cds=false}): the classes a child loads (JDK classes,
 * serialization, lambda support, ipckit and application classes from jars) are mapped from an archive instead of being
 * parsed again.
 * <p>
 * On JDK 17 and 18 the first child runs with {@code -XX:ArchiveClassesAtExit} into a temporary file that is renamed
 * into place when that child exits; later children map it with {@code -XX:SharedArchiveFile}. On JDK 19 to 24 the
 * JVM does both itself ({@code -XX:+AutoCreateSharedArchive}). On JDK 25 and later it is an AOT cache (JEP 483, 514,
 * 515: classes loaded and linked ahead, and method profiles): the first child records its configuration, this JVM
 * assembles the cache from it in the background once that child has exited ({@link #aotPlan}), and later children
 * map it with {@code -XX:AOTCache}. A missing, stale or broken archive only costs speed, never a start
 * ({@code -Xshare:auto}, or the AOT mode's default, auto); the JVM's own output about archives is switched off so
 * that it does not mix into the child's stdout.
 * <p>
 * Archives need a class path of jars only: the JVM refuses to dump an archive when a class came from a non-empty
 * directory (and then exits with code 1). With a directory on the class path (also inside a jar manifest's
 * {@code Class-Path}, as in a Surefire test JVM) children run without an archive.
 * <p>
 * Archives live in {@code <java.io.tmpdir>/ipckit-cds-<user>/}, one per java binary, JDK build, class path (with the
 * jars' sizes and times) and JVM option list; archives older than a week are removed when a new one is made. Figures
 * are in {@code benchmarks/results/} (child start with and without the archive, JDK 17 and 25).
 */
final class ClassDataSharing
{
    /** System property that switches the archive off ({@code -Dipckit.cds=false}). */
    static final String PROPERTY = "ipckit.cds";

    /**
     * The first release whose AOT cache children get: 25 (JEP 483's cache, with JEP 515's method profiles). JDK 24
     * has the same two steps but is not tested here, so it keeps the auto-created archive.
     */
    static final int AOT_CACHE_FEATURE = 25;
    private static final int MAX_MANIFEST_DEPTH = 8;
    private static final int STALE_ARCHIVE_DAYS = 7;
    private static final List<String> COMMON_OPTIONS = List.of("-Xshare:auto", "-Xlog:cds*=off");
    /** JDK 25: no -Xshare option (it cannot go with the AOT modes; the default AOT mode, auto, is what it said). */
    private static final List<String> AOT_OPTIONS = List.of("-Xlog:cds*=off", "-Xlog:aot*=off");
    private static final AtomicLong DUMP_SEQUENCE = new AtomicLong();
    /** A class path's jars (manifest Class-Path followed), empty when it holds a directory; read once per JVM. */
    private static final Map<String, Optional<List<Path>>> JARS = new ConcurrentHashMap<>();
    private static final Set<String> DUMPING = new HashSet<>();
    private static final Set<String> FAILED = new HashSet<>();

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));

    private ClassDataSharing()
    {
    }

    static void enable(final boolean enable)
    {
        enabled = enable;
    }

    static boolean enabled()
    {
        return enabled;
    }

    /**
     * The cache directory for archives.
     *
     * @return {@code <java.io.tmpdir>/ipckit-cds-<user>}.
     */
    static Path cacheDirectory()
    {
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "ipckit-cds-" + user);
    }

    /**
     * What a child about to start should do about the archive.
     *
     * @param java       the java binary.
     * @param classPath  the child's class path.
     * @param jvmOptions every JVM option of the child other than the CDS ones.
     * @return the plan; {@link Plan#NONE} when the archive is off or cannot be used.
     */
    static Plan planFor(final Path java, final String classPath, final List<String> jvmOptions)
    {
        // The archive is made by and for this JVM's release: another java executable runs without it.
        return java.equals(ChildCommand.javaBinary()) ? plan(java, classPath, jvmOptions) : Plan.NONE;
    }

    /**
     * {@link #planFor} for this JVM's own java executable.
     */
    static Plan plan(final Path java, final String classPath, final List<String> jvmOptions)
    {
        if (!enabled || !jarsOnly(classPath))
        {
            return Plan.NONE;
        }
        final Path directory = cacheDirectory();
        final String key;
        try
        {
            createPrivateDirectory(directory);
            key = key(java, classPath, jvmOptions);
        }
        catch (final IOException | RuntimeException ex)
        {
            return Plan.NONE;
        }
        final int feature = Runtime.version().feature();
        if (feature >= AOT_CACHE_FEATURE)
        {
            return aotPlan(directory, key, java, classPath, jvmOptions);
        }
        final Path archive = directory.resolve(key + ".jsa");
        final List<String> options = new ArrayList<>(COMMON_OPTIONS);
        if (feature >= 19)
        {
            if (!Files.exists(archive))
            {
                removeStale(directory);
            }
            options.add("-XX:+AutoCreateSharedArchive");
            options.add("-XX:SharedArchiveFile=" + archive);
            return new Plan(options, null, null, null, null);
        }
        if (Files.isRegularFile(archive))
        {
            options.add("-XX:SharedArchiveFile=" + archive);
            return new Plan(options, null, null, null, null);
        }
        if (!startDump(key))
        {
            return Plan.NONE;
        }
        removeStale(directory);
        final Path dump = dumpPath(directory, key);
        options.add("-XX:ArchiveClassesAtExit=" + dump);
        return new Plan(options, key, dump, archive, null);
    }

    /**
     * JDK 25 and later: the AOT cache, made in two steps so that neither shows in a child's output. The first child
     * of a key records its configuration ({@code -XX:AOTMode=record}; the JVM's remark about it, printed on stdout
     * whatever the logging says, is switched off with {@code -XX:-DisplayVMOutput}); when it has exited this JVM
     * assembles the cache from it in the background ({@code -XX:AOTMode=create}, output discarded) and moves it into
     * place; later children map it with {@code -XX:AOTCache}. Until then children start without one.
     */
    private static Plan aotPlan(
        final Path directory, final String key, final Path java, final String classPath, final List<String> jvmOptions)
    {
        final Path cache = directory.resolve(key + ".aot");
        final List<String> options = new ArrayList<>(AOT_OPTIONS);
        if (Files.isRegularFile(cache))
        {
            options.add("-XX:AOTCache=" + cache);
            return new Plan(options, null, null, null, null);
        }
        if (!startDump(key))
        {
            return Plan.NONE;
        }
        removeStale(directory);
        final Path dump = dumpPath(directory, key);
        final Path configuration = dump.resolveSibling(dump.getFileName() + ".aotconfig");
        options.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-XX:AOTMode=record",
            "-XX:AOTConfiguration=" + configuration));
        final List<String> assembly = new ArrayList<>();
        assembly.add(java.toString());
        assembly.addAll(jvmOptions);
        assembly.addAll(AOT_OPTIONS);
        assembly.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + dump,
            "-cp", classPath));
        return new Plan(options, key, dump, cache, new Assembly(assembly, configuration));
    }

    /** Marks {@code key} as being made; false when it is already, or failed before. */
    private static boolean startDump(final String key)
    {
        synchronized (DUMPING)
        {
            return !FAILED.contains(key) && DUMPING.add(key);
        }
    }

    private static Path dumpPath(final Path directory, final String key)
    {
        return directory.resolve(
            key + "." + ProcessHandle.current().pid() + "." + DUMP_SEQUENCE.incrementAndGet() + ".tmp");
    }

    /** Ends the making of {@code key}'s archive; a failed one is not tried again by this JVM. */
    private static void endDump(final String key, final boolean failed)
    {
        synchronized (DUMPING)
        {
            DUMPING.remove(key);
            if (failed)
            {
                FAILED.add(key);
            }
        }
    }

    /**
     * Whether every class path entry, following jar manifests' {@code Class-Path}, is a jar (or does not exist).
     *
     * @param classPath the class path.
     * @return true when an archive can be dumped for it.
     */
    static boolean jarsOnly(final String classPath)
    {
        return jars(classPath).isPresent();
    }

    /** The class path's jars, each jar's manifest read once per JVM rather than at every child's start. */
    private static Optional<List<Path>> jars(final String classPath)
    {
        return JARS.computeIfAbsent(classPath, cp -> Optional.ofNullable(expand(cp)));
    }

    /**
     * The class path's jars, manifest {@code Class-Path} entries included.
     *
     * @return the jars, or null when a directory is among them.
     */
    private static List<Path> expand(final String classPath)
    {
        final List<Path> jars = new ArrayList<>();
        final Set<Path> seen = new HashSet<>();
        for (final String entry : classPath.split(File.pathSeparator))
        {
            if (!entry.isEmpty() && !addEntry(Path.of(entry).toAbsolutePath().normalize(), jars, seen, 0))
            {
                return null;
            }
        }
        return jars;
    }

    private static boolean addEntry(final Path entry, final List<Path> jars, final Set<Path> seen, final int depth)
    {
        if (!seen.add(entry) || !Files.exists(entry))
        {
            return true;
        }
        if (Files.isDirectory(entry) || depth > MAX_MANIFEST_DEPTH)
        {
            return false;
        }
        jars.add(entry);
        try (JarFile jar = new JarFile(entry.toFile()))
        {
            final Manifest manifest = jar.getManifest();
            final String manifestClassPath =
                manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (manifestClassPath == null)
            {
                return true;
            }
            final URI base = entry.getParent().toUri();
            for (final String relative : manifestClassPath.trim().split("\\s+"))
            {
                if (!relative.isEmpty())
                {
                    final URI resolved = base.resolve(relative);
                    if (!"file".equals(resolved.getScheme()) ||
                        !addEntry(Path.of(resolved).toAbsolutePath().normalize(), jars, seen, depth + 1))
                    {
                        return false;
                    }
                }
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static String key(final Path java, final String classPath, final List<String> jvmOptions) throws IOException
    {
        final StringBuilder text = new StringBuilder()
            .append(java).append('\n')
            .append(Runtime.version()).append('\n');
        final Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        if (Files.exists(modules))
        {
            text.append(Files.size(modules)).append(' ').append(Files.getLastModifiedTime(modules).toMillis());
        }
        text.append('\n').append(classPath).append('\n');
        for (final Path jar : jars(classPath).orElse(List.of()))
        {
            text.append(jar).append(' ').append(Files.size(jar)).append(' ')
                .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        text.append(String.join(" ", jvmOptions));
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            final StringBuilder hex = new StringBuilder("child-");
            for (int i = 0; i < 12; i++)
            {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return hex.toString();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    /**
     * Keeps the cache directory from growing without end: removes archives not rewritten for
     * {@link #STALE_ARCHIVE_DAYS} days (a class path that is still used gets a new one) and temporary files of dumps
     * that did not finish. Called only before a new archive is made.
     */
    private static void removeStale(final Path directory)
    {
        final long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "child-*"))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                final long age = now - Files.getLastModifiedTime(file).toMillis();
                if (((name.endsWith(".jsa") || name.endsWith(".aot")) && age > TimeUnit.DAYS.toMillis(STALE_ARCHIVE_DAYS)) ||
                    ((name.endsWith(".tmp") || name.endsWith(".aotconfig")) && age > TimeUnit.HOURS.toMillis(1)))
                {
                    Files.deleteIfExists(file);
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Best effort: the cache only grows.
        }
    }

    /**
     * Creates the cache directory 0700 or checks the existing one: an archive planted by another user would be mapped
     * into every child, so a directory that is a link, not this uid's, or writable by others is not used (children
     * then start without an archive, and this JVM says why once on stderr).
     */
    private static void createPrivateDirectory(final Path directory) throws IOException
    {
        final Optional<String> problem = PrivateDirectory.create(directory);
        if (problem.isPresent())
        {
            if (!WARNED.getAndSet(true))
            {
                System.err.println("ipckit: child processes start without a class-data archive: " + problem.get());
            }
            throw new IOException(problem.get());
        }
    }

    /** The assembly step of an AOT cache: its command, and the configuration the training child records. */
    private record Assembly(List<String> command, Path configuration)
    {
    }

    /**
     * The CDS options of one child and, for the child that dumps the archive (or records the AOT configuration), what
     * to do when it exits.
     */
    static final class Plan
    {
        static final Plan NONE = new Plan(List.of(), null, null, null, null);

        private final List<String> options;
        private final String key;
        private final Path dump;
        private final Path archive;
        private final Assembly assembly;

        private Plan(final List<String> options, final String key, final Path dump, final Path archive,
            final Assembly assembly)
        {
            this.options = List.copyOf(options);
            this.key = key;
            this.dump = dump;
            this.archive = archive;
            this.assembly = assembly;
        }

        List<String> options()
        {
            return options;
        }

        /**
         * Called once when the child has exited: moves a dumped archive into place, or starts the assembly of the AOT
         * cache from the configuration it recorded. A child that exited on its own (any exit code of 0 or more) has
         * finished its dump; a child killed by a signal may have left half of one.
         *
         * @param exitCode the child's exit code, Python style.
         */
        void childExited(final int exitCode)
        {
            if (dump == null)
            {
                return;
            }
            if (assembly != null)
            {
                if (!(exitCode >= 0 && nonEmpty(assembly.configuration()) && startAssembly()))
                {
                    finish(exitCode >= 0);
                }
                return;
            }
            finish(!(exitCode >= 0 && nonEmpty(dump) && moveIntoPlace()) && exitCode >= 0);
        }

        /** Starts the assembly; its end finishes the archive. */
        private boolean startAssembly()
        {
            try
            {
                final Process process = new ProcessBuilder(assembly.command())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
                process.onExit().whenComplete((exited, error) ->
                    finish(!(error == null && exited.exitValue() == 0 && nonEmpty(dump) && moveIntoPlace())));
                return true;
            }
            catch (final IOException | RuntimeException ex)
            {
                return false;
            }
        }

        private boolean moveIntoPlace()
        {
            try
            {
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            }
            catch (final IOException | RuntimeException ex)
            {
                // The children run without the archive.
                return false;
            }
        }

        /** Removes what is left of the making and ends it. */
        private void finish(final boolean failed)
        {
            try
            {
                Files.deleteIfExists(dump);
                if (assembly != null)
                {
                    Files.deleteIfExists(assembly.configuration());
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // A leftover temporary file in the cache directory is harmless (removed after an hour).
            }
            endDump(key, failed);
        }

        private static boolean nonEmpty(final Path file)
        {
            try
            {
                return Files.isRegularFile(file) && Files.size(file) > 0;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
    }
}
