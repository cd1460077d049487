/**
 * The repository's corpus of real public Keras model files ({@code testdata/keras-corpus}, with each file's origin,
 * Keras version and licence in its {@code SOURCES.md}) and {@link dev.kerb.testdata.KerasCorpus}, which locates it
 * for tests and samples. Not published.
 */
package dev.kerb.testdata;
