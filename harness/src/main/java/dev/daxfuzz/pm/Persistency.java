package dev.daxfuzz.pm;

/**
 * Where the power-fail-safe domain ends on the emulated platform.
 *
 * <p>With {@link #ADR} (Asynchronous DRAM Refresh) only the memory controller's write-pending
 * queues are flushed at power failure, so CPU caches are lost: a cached store is durable only
 * once a flush (clflush, clflushopt, clwb) or an eviction has written its line back. With
 * {@link #EADR} (extended ADR, Intel 3rd-generation Xeon Scalable and later) the caches are
 * flushed too, so everything that has left a CPU's store buffer survives; only the store
 * buffers are lost.
 */
public enum Persistency {
    /** Caches are volatile: the default, and what every peer tool assumes. */
    ADR("adr"),
    /** Caches are inside the power-fail-safe domain; store buffers are not. */
    EADR("eadr");

    private final String keyword;

    Persistency(String keyword) {
        this.keyword = keyword;
    }

    /** The word used for this mode in a {@code .dxp} header ({@code persistency adr}). */
    public String keyword() {
        return keyword;
    }
}
