/**
 * Kerb's kernels, tensor views and loops: not API. Nothing here is meant to be called from outside Kerb, and any of
 * it may change or disappear in any release without notice.
 *
 * <p>The module descriptor does not export this package; on the classpath it is public only because the API
 * packages, {@code dev.kerb.core} and {@code dev.kerb.core.thirdparty}, call into it.
 */
package dev.kerb.core.internal;
