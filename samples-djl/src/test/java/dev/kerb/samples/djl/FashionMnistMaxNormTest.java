package dev.kerb.samples.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the sample for two epochs on the repository's subset (the README's command runs ten, with MaxNorm(2)). */
class FashionMnistMaxNormTest {
    private static final Pattern EPOCH = Pattern.compile(
            "(MaxNorm \\+ dropout|dropout alone) +epoch +(\\d+) +test accuracy ([0-9.]+)% +largest unit norm: "
                    + "hidden 1 ([0-9.]+), hidden 2 ([0-9.]+)");

    @Test
    void trainsBothNetworksAndTheConstrainedOnesUnitsStayWithinTheMaxNorm() throws Exception {
        List<String> lines = FashionMnistMaxNorm.lines("--epochs", "2", "--max-norm", "1.5", "--data",
                FashionMnistMaxNorm.SUBSET.toString());
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("Fashion-MNIST from samples-djl/data/fashion-mnist-subset: 6000 training "
                + "and 1000 test images"), lines.get(0));
        double largestUnconstrained = 0;
        for (String line : lines.subList(1, 5)) {
            Matcher m = EPOCH.matcher(line);
            assertTrue(m.matches(), line);
            double accuracy = Double.parseDouble(m.group(3));
            assertTrue(accuracy > 50, "far better than the 10% of chance: " + line);
            double largest = Math.max(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
            if (m.group(1).startsWith("MaxNorm")) {
                assertTrue(largest <= 1.5005, "MaxNorm(1.5) holds, to the printed digits: " + line);
            } else {
                largestUnconstrained = Math.max(largestUnconstrained, largest);
            }
        }
        // Without the constraint the same training leaves some unit above 1.5, so the constraint did work.
        assertTrue(largestUnconstrained > 1.5, "dropout alone: " + largestUnconstrained);
        assertTrue(lines.get(5).matches("test accuracy: [0-9.]+% with MaxNorm\\(1\\.5\\) and dropout, [0-9.]+% with "
                + "dropout alone"), lines.get(5));
    }

    @Test
    void badArgumentsAreNamedAndNothingRuns() throws Exception {
        assertEquals("unknown argument --epoch", assertThrows(IllegalArgumentException.class,
                () -> FashionMnistMaxNorm.Options.parse("--epoch", "2")).getMessage());
        assertEquals("--max-norm two is not a number", assertThrows(IllegalArgumentException.class,
                () -> FashionMnistMaxNorm.Options.parse("--max-norm", "two")).getMessage());
        assertEquals("--data needs a value", assertThrows(IllegalArgumentException.class,
                () -> FashionMnistMaxNorm.Options.parse("--data")).getMessage());
        assertEquals(List.of(), FashionMnistMaxNorm.lines("--epochs", "0"));
    }
}
