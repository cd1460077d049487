package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.RadialConstraint;
import dev.kerb.core.UnitNorm;
import dev.kerb.core.thirdparty.Clip;
import dev.kerb.core.thirdparty.WeightClip;
import dev.kerb.core.thirdparty.ZeroSomeWeights;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Built-in names, {@code get}, serialize/deserialize round trips and error messages (Keras 3 reference 1.6-2.3). */
class ConstraintRegistryTest {
    private final ConstraintRegistry registry = ConstraintRegistry.create();

    private static final List<Constraint> SAMPLES = List.of(Constraint.identity(), new MaxNorm(), new MaxNorm(3.0, 1),
            new MaxNorm(0.25, Axis.list(0, 1, 2)), new MinMaxNorm(), new MinMaxNorm(1.0, 2.0, 3.0, -1),
            new MinMaxNorm(0, 2, 1, Axis.all()), NonNeg.INSTANCE, new UnitNorm(), new UnitNorm(Axis.list(0, 1, 2)),
            RadialConstraint.INSTANCE, new Clip(-1, 1), new Clip(-1.0, 1.0), new WeightClip(), new WeightClip(0.5),
            new ZeroSomeWeights(List.of(List.of(0.0, 1.0), List.of(1.0, 0.0))), new ZeroSomeWeights());

    @Test
    void everyNameResolvesToItsClassWithDefaults() {
        Map<String, Constraint> expected = new LinkedHashMap<>();
        for (String name : List.of("Constraint", "constraint")) {
            expected.put(name, Constraint.identity());
        }
        for (String name : List.of("MaxNorm", "max_norm", "maxnorm", "maxNorm")) {
            expected.put(name, new MaxNorm());
        }
        for (String name : List.of("MinMaxNorm", "min_max_norm", "minMaxNorm")) {
            expected.put(name, new MinMaxNorm());
        }
        for (String name : List.of("NonNeg", "non_neg", "nonneg", "nonNeg")) {
            expected.put(name, NonNeg.INSTANCE);
        }
        for (String name : List.of("UnitNorm", "unit_norm", "unitnorm", "unitNorm")) {
            expected.put(name, new UnitNorm());
        }
        for (String name : List.of("RadialConstraint", "radial_constraint")) {
            expected.put(name, RadialConstraint.INSTANCE);
        }
        for (String name : List.of("qkeras>Clip", "Clip")) {
            expected.put(name, new Clip());
        }
        for (String name : List.of("weight_clip", "WeightClip")) {
            expected.put(name, new WeightClip());
        }
        for (String name : List.of("ZeroSomeWeights", "zero_some_weights")) {
            expected.put(name, new ZeroSomeWeights());
        }
        expected.forEach((name, constraint) -> assertEquals(constraint, registry.get(name), name));
        assertEquals(List.copyOf(new java.util.TreeSet<>(expected.keySet())), registry.names());
    }

    @Test
    void fromConfigOfGetConfigIsEqualForEveryBuiltin() {
        for (Constraint c : SAMPLES) {
            Map<String, Object> dict = registry.serialize(c);
            assertEquals(c, registry.deserialize(dict), dict.toString());
            assertEquals(c, registry.get(dict));
            String className = (String) dict.get("class_name");
            assertEquals(c, registry.fromConfig(className, c.getConfig()), className);
        }
    }

    @Test
    void serializeWritesTheKeras3Dict() {
        Map<String, Object> dict = registry.serialize(new MaxNorm());
        assertEquals(List.of("module", "class_name", "config", "registered_name"), List.copyOf(dict.keySet()));
        assertEquals("keras.constraints", dict.get("module"));
        assertEquals("MaxNorm", dict.get("class_name"));
        assertEquals(Map.of("max_value", 2, "axis", 0), dict.get("config"));
        assertTrue(dict.containsKey("registered_name"));
        assertNull(dict.get("registered_name"));
        assertEquals(Map.of(), registry.serialize(Constraint.identity()).get("config"));
        assertEquals("Constraint", registry.serialize(Constraint.identity()).get("class_name"));
    }

    @Test
    void keras2DictsAndMissingConfigsLoad() {
        assertEquals(new MaxNorm(2.0, 0),
                registry.deserialize(Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2.0, "axis", 0))));
        Map<String, Object> nullConfig = new HashMap<>();
        nullConfig.put("class_name", "UnitNorm");
        nullConfig.put("config", null);
        assertEquals(new UnitNorm(), registry.deserialize(nullConfig));
        assertEquals(new MinMaxNorm(), registry.deserialize(Map.of("class_name", "min_max_norm")));
        assertEquals(new MaxNorm(1, Axis.list(0, 1, 2)), registry.deserialize(
                Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 1, "axis", List.of(0, 1, 2)))));
    }

    @Test
    void getFollowsKerasRules() {
        assertNull(registry.get(null));
        Constraint instance = new MaxNorm(7);
        assertSame(instance, registry.get(instance));
        ConfigException e = assertThrows(ConfigException.class, () -> registry.get(5));
        assertEquals("Could not interpret constraint identifier: 5 (Integer); expected null, a name, a config dict "
                + "or a Constraint", e.getMessage());
    }

    @Test
    void unknownNamesListTheRegisteredOnesAndSuggestTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> registry.get("max_nrom"));
        assertEquals("Could not interpret constraint identifier 'max_nrom': no constraint is registered under that "
                + "name (did you mean 'max_norm'?). Registered names: " + String.join(", ", registry.names()),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.get("typo"));
        assertTrue(e.getMessage().startsWith("Could not interpret constraint identifier 'typo': no constraint is "
                + "registered under that name. Registered names: Clip, Constraint, MaxNorm,"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.fromConfig("UnitNrom", Map.of()));
        assertTrue(e.getMessage().startsWith("Could not interpret constraint class_name 'UnitNrom': no constraint is "
                + "registered under that name (did you mean 'UnitNorm'?)."), e.getMessage());
    }

    @Test
    void noJavaClassNameResolves() {
        assertThrows(ConfigException.class, () -> registry.get("dev.kerb.core.MaxNorm"));
        Constraint opaque = registry.deserialize(Map.of("class_name", "java.lang.Runtime", "module", "java.lang"));
        assertTrue(opaque instanceof UnresolvedConstraint, "kept as data, never instantiated: " + opaque);
    }

    @Test
    void malformedDictsAreErrors() {
        ConfigException e = assertThrows(ConfigException.class, () -> registry.deserialize(Map.of("config", Map.of())));
        assertEquals("constraint config {\"config\": {}} has no 'class_name' (Keras 2 and 3), 'className' (TF.js) or "
                + "'name' (Keras 1); expected e.g. {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2, "
                + "\"axis\": 0}}", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> registry.deserialize(Map.of("class_name", "MaxNorm", "config", List.of(1))));
        assertEquals("MaxNorm 'config' is [1]; expected a dict or null", e.getMessage());
    }

    @Test
    void strictConfigsNameTheKeyTheValueAndTheExpectation() {
        ConfigException e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "MaxNorm", "config", Map.of("max_value", "two"))));
        assertEquals("MaxNorm config key 'max_value' is \"two\"; expected a finite number", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "UnitNorm", "config", Map.of("axis", 0, "m", 2.0))));
        assertEquals("UnitNorm config has unknown key 'm' (value 2.0); expected only axis", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "NonNeg", "config", Map.of("axis", 0))));
        assertEquals("NonNeg config has unknown key 'axis' (value 0); expected no keys", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "MinMaxNorm", "config", Map.of("rate", Double.POSITIVE_INFINITY))));
        assertEquals("MinMaxNorm config key 'rate' is Infinity; expected a finite number", e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.deserialize(
                Map.of("class_name", "MaxNorm", "config", Map.of("axis", List.of(0, 1.5)))));
        assertEquals("MaxNorm config key 'axis' is [0, 1.5]; expected an int, a list of ints or null",
                e.getMessage());
    }

    @Test
    void duplicateRegistrationNamesBothEntries() {
        var clash = ConstraintType.builder("Clash", MyConstraint.class).aliases("max_norm")
                .factory(c -> new MyConstraint()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.register(clash));
        assertEquals("constraint name 'max_norm' of Clash (" + MyConstraint.class.getName() + ") is already "
                + "registered by MaxNorm (dev.kerb.core.MaxNorm); use replace() to replace it on purpose",
                e.getMessage());
        assertTrue(registry.lookup("Clash").isEmpty(), "nothing was added");
    }

    @Test
    void serializingAnUnregisteredClassIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> registry.serialize(new MyConstraint()));
        assertTrue(e.getMessage().contains("is not registered"), e.getMessage());
    }

    static final class MyConstraint implements Constraint {
        @Override
        public void apply(dev.kerb.core.Tensor weights, dev.kerb.core.ApplyOptions options) {
        }

        @Override
        public Map<String, Object> getConfig() {
            return Map.of();
        }
    }
}
