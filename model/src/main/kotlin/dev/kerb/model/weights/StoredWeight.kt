package dev.kerb.model.weights

import dev.kerb.core.Shape

/**
 * One weight as a Keras file stores it.
 *
 * @property name the Keras variable path without the top model's name: `dense/kernel`,
 *   `bi/forward_lstm/lstm_cell/kernel`, `mha/query/kernel`, as [dev.kerb.model.ModelSpec.applyConstraints] names weights
 * @property shape its shape
 * @property dtype `float32`, `float64`, or the stored type's name for others (which Kerb reads but does not project)
 * @property dataset the HDF5 dataset holding it, inside `model.weights.h5` for a `.keras` archive
 */
public class StoredWeight internal constructor(
    public val name: String,
    public val shape: Shape,
    public val dtype: String,
    public val dataset: String,
    /** Where the little-endian values start in the file, or -1 when they are not stored as one plain run. */
    internal val offset: Long,
    /** Why the values cannot be patched in place (chunked, filtered, big-endian), or null when they can. */
    internal val unpatchable: String?,
) {
    override fun toString(): String = "$name $dtype $shape"
}
