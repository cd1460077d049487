package dev.kerb.djl.graph

/** SimpleRNN, LSTM and GRU, and the Bidirectional and TimeDistributed wrappers. */
internal object RecurrentLayers {
    val BUILDERS: Map<String, OpBuilder> = emptyMap()
}
