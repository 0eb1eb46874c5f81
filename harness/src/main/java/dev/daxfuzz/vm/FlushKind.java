package dev.daxfuzz.vm;

/** The x86 cache-line flush instructions a user access may issue through a mapping. */
public enum FlushKind {
    /** {@code clflush}: write back and invalidate, ordered with other stores. */
    CLFLUSH,
    /** {@code clflushopt}: write back and invalidate, weakly ordered (needs a fence). */
    CLFLUSHOPT,
    /** {@code clwb}: write back, keep the line, weakly ordered (needs a fence). */
    CLWB
}
