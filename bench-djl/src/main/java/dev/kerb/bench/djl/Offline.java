package dev.kerb.bench.djl;

import java.nio.file.Path;

/**
 * Runs DJL offline in each benchmark JVM: PyTorch from the pytorch-native-cpu jar, unpacked beside this module's jar
 * unless {@code DJL_CACHE_DIR} is set, and one PyTorch thread per pool unless set (on 2 cores, PyTorch's default
 * pools made small ops about 40x slower). Kerb's projections use the default {@code ApplyOptions}.
 */
final class Offline {
    private Offline() {
    }

    static void configure() {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            try {
                Path jar = Path.of(Offline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                String cache = jar.getParent().resolve("djl-cache").toString();
                System.setProperty("DJL_CACHE_DIR", cache);
                System.setProperty("ENGINE_CACHE_DIR", cache);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
