package dev.kerb.samples.djl;

import java.nio.file.Path;

/**
 * Runs DJL without the network: its PyTorch native library comes from the pytorch-native-cpu jar on the classpath
 * and unpacks into {@code djl-cache} beside this sample's jar (under {@code target/}), unless the user set
 * {@code DJL_CACHE_DIR}. One PyTorch thread for each pool unless set: on the 2-core machines measured, small ops
 * ran about 40 times faster than with PyTorch's default pools.
 */
final class DjlOffline {
    private DjlOffline() {
    }

    static void configure() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path jar = Path.of(FashionMnistMaxNorm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String cache = jar.getParent().resolve("djl-cache").toString();
            System.setProperty("DJL_CACHE_DIR", cache);
            System.setProperty("ENGINE_CACHE_DIR", cache);
        }
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
