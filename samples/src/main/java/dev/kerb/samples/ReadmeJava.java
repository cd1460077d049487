package dev.kerb.samples;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.core.UnitNorm;
import dev.kerb.model.ConstraintJson;
import dev.kerb.model.ModelSpec;
import dev.kerb.registry.ConstraintRegistry;
import dev.kerb.registry.ConstraintType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Java snippets of the README and docs/, line for line (ReadmeSnippetsTest checks that every block is
 * here), so that
 * the build compiles them; SamplesTest runs them from the repository root.
 */
public final class ReadmeJava {
    private ReadmeJava() {
    }

    /**
     * The Java section: constraints on arrays and buffers, and Keras dicts through the registry.
     *
     * @return the constrained kernel, the direct buffer, and the Keras 3 dict written
     */
    public static List<Object> core() {
        float[] kernel = {3, 0, 4, 1, 0, 0};           // Dense kernel (input_dim=3, units=2), row-major
        new MaxNorm(2).apply(kernel, Shape.of(3, 2));  // in place; one norm per output unit (axis=0)

        FloatBuffer direct = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder()).asFloatBuffer();
        new UnitNorm(Axis.of(0)).apply(Tensor.of(direct, Shape.of(3, 2)));   // direct buffers too, no copy

        ConstraintRegistry registry = ConstraintRegistry.defaultRegistry();
        Constraint c = registry.get(Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2, "axis", 0)));
        Map<String, Object> dict = registry.serialize(c);   // {module=keras.constraints, class_name=MaxNorm, ...}
        registry.get("unit_norm");   // UnitNorm(axis=0)
        return List.of(kernel, direct, dict);
    }

    /**
     * The Java route to model files: read, edit, apply to weights, read a constraint from JSON, write.
     *
     * @param out a folder to write into
     * @return the weights after the model's constraints, and the constraint read from JSON
     * @throws IOException if a file cannot be read or written
     */
    public static List<Object> models(Path out) throws IOException {
        ModelSpec spec = ModelSpec.read("testdata/keras-corpus/inndie-tfkeras2.2.4-dense-sequential-maxnorm.model_config.json");
        ModelSpec capped = spec.withConstraint("dense_6", "kernel_constraint", new MaxNorm(1.5));
        float[] kernel = {3f};
        capped.applyConstraints(Map.of("dense_6/kernel", Tensor.of(kernel, Shape.of(1, 1))));   // kernel[0] is 1.5
        Constraint c = ConstraintJson.constraintFromJson(capped.getRegistry(), "{\"class_name\": \"MaxNorm\"}");
        capped.write(out.resolve("capped.json"));   // JSON in the file's own format; a .keras name writes an archive
        return List.of(kernel, c);
    }

    /**
     * The registry section in Java: a custom constraint for one model or command, or registered for good.
     *
     * @return the scoped registry
     */
    public static ConstraintRegistry customConstraint() {
        ConstraintType<CenterAround> centerAround = ConstraintType.custom("Custom", "CenterAround", CenterAround.class,
                c -> new CenterAround(c.number("ref_value", 0.0).doubleValue()));
        ConstraintRegistry scoped = ConstraintRegistry.defaultRegistry().with(centerAround);   // for one model
        ConstraintRegistry.create().register(centerAround);   // or in a registry of your own, for good
        return scoped;
    }
}
