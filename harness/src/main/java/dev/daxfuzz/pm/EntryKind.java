package dev.daxfuzz.pm;

/**
 * The kinds of store-buffer entry, and the one table that says which may leave the buffer
 * before which.
 *
 * <p>The table is Intel SDM vol. 3A §8.2.2 ("Memory Ordering in P6 and More Recent Processor
 * Families") and the CLFLUSH, CLFLUSHOPT and CLWB entries of vol. 2, as formalised by Px86
 * (Raad, Wickerson, Neiger, Vafeiadis, POPL 2020) and its equivalent PTSO-syn (Khyzha and Lahav,
 * POPL 2021). An entry <em>overtakes</em> an older entry of the same CPU when it propagates out
 * of the store buffer while the older one is still there:
 *
 * <table>
 *   <caption>may the younger entry (row) overtake the older entry (column)?</caption>
 *   <tr><th></th><th>store</th><th>ntstore</th><th>clflush</th><th>clflushopt/clwb</th><th>fence</th></tr>
 *   <tr><th>store</th><td>no</td><td>other line</td><td>no</td><td>yes</td><td>no</td></tr>
 *   <tr><th>ntstore</th><td>other line</td><td>other line</td><td>no</td><td>yes</td><td>no</td></tr>
 *   <tr><th>clflush</th><td>no</td><td>no</td><td>no</td><td>other line</td><td>no</td></tr>
 *   <tr><th>clflushopt/clwb</th><td>other line</td><td>other line</td><td>other line</td><td>yes</td><td>no</td></tr>
 *   <tr><th>sfence, mfence</th><td>no</td><td>no</td><td>no</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>Why each cell: writes are not reordered with other writes, except non-temporal stores
 * (SDM §8.2.2), but a CPU always sees its own accesses to one location in program order, which
 * daxfuzz keeps at cache-line granularity because a non-temporal store to a cached line evicts
 * it first. CLFLUSH is ordered with writes, other CLFLUSHes and fences, but not with
 * CLFLUSHOPT/CLWB to other lines. CLFLUSHOPT and CLWB are ordered with fences and with older
 * writes and CLFLUSHes to the same line, and with nothing else: younger stores (even to the same
 * line) and other CLFLUSHOPT/CLWB may pass them. SFENCE is ordered with everything but loads, and
 * MFENCE with everything; daxfuzz additionally stalls the CPU at an MFENCE until its buffer is
 * empty. CLFLUSHOPT and CLWB differ only in whether the line stays cached, which does not change
 * what persists.
 */
public enum EntryKind {
    STORE("store"),
    NT_STORE("ntstore"),
    CLFLUSH("clflush"),
    CLFLUSHOPT("clflushopt"),
    CLWB("clwb"),
    SFENCE("sfence"),
    MFENCE("mfence");

    private final String mnemonic;

    EntryKind(String mnemonic) {
        this.mnemonic = mnemonic;
    }

    /** The x86 mnemonic, as the program format spells it. */
    public String mnemonic() {
        return mnemonic;
    }

    /** True for the two kinds that write bytes. */
    public boolean isWrite() {
        return this == STORE || this == NT_STORE;
    }

    /** True for the three cache-line flushes. */
    public boolean isFlush() {
        return this == CLFLUSH || this == CLFLUSHOPT || this == CLWB;
    }

    /** True for sfence and mfence. */
    public boolean isFence() {
        return this == SFENCE || this == MFENCE;
    }

    /** True for clflushopt and clwb, which share their ordering rules. */
    boolean isOptimizedFlush() {
        return this == CLFLUSHOPT || this == CLWB;
    }

    /**
     * Whether an entry of kind {@code younger} may propagate while an older entry of kind
     * {@code older} of the same CPU is still in the buffer.
     *
     * @param sameLine whether the two entries touch a common cache line (for stores, any line
     *     the store's bytes fall in; for flushes, the flushed line; fences touch no line)
     */
    public static boolean mayOvertake(EntryKind younger, EntryKind older, boolean sameLine) {
        if (younger.isFence() || older.isFence()) {
            return false;
        }
        switch (younger) {
            case STORE:
                return older.isOptimizedFlush() || (older == NT_STORE && !sameLine);
            case NT_STORE:
                return older.isOptimizedFlush() || (older.isWrite() && !sameLine);
            case CLFLUSH:
                return older.isOptimizedFlush() && !sameLine;
            case CLFLUSHOPT:
            case CLWB:
                return older.isOptimizedFlush() || !sameLine;
            default:
                throw new AssertionError(younger);
        }
    }
}
