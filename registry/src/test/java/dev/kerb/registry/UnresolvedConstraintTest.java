package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.Constraint;
import dev.kerb.core.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A constraint nobody registered loads, keeps its config verbatim, writes it back, and fails only when applied. */
class UnresolvedConstraintTest {
    private final ConstraintRegistry registry = ConstraintRegistry.create();

    private static Map<String, Object> keras3Dict() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("module", "my_lab.constraints");
        dict.put("class_name", "Orthonormal");
        dict.put("config", Map.of("scale", 2, "axes", List.of(0, 1)));
        dict.put("registered_name", "my_lab>Orthonormal");
        dict.put("shared_object_id", 7);
        return dict;
    }

    @Test
    void keepsTheDictAndWritesItBackButForThePythonObjectId() {
        Constraint c = registry.deserialize(keras3Dict());
        UnresolvedConstraint u = (UnresolvedConstraint) c;
        assertEquals(ConstraintFormat.KERAS_3, u.format());
        assertEquals(Map.of("scale", 2, "axes", List.of(0, 1)), u.getConfig());
        // Keras 3.15.1 writes shared_object_id (a Python id) on a constraint object used twice; get_config never
        // has it, and keras.constraints.serialize does not write it.
        Map<String, Object> expected = keras3Dict();
        expected.remove("shared_object_id");
        assertEquals(expected, registry.serialize(c));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(registry.serialize(c).keySet()));
        assertEquals(c, registry.deserialize(keras3Dict()));
    }

    @Test
    void aKeras2PackageNameIsReadAsKeras3ReadsIt() {
        // tf.keras 2 wrote a registered custom class as class_name "package>Name"; Keras 3.15.1 reads that as
        // class_name "Name" with registered_name "package>Name", and keras.constraints.deserialize needs that form.
        Map<String, Object> keras2 = Map.of("class_name", "Custom>CenterAround", "config", Map.of("ref_value", 0.5));
        Constraint c = registry.deserialize(keras2);
        Map<String, Object> keras3 = new LinkedHashMap<>();
        keras3.put("module", null);
        keras3.put("class_name", "CenterAround");
        keras3.put("config", Map.of("ref_value", 0.5));
        keras3.put("registered_name", "Custom>CenterAround");
        assertEquals(keras3, registry.serialize(c, ConstraintFormat.KERAS_3));
        assertEquals(keras2, registry.serialize(c, ConstraintFormat.KERAS_2));
        assertEquals("Custom>CenterAround{\"ref_value\": 0.5} (unregistered)", c.toString());
        ConstraintRegistry withIt = registry.with(CenterAround.TYPE);
        assertEquals(new CenterAround(0.5), withIt.deserialize(keras2));
    }

    @Test
    void convertsToOtherFormats() {
        Constraint c = registry.deserialize(keras3Dict());
        assertEquals(Map.of("class_name", "my_lab>Orthonormal", "config", Map.of("scale", 2, "axes", List.of(0, 1))),
                registry.serialize(c, ConstraintFormat.KERAS_2));
        Map<String, Object> keras2 = Map.of("class_name", "Foo", "config", Map.of("a_b", 1));
        Constraint legacy = registry.deserialize(keras2);
        assertEquals(keras2, registry.serialize(legacy, ConstraintFormat.KERAS_2));
        assertEquals(Map.of("className", "Foo", "config", Map.of("aB", 1)), registry.serialize(legacy, ConstraintFormat.TFJS_CAMEL_CASE));
        Map<String, Object> keras1 = Map.of("name", "Foo", "c", 0.5);
        assertEquals(Map.of("c", 0.5), registry.deserialize(keras1).getConfig());
    }

    @Test
    void applyingItSaysWhatIsMissingAndHowToRegisterIt() {
        Constraint c = registry.deserialize(keras3Dict());
        UnregisteredConstraintException e = assertThrows(UnregisteredConstraintException.class,
                () -> c.apply(new float[] {1}, Shape.of(1)));
        assertEquals("my_lab>Orthonormal", e.name());
        assertEquals("constraint 'my_lab>Orthonormal' is not registered, so Kerb cannot apply it; register a "
                + "ConstraintType named 'my_lab>Orthonormal' with ConstraintRegistry.register, or ship a "
                + "ConstraintProvider on the classpath", e.getMessage());
        Constraint typo = registry.deserialize(Map.of("class_name", "MaxNrom", "config", Map.of()));
        e = assertThrows(UnregisteredConstraintException.class, () -> typo.check(Shape.of(1)));
        assertEquals("MaxNrom", e.name());
        assertTrue(e.getMessage().startsWith("constraint 'MaxNrom' is not registered, so Kerb cannot apply it (did "
                + "you mean 'MaxNorm'?); register"), e.getMessage());
    }

    @Test
    void itsConfigCannotBeChangedFromOutside() {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("x", 1));
        Map<String, Object> dict = new LinkedHashMap<>(Map.of("class_name", "Foo"));
        dict.put("config", config);
        Constraint c = registry.deserialize(dict);
        config.put("x", 2);
        assertEquals(Map.of("x", 1), c.getConfig());
        assertThrows(UnsupportedOperationException.class, () -> c.getConfig().put("y", 3));
    }
}
