package dev.kerb.samples.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST read from its four gzipped IDX files, pixels scaled to [0, 1]. */
record FashionMnist(NDArray trainImages, NDArray trainLabels, NDArray testImages, NDArray testLabels) {
    static FashionMnist read(Path dir, NDManager manager) throws IOException {
        return new FashionMnist(images(dir.resolve("train-images-idx3-ubyte.gz"), manager),
                labels(dir.resolve("train-labels-idx1-ubyte.gz"), manager),
                images(dir.resolve("t10k-images-idx3-ubyte.gz"), manager),
                labels(dir.resolve("t10k-labels-idx1-ubyte.gz"), manager));
    }

    int trainCount() {
        return Math.toIntExact(trainLabels.size());
    }

    int testCount() {
        return Math.toIntExact(testLabels.size());
    }

    ArrayDataset train(int batch) {
        return new ArrayDataset.Builder().setData(trainImages).optLabels(trainLabels).setSampling(batch, true).build();
    }

    ArrayDataset test(int batch) {
        return new ArrayDataset.Builder().setData(testImages).optLabels(testLabels).setSampling(batch, false).build();
    }

    private static NDArray images(Path file, NDManager manager) throws IOException {
        try (DataInputStream in = open(file, 2051)) {
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[] data = in.readNBytes(count * pixels);
            checkLength(file, data.length, count * pixels);
            float[] scaled = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                scaled[i] = (data[i] & 0xff) / 255f;
            }
            return manager.create(scaled, new Shape(count, pixels));
        }
    }

    private static NDArray labels(Path file, NDManager manager) throws IOException {
        try (DataInputStream in = open(file, 2049)) {
            int count = in.readInt();
            byte[] data = in.readNBytes(count);
            checkLength(file, data.length, count);
            return manager.create(data, new Shape(count)).toType(DataType.FLOAT32, false);
        }
    }

    private static DataInputStream open(Path file, int magic) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
        int found = in.readInt();
        if (found != magic) {
            in.close();
            throw new IOException(file + " is not an IDX file of this kind: magic " + found + ", expected " + magic);
        }
        return in;
    }

    private static void checkLength(Path file, int found, int expected) throws IOException {
        if (found != expected) {
            throw new IOException(file + " ends after " + found + " bytes of data; its header promises " + expected);
        }
    }
}
