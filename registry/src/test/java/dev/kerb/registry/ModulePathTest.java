package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.Tensor;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerb on the module path: this build's {@code dev.kerb.core} and {@code dev.kerb.registry} and a provider module
 * compiled here, resolved and bound into a module layer as {@code java --module-path} would, export the API packages
 * only, and the registry resolves built-in names and, through {@code ServiceLoader}, the provider's.
 */
class ModulePathTest {
    private static final String PROVIDER_MODULE = """
            module kerb.test.provider {
                requires dev.kerb.registry;
                provides dev.kerb.registry.ConstraintProvider with kerb.test.provider.Halves;
            }
            """;
    private static final String PROVIDER = """
            package kerb.test.provider;

            public final class Halves implements dev.kerb.registry.ConstraintProvider {
                public static final class Halve implements dev.kerb.core.Constraint {
                    @Override
                    public void apply(dev.kerb.core.Tensor weights, dev.kerb.core.ApplyOptions options) {
                        for (int i = 0; i < weights.size(); i++) {
                            weights.set(i, weights.get(i) / 2);
                        }
                    }

                    @Override
                    public java.util.Map<String, Object> getConfig() {
                        return java.util.Map.of();
                    }
                }

                @Override
                public java.util.List<dev.kerb.registry.ConstraintType<?>> constraintTypes() {
                    return java.util.List.of(dev.kerb.registry.ConstraintType.custom("kerb_module_test", "Halve",
                            Halve.class, config -> new Halve()));
                }
            }
            """;

    @Test
    void resolvesBuiltinsAndProvidersOnTheModulePath(@TempDir Path dir) throws Exception {
        Path core = location(Tensor.class);
        Path registry = location(ConstraintRegistry.class);
        Path provider = compileProvider(dir, core, registry);
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(
                ModuleFinder.of(core, registry, provider), ModuleFinder.of(), Set.of("dev.kerb.registry"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertEquals(Set.of("dev.kerb.core", "dev.kerb.core.thirdparty"), exports(layer, "dev.kerb.core"));
        assertEquals(Set.of("dev.kerb.registry"), exports(layer, "dev.kerb.registry"));
        assertTrue(layer.findModule("dev.kerb.registry").orElseThrow().getDescriptor().uses()
                .contains(ConstraintProvider.class.getName()));
        assertTrue(layer.findModule("kerb.test.provider").isPresent(), "bound as a provider of the registry's service");

        ClassLoader loader = layer.findLoader("dev.kerb.registry");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // where defaultRegistry() looks for providers
        try {
            Class<?> registryClass = loader.loadClass(ConstraintRegistry.class.getName());
            Object defaults = registryClass.getMethod("defaultRegistry").invoke(null);
            java.lang.reflect.Method get = registryClass.getMethod("get", Object.class);
            Object clip = get.invoke(defaults, "qkeras>Clip");
            assertEquals("dev.kerb.core.thirdparty.Clip", clip.getClass().getName());
            assertEquals(layer.findModule("dev.kerb.core").orElseThrow(), clip.getClass().getModule());
            Object halve = get.invoke(defaults, "kerb_module_test>Halve");
            assertEquals("kerb.test.provider", halve.getClass().getModule().getName());

            Class<?> shape = loader.loadClass("dev.kerb.core.Shape");
            float[] w = {2f, -3f};
            Object s = shape.getMethod("of", int[].class).invoke(null, (Object) new int[] {2});
            loader.loadClass("dev.kerb.core.Constraint").getMethod("apply", float[].class, shape).invoke(halve, w, s);
            assertEquals(List.of(1f, -1.5f), List.of(w[0], w[1]));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Set<String> exports(ModuleLayer layer, String module) {
        return layer.findModule(module).orElseThrow().getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    /** Compiles the provider module against {@code dev.kerb.core} and {@code dev.kerb.registry} as modules. */
    private static Path compileProvider(Path dir, Path core, Path registry) throws Exception {
        Path src = dir.resolve("src");
        Path out = dir.resolve("kerb.test.provider");
        Files.createDirectories(src.resolve("kerb/test/provider"));
        Files.writeString(src.resolve("module-info.java"), PROVIDER_MODULE);
        Files.writeString(src.resolve("kerb/test/provider/Halves.java"), PROVIDER);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "--module-path", core + java.io.File.pathSeparator + registry,
                src.resolve("module-info.java").toString(), src.resolve("kerb/test/provider/Halves.java").toString());
        assertEquals(0, rc, "javac of the provider module");
        return out;
    }

    /** Returns this build's module holding {@code type}: its class directory, or its jar. */
    private static Path location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
