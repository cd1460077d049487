package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.UnitNorm;
import dev.kerb.core.thirdparty.Clip;
import dev.kerb.core.thirdparty.WeightClip;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every constraint format, read and written: Keras 3's object dicts ({@code keras/src/saving/serialization_lib.py}),
 * Keras 2's by version, TF.js' ({@code tfjs-layers/src/constraints.ts}), and those of the corpus files listed in
 * {@code testdata/keras-corpus/SOURCES.md}.
 */
class ConstraintFormatsTest {
    private final ConstraintRegistry registry = ConstraintRegistry.create();

    /** Keras 1.2.2 flat forms, exactly as in corpus #1 (dl4j-keras1-...json). */
    @Test
    void readsKeras1FlatForms() {
        assertEquals(new MaxNorm(2.0, 0), registry.deserialize(Map.of("m", 2.0, "name", "MaxNorm", "axis", 0)));
        assertEquals(NonNeg.INSTANCE, registry.deserialize(Map.of("name", "NonNeg")));
        assertEquals(new UnitNorm(0), registry.deserialize(Map.of("name", "UnitNorm", "axis", 0)));
        assertEquals(new MinMaxNorm(0.0, 1.0, 1.0, 0), registry.deserialize(
                Map.of("high", 1.0, "rate", 1.0, "low", 0.0, "name", "MinMaxNorm", "axis", 0)));
        assertEquals(new MaxNorm(3, 0), registry.deserialize(Map.of("name", "maxnorm", "m", 3)));
    }

    /** TF.js in-memory objects ({@code serializeKerasObject}) and string ids ({@code getConstraint}). */
    @Test
    void readsTensorFlowJs() {
        assertEquals(new MaxNorm(2, 0),
                registry.deserialize(Map.of("className", "MaxNorm", "config", Map.of("maxValue", 2, "axis", 0))));
        // TF.js constraints_test.ts: minMaxNorm({minValue: 0, maxValue: 2, rate: 3, axis: 4}) round-trips.
        MinMaxNorm odd = new MinMaxNorm(0, 2, 3, 4);
        Map<String, Object> tfjs = registry.serialize(odd, ConstraintFormat.TFJS_CAMEL_CASE);
        assertEquals(Map.of("className", "MinMaxNorm",
                "config", Map.of("minValue", 0, "maxValue", 2, "rate", 3, "axis", 4)), tfjs);
        assertEquals(odd, registry.deserialize(tfjs));
        for (String id : List.of("maxNorm", "minMaxNorm", "nonNeg", "unitNorm")) {
            assertTrue(registry.get(id) != null, id);
        }
    }

    /** Keras 2.13+ and Keras 3 dicts, with extra keys such as shared_object_id (corpus #18). */
    @Test
    void readsKeras3DictsWithExtraKeys() {
        Map<String, Object> dict = new HashMap<>();
        dict.put("module", "qkeras.qlayers");
        dict.put("class_name", "Clip");
        dict.put("config", Map.of("min_value", -1, "max_value", 1));
        dict.put("registered_name", "qkeras>Clip");
        dict.put("shared_object_id", 140245129867536L);
        assertEquals(new Clip(-1, 1), registry.deserialize(dict));
        // larq, corpus #21: snake_case class_name, bare registered_name.
        assertEquals(new WeightClip(1), registry.deserialize(Map.of("module", "larq.constraints",
                "class_name", "weight_clip", "config", Map.of("clip_value", 1), "registered_name", "weight_clip")));
    }

    @Test
    void writesEachFormatInKerasShape() {
        MaxNorm c = new MaxNorm(2, Axis.list(0, 1, 2));
        assertEquals(List.of("module", "class_name", "config", "registered_name"),
                List.copyOf(registry.serialize(c, ConstraintFormat.KERAS_3).keySet()));
        assertEquals(Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2, "axis", List.of(0, 1, 2))),
                registry.serialize(c, ConstraintFormat.KERAS_2));
        assertEquals(Map.of("className", "MaxNorm", "config", Map.of("maxValue", 2, "axis", List.of(0, 1, 2))),
                registry.serialize(c, ConstraintFormat.TFJS_CAMEL_CASE));
        // A registered custom class writes its registered name as the legacy class_name, as tf.keras does.
        assertEquals("qkeras>Clip", registry.serialize(new Clip(), ConstraintFormat.KERAS_2).get("class_name"));
        Map<String, Object> k3 = registry.serialize(new Clip(), ConstraintFormat.KERAS_3);
        assertEquals("qkeras.qlayers", k3.get("module"));
        assertEquals("qkeras>Clip", k3.get("registered_name"));
        // Keras 1.2.2 get_config: the class name under "name" and Keras 1 keys.
        assertEquals(Map.of("name", "MaxNorm", "m", 2, "axis", List.of(0, 1, 2)),
                registry.serialize(c, ConstraintFormat.KERAS_1));
        assertEquals(Map.of("name", "MinMaxNorm", "low", 0.0, "high", 1.0, "rate", 1.0, "axis", 0),
                registry.serialize(new MinMaxNorm(), ConstraintFormat.KERAS_1));
    }

    /** Every registered name, with defaults and with other parameters, survives each written format. */
    @Test
    void everyRegisteredNameRoundTripsThroughEveryWrittenFormat() {
        List<Constraint> extra = List.of(new MaxNorm(0.25, Axis.list(0, 1, 2)), new MinMaxNorm(1.0, 2.0, 3.0, -1),
                new UnitNorm(Axis.all()), new Clip(-1.0, 1.0), new WeightClip(0.5));
        List<Constraint> all = new java.util.ArrayList<>(extra);
        registry.names().forEach(name -> all.add(registry.get(name)));
        for (Constraint c : all) {
            for (ConstraintFormat format : ConstraintFormat.values()) {
                Map<String, Object> dict = registry.serialize(c, format);
                assertEquals(c, registry.deserialize(dict), format + " " + dict);
            }
        }
    }

    @Test
    void numbersAndAxisFormsSurviveEveryFormat() {
        for (ConstraintFormat format : List.of(ConstraintFormat.KERAS_3, ConstraintFormat.KERAS_2, ConstraintFormat.TFJS_CAMEL_CASE)) {
            Constraint back = registry.deserialize(registry.serialize(new MaxNorm(2, Axis.list(0)), format));
            assertEquals(Integer.valueOf(2), back.getConfig().get("max_value"));
            assertEquals(List.of(0), back.getConfig().get("axis"));
        }
    }

    @Test
    void errorsNameWhereTheConfigWasFound() {
        ConfigException e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "MaxNorm", "config", Map.of("max_value", "two")), "layer 'dense_1' kernel_constraint"));
        assertEquals("MaxNorm config in layer 'dense_1' kernel_constraint key 'max_value' is \"two\"; expected a "
                + "finite number", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("name", "MaxNorm", "m", 2, "oops", 1), "layer 'dense_1' W_constraint"));
        assertEquals("MaxNorm config in layer 'dense_1' W_constraint has unknown key 'oops' (value 1); expected only "
                + "max_value, axis", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(Map.of("class_name", "ZeroSomeWeights",
                "config", Map.of("binary_tensor", List.of(List.of(1), List.of()))), "layer 'fc1' kernel_constraint"));
        assertEquals("ZeroSomeWeights config in layer 'fc1' kernel_constraint is invalid: ZeroSomeWeights "
                + "binary_tensor is ragged: expected a list of 1 at depth 1 (shape [2, 1])", e.getMessage());
    }
}
