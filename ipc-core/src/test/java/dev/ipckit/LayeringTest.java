package dev.ipckit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of ipc-core's packages, as docs/architecture.md draws it, checked on the compiled classes: a
 * dependency against it (an import, a fully qualified name, a static call) fails the build. Each package's
 * {@code internal} subpackage belongs to its layer.
 * <pre>
 *   platform                                depends on nothing in ipckit
 *   wait    -> platform
 *   memory  -> platform
 *   sync    -> memory, platform, wait
 *   value   -> sync, memory, platform
 *   process -> platform, wait              (not memory: a child JVM needs no region to start)
 *   codec   -> platform
 *   queue   -> codec, sync, memory, platform, wait
 *   pool    -> process, sync, memory, platform   (not queue: workers never load Chronicle)
 *   manager -> codec, value, sync, memory, platform
 * </pre>
 * queue, pool and manager are siblings: none uses another. The root package ({@code dev.ipckit.IpcContext}) sits on
 * top of them all, and nothing below uses it.
 */
class LayeringTest
{
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses()
    {
        classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ipckit");
    }

    @Test
    void packagesDependOnlyOnTheLayersBelowThem()
    {
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("wait").definedBy("dev.ipckit.wait..")
            .layer("platform").definedBy("dev.ipckit.platform..")
            .layer("memory").definedBy("dev.ipckit.memory..")
            .layer("sync").definedBy("dev.ipckit.sync..")
            .layer("value").definedBy("dev.ipckit.value..")
            .layer("process").definedBy("dev.ipckit.process..")
            .layer("codec").definedBy("dev.ipckit.codec..")
            .layer("queue").definedBy("dev.ipckit.queue..")
            .layer("pool").definedBy("dev.ipckit.pool..")
            .layer("manager").definedBy("dev.ipckit.manager..")
            .whereLayer("wait").mayOnlyAccessLayers("platform")
            .whereLayer("platform").mayNotAccessAnyLayer()
            .whereLayer("memory").mayOnlyAccessLayers("platform")
            .whereLayer("sync").mayOnlyAccessLayers("memory", "platform", "wait")
            .whereLayer("value").mayOnlyAccessLayers("sync", "memory", "platform")
            .whereLayer("process").mayOnlyAccessLayers("platform", "wait")
            .whereLayer("codec").mayOnlyAccessLayers("platform")
            .whereLayer("queue").mayOnlyAccessLayers("codec", "sync", "memory", "platform", "wait")
            .whereLayer("pool").mayOnlyAccessLayers("process", "sync", "memory", "platform")
            .whereLayer("manager").mayOnlyAccessLayers("codec", "value", "sync", "memory", "platform")
            .check(classes);
    }

    @Test
    void nothingBelowUsesTheRootPackage()
    {
        ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("dev.ipckit")
            .should().dependOnClassesThat().resideInAPackage("dev.ipckit")
            .check(classes);
    }

    @Test
    void packagesHaveNoCycles()
    {
        slices().matching("dev.ipckit.(*)..").should().beFreeOfCycles().check(classes);
    }
}
