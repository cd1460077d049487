# Writes layer-configs.json: what Keras 3.15.1 itself writes for each layer the Kotlin DSL builds
# (serialize_keras_object of an unbuilt layer), for LayerConfigTest. Run with Keras 3.15.1 installed:
#   KERAS_BACKEND=jax python make_layer_configs.py
import json
import keras
from keras import constraints as C, initializers as I, layers as L, regularizers as R

assert keras.__version__ == "3.15.1", keras.__version__

cases = {
    "dense": L.Dense(64, activation="relu", name="dense", kernel_constraint=C.MaxNorm(2.0),
                     bias_constraint=C.NonNeg()),
    "dense_defaults": L.Dense(4, name="dense_defaults"),
    "dense_activity": L.Dense(4, name="dense_activity", activity_regularizer=R.L2(0.01),
                              kernel_regularizer=R.L1(0.01), bias_regularizer=R.L1L2(0.1, 0.2)),
    "einsum": L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c", name="einsum",
                            kernel_constraint=C.UnitNorm()),
    "embedding": L.Embedding(100, 16, name="embedding", embeddings_constraint=C.UnitNorm(axis=1)),
    "conv1d": L.Conv1D(8, 3, name="conv1d", padding="causal"),
    "conv2d": L.Conv2D(32, 3, name="conv2d", kernel_constraint=C.UnitNorm(axis=[0, 1, 2])),
    "conv2d_activity": L.Conv2D(8, 3, name="conv2d_activity", activity_regularizer=R.L2(0.01)),
    "conv3d": L.Conv3D(4, 2, name="conv3d", bias_constraint=C.MaxNorm(1)),
    "conv1d_transpose": L.Conv1DTranspose(8, 3, name="conv1d_transpose"),
    "conv2d_transpose": L.Conv2DTranspose(8, 3, name="conv2d_transpose", kernel_constraint=C.MaxNorm(2)),
    "conv3d_transpose": L.Conv3DTranspose(8, 3, name="conv3d_transpose"),
    "depthwise_conv1d": L.DepthwiseConv1D(3, name="depthwise_conv1d"),
    "depthwise_conv2d": L.DepthwiseConv2D(3, name="depthwise_conv2d", depthwise_constraint=C.MaxNorm(1.0)),
    "separable_conv1d": L.SeparableConv1D(8, 3, name="separable_conv1d"),
    "separable_conv2d": L.SeparableConv2D(8, 3, name="separable_conv2d", depthwise_constraint=C.MaxNorm(2),
                                          pointwise_constraint=C.MaxNorm(2), bias_constraint=C.MaxNorm(2)),
    "simple_rnn": L.SimpleRNN(4, name="simple_rnn", recurrent_constraint=C.UnitNorm()),
    "lstm": L.LSTM(8, name="lstm", return_sequences=True, kernel_constraint=C.MaxNorm(3),
                   recurrent_constraint=C.UnitNorm(), bias_constraint=C.NonNeg()),
    "gru": L.GRU(8, name="gru", kernel_constraint=C.MinMaxNorm(0.5, 1.5, rate=0.5)),
    "conv_lstm1d": L.ConvLSTM1D(4, 3, name="conv_lstm1d"),
    "conv_lstm2d": L.ConvLSTM2D(4, 3, name="conv_lstm2d", kernel_constraint=C.MaxNorm(2)),
    "bidirectional": L.Bidirectional(L.LSTM(4, name="lstm", kernel_constraint=C.MaxNorm(3)), name="bidirectional"),
    "batch_normalization": L.BatchNormalization(name="batch_normalization", gamma_constraint=C.NonNeg(),
                                                beta_constraint=C.MaxNorm(1)),
    "layer_normalization": L.LayerNormalization(name="layer_normalization", gamma_constraint=C.NonNeg()),
    "group_normalization": L.GroupNormalization(groups=4, name="group_normalization"),
    "prelu": L.PReLU(name="prelu", alpha_constraint=C.NonNeg()),
    "multi_head_attention": L.MultiHeadAttention(num_heads=2, key_dim=4, name="multi_head_attention",
                                                 kernel_constraint=C.MaxNorm(2)),
    "input_layer": L.InputLayer(shape=(8,), name="input_layer"),
    "flatten": L.Flatten(name="flatten"),
    "reshape": L.Reshape((4, 2), name="reshape"),
    "dropout": L.Dropout(0.5, name="dropout"),
    "activation": L.Activation("relu", name="activation"),
    "max_pooling1d": L.MaxPooling1D(name="max_pooling1d"),
    "max_pooling2d": L.MaxPooling2D(name="max_pooling2d"),
    "max_pooling3d": L.MaxPooling3D(name="max_pooling3d"),
    "average_pooling1d": L.AveragePooling1D(2, name="average_pooling1d"),
    "average_pooling2d": L.AveragePooling2D(2, name="average_pooling2d"),
    "average_pooling3d": L.AveragePooling3D(2, name="average_pooling3d"),
    "global_average_pooling1d": L.GlobalAveragePooling1D(name="global_average_pooling1d"),
    "global_average_pooling2d": L.GlobalAveragePooling2D(name="global_average_pooling2d"),
    "global_average_pooling3d": L.GlobalAveragePooling3D(name="global_average_pooling3d"),
    "global_max_pooling1d": L.GlobalMaxPooling1D(name="global_max_pooling1d"),
    "global_max_pooling2d": L.GlobalMaxPooling2D(name="global_max_pooling2d"),
    "global_max_pooling3d": L.GlobalMaxPooling3D(name="global_max_pooling3d"),
    "concatenate": L.Concatenate(name="concatenate"),
    "add": L.Add(name="add"),
}
objects = {
    "glorot_uniform": I.GlorotUniform(), "glorot_normal": I.GlorotNormal(), "he_uniform": I.HeUniform(),
    "he_normal": I.HeNormal(seed=7), "lecun_uniform": I.LecunUniform(), "lecun_normal": I.LecunNormal(),
    "variance_scaling": I.VarianceScaling(), "random_uniform": I.RandomUniform(), "random_normal": I.RandomNormal(),
    "truncated_normal": I.TruncatedNormal(), "orthogonal": I.Orthogonal(), "zeros": I.Zeros(), "ones": I.Ones(),
    "constant": I.Constant(), "l1": R.L1(), "l2": R.L2(), "l1l2": R.L1L2(), "orthogonal_regularizer": R.OrthogonalRegularizer(),
}
out = {"layers": {k: keras.saving.serialize_keras_object(v) for k, v in cases.items()},
       "objects": {k: keras.saving.serialize_keras_object(v) for k, v in objects.items()}}
with open("layer-configs.json", "w") as f:
    json.dump(out, f, indent=1)
