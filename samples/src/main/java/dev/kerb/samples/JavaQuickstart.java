package dev.kerb.samples;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.core.UnitNorm;
import dev.kerb.registry.ConstraintRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/** The README's Java example: constrain a Dense kernel in place, then read and write Keras configs. */
public final class JavaQuickstart {
    private JavaQuickstart() {
    }

    /**
     * Runs the example and prints what it does.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // A Dense kernel (input_dim=3, units=2), row-major: column 0 has norm 5, column 1 has norm 1.
        float[] kernel = {3, 0, 4, 1, 0, 0};
        Shape shape = Shape.of(3, 2);
        new MaxNorm(2).apply(kernel, shape); // in place, one norm per output unit (axis=0)
        System.out.printf("MaxNorm(2) column norms: %.6f %.6f%n", norm(kernel, 0), norm(kernel, 1));

        // The same works on direct buffers, e.g. memory shared with native code, without copying.
        FloatBuffer direct = ByteBuffer.allocateDirect(6 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(new float[] {3, 0, 4, 1, 0, 0}).flip();
        new UnitNorm(Axis.of(0)).apply(Tensor.of(direct, shape));
        System.out.printf("UnitNorm on a direct buffer: first element %.6f%n", direct.get(0));

        // Keras config dicts in and out, through the registry.
        ConstraintRegistry registry = ConstraintRegistry.defaultRegistry();
        Constraint fromKeras2 = registry.get(Map.of("class_name", "MaxNorm",
                "config", Map.of("max_value", 2, "axis", 0)));
        System.out.println("From a Keras 2 dict: " + fromKeras2);
        System.out.println("As a Keras 3 dict: " + registry.serialize(fromKeras2));
        System.out.println("By name: " + registry.get("unit_norm"));
    }

    private static double norm(float[] kernel, int column) {
        double sum = 0;
        for (int row = 0; row < 3; row++) {
            sum += kernel[row * 2 + column] * kernel[row * 2 + column];
        }
        return Math.sqrt(sum);
    }
}
