package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kerb's core as a named module, loaded from this build's classes into a module layer: the descriptor exports the API
 * packages only, and the constraints run with the Vector API loops exactly when the JVM has
 * {@code jdk.incubator.vector} (the default execution adds it, {@code without-vector-api} does not:
 * {@code kerb.test.vectorApi}).
 */
class ModuleDescriptorTest {
    private static final boolean VECTOR_API = Boolean.getBoolean("kerb.test.vectorApi");

    @Test
    void exportsTheApiPackagesOnlyAndNeedsTheVectorApiOnlyWhenPresent() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(location()).find("dev.kerb.core").orElseThrow().descriptor();
        assertEquals(Set.of("dev.kerb.core", "dev.kerb.core.thirdparty"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "exported to everyone");
        assertTrue(d.packages().contains("dev.kerb.core.internal"), "the kernels are in the module, unexported");
        assertTrue(d.opens().isEmpty());
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = d.requires().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("java.base", "jdk.incubator.vector"), requires.keySet());
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), requires.get("jdk.incubator.vector"));
    }

    @Test
    void runsAsANamedModuleWithTheVectorApiLoopsWhenTheJvmHasThem() throws Exception {
        Configuration cf = ModuleLayer.boot().configuration()
                .resolve(ModuleFinder.of(location()), ModuleFinder.of(), Set.of("dev.kerb.core"));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()),
                ClassLoader.getPlatformClassLoader());
        Module core = controller.layer().findModule("dev.kerb.core").orElseThrow();
        assertTrue(core.isExported("dev.kerb.core") && core.isExported("dev.kerb.core.thirdparty"));
        assertFalse(core.isExported("dev.kerb.core.internal"));
        ClassLoader loader = controller.layer().findLoader("dev.kerb.core");

        Class<?> shape = loader.loadClass("dev.kerb.core.Shape");
        Class<?> maxNorm = loader.loadClass("dev.kerb.core.MaxNorm");
        assertEquals(core, maxNorm.getModule(), "the constraint comes from the layer, not from the classpath");
        float[] w = {3f, 4f, 0f, 0.5f};
        Object s = shape.getMethod("of", int[].class).invoke(null, (Object) new int[] {2, 2});
        Object constraint = maxNorm.getConstructor(Number.class).newInstance(1);
        maxNorm.getMethod("apply", float[].class, shape).invoke(constraint, w, s);
        float[] expected = {3f, 4f, 0f, 0.5f};
        new MaxNorm(1).apply(expected, Shape.of(2, 2));
        assertArrayEquals(expected, w, "MaxNorm(1) on columns [3, 0] and [4, 0.5] in the module, as on the classpath");

        controller.addOpens(core, "dev.kerb.core.internal", ModuleDescriptorTest.class.getModule());
        java.lang.reflect.Field loops = loader.loadClass("dev.kerb.core.internal.Loops").getField("DEFAULT");
        loops.setAccessible(true);
        assertEquals(VECTOR_API ? "dev.kerb.core.internal.VectorLoops" : "dev.kerb.core.internal.ScalarLoops",
                loops.get(null).getClass().getName());
        assertEquals(VECTOR_API, ModuleLayer.boot().findModule("jdk.incubator.vector").map(core::canRead).orElse(false),
                "requires static: the module reads the Vector API exactly when the JVM has it");
    }

    /** Returns this build's {@code dev.kerb.core}: its class directory, or its jar. */
    private static Path location() throws Exception {
        return Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
