package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code getConfig()} keys, key order and value types, per Keras 3 {@code get_config} (reference 1.5). */
class ConfigTest {

    @Test
    void maxNormDefaultsHaveTheIntMaxValue() {
        Map<String, Object> config = new MaxNorm().getConfig();
        assertEquals(List.of("max_value", "axis"), new ArrayList<>(config.keySet()));
        assertEquals(Integer.valueOf(2), config.get("max_value"));
        assertEquals(Integer.valueOf(0), config.get("axis"));
    }

    @Test
    void minMaxNormDefaultsAreFloatsInKerasOrder() {
        Map<String, Object> config = new MinMaxNorm().getConfig();
        assertEquals(List.of("min_value", "max_value", "rate", "axis"), new ArrayList<>(config.keySet()));
        assertEquals(List.of(0.0, 1.0, 1.0, 0), new ArrayList<>(config.values()));
    }

    /** Keras 3 {@code test_*_get_config}. */
    @Test
    void kerasGetConfigTests() {
        assertEquals(ordered("max_value", 3.0, "axis", 1), new MaxNorm(3.0, 1).getConfig());
        assertEquals(ordered("axis", 1), new UnitNorm(1).getConfig());
        assertEquals(ordered("min_value", 0.5, "max_value", 2.0, "rate", 0.7, "axis", 1),
                new MinMaxNorm(0.5, 2.0, 0.7, 1).getConfig());
        assertEquals(Map.of(), NonNeg.INSTANCE.getConfig());
        assertEquals(Map.of(), Constraint.identity().getConfig());
        assertEquals(Map.of(), RadialConstraint.INSTANCE.getConfig());
    }

    @Test
    void axisKeepsItsForm() {
        assertEquals(List.of(0, 1, 2), new UnitNorm(Axis.list(0, 1, 2)).getConfig().get("axis"));
        assertEquals(List.of(0), new UnitNorm(Axis.list(0)).getConfig().get("axis"));
        assertEquals(-1, new UnitNorm(-1).getConfig().get("axis"));
        Map<String, Object> none = new UnitNorm(Axis.all()).getConfig();
        assertEquals(true, none.containsKey("axis"));
        assertEquals(null, none.get("axis"));
    }

    @Test
    void numbersKeepTheirType() {
        assertEquals(Long.valueOf(5_000_000_000L), new MaxNorm(5_000_000_000L).getConfig().get("max_value"));
        assertEquals(Double.valueOf(0.1), new MaxNorm(0.1f).getConfig().get("max_value"), "float widened as written");
    }

    @Test
    void equalityFollowsTheConfig() {
        assertEquals(new MaxNorm(), new MaxNorm(2, 0));
        assertEquals(new MaxNorm().hashCode(), new MaxNorm(2, 0).hashCode());
        assertNotEquals(new MaxNorm(2), new MaxNorm(2.0), "2 and 2.0 write different configs");
        assertNotEquals(new UnitNorm(0), new UnitNorm(Axis.list(0)), "0 and [0] write different configs");
        assertEquals(new MinMaxNorm(0.5, 1.0, 0.5, Axis.list(0, 1)), new MinMaxNorm(0.5, 1.0, 0.5, Axis.list(0, 1)));
        assertNotEquals(new MinMaxNorm(0.5, 1.0), new MinMaxNorm(0.5, 2.0));
    }

    @Test
    void toStringReadsLikePython() {
        assertEquals("MaxNorm(max_value=2, axis=0)", new MaxNorm().toString());
        assertEquals("MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=[0, 1])",
                new MinMaxNorm(0.0, 1.0, 1.0, Axis.list(0, 1)).toString());
        assertEquals("UnitNorm(axis=None)", new UnitNorm(Axis.all()).toString());
        assertEquals("NonNeg()", NonNeg.INSTANCE.toString());
        assertEquals("Constraint()", Constraint.identity().toString());
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        assertEquals(Arrays.asList(kv).size() / 2, m.size());
        return m;
    }
}
