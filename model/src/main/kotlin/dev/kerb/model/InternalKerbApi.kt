package dev.kerb.model

/**
 * Marks declarations that are public only so that Kerb's own modules can share them. They are not part of Kerb's
 * API: they may change or go away in any release. Opting in is an error on purpose.
 */
@RequiresOptIn(
    level = RequiresOptIn.Level.ERROR,
    message = "This is Kerb's internal API, shared between its modules; it may change without notice.",
)
@Retention(AnnotationRetention.BINARY)
@Target(AnnotationTarget.CLASS, AnnotationTarget.FUNCTION, AnnotationTarget.PROPERTY)
public annotation class InternalKerbApi
